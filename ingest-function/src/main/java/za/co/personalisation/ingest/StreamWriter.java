package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import za.co.personalisation.core.event.StreamEvent;

/** Writes a request's events to the stream within what is left of the request's write budget. */
record StreamWriter(KinesisEventPublisher publisher, Clock clock) {

    KinesisEventPublisher.Outcome publish(Call call, List<? extends StreamEvent> toWrite) {
        if (toWrite.isEmpty()) {
            return new KinesisEventPublisher.Outcome(List.of(), List.of(), 0, "");
        }
        Duration left = call.budget.minus(Duration.between(call.received, clock.instant()));
        KinesisEventPublisher.Outcome outcome = publisher.publish(toWrite, left.isNegative() ? Duration.ZERO : left);
        call.kinesisRetries += outcome.retries();
        if (!outcome.complete()) {
            call.reason("stream_unavailable");
            call.errorType = outcome.errorCode();
        }
        return outcome;
    }

    /** Writes all of them: 202 with their event ids, or 503 (retry later) when the stream did not take them all. */
    APIGatewayProxyResponseEvent writeAll(Call call, List<? extends StreamEvent> written, String title) {
        KinesisEventPublisher.Outcome outcome = publish(call, written);
        if (!outcome.complete()) {
            call.retry = outcome.failed().size();
            return Responses.retryLater(Responses.problem(503, "stream-unavailable", title,
                "Send the same request again; applying it twice has the same effect as once.", List.of()));
        }
        call.accepted = written.size();
        ObjectNode body = Responses.MAPPER.createObjectNode();
        ArrayNode ids = body.putArray("eventIds");
        written.forEach(event -> ids.add(event.eventId()));
        return Responses.json(202, Responses.JSON, body);
    }
}
