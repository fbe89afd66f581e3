package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import za.co.personalisation.aws.http.Problem;
import za.co.personalisation.core.event.EventRequest;
import za.co.personalisation.core.event.EventRequestParser;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.Violation;

/**
 * {@code POST /events}: one event or a batch; 202 with the event ids and per-item results, 400 when no item is
 * valid, 503 when the stream took none of the valid ones in time.
 */
record EventsEndpoint(EventRequestParser events, StreamWriter stream) implements Endpoint {

    @Override
    public APIGatewayProxyResponseEvent handle(Call call, byte[] body) {
        EventRequest parsed = events.parse(body, call.received, call.traceId());
        List<InterestEvent> accepted = parsed.accepted();
        KinesisEventPublisher.Outcome outcome = stream.publish(call, accepted);
        Set<StreamEvent> failed = Collections.newSetFromMap(new IdentityHashMap<>());
        failed.addAll(outcome.failed());
        List<Violation> violations = new ArrayList<>();
        ObjectNode body202 = Responses.MAPPER.createObjectNode();
        ArrayNode ids = body202.putArray("eventIds");
        ArrayNode results = Responses.MAPPER.createArrayNode();
        for (EventRequest.Item item : parsed.items()) {
            ObjectNode result = results.addObject().put("index", item.index());
            if (!item.isAccepted()) {
                call.rejected++;
                call.reason("invalid_event");
                violations.addAll(item.violations());
                result.put("status", "rejected");
                ArrayNode list = result.putArray("violations");
                item.violations().forEach(v -> list.addObject().put("pointer", v.pointer()).put("message",
                    v.message()));
            } else if (failed.contains(item.event())) {
                call.retry++;
                result.put("status", "retry").put("eventId", item.event().eventId())
                    .put("detail", "the stream did not take it in time; send it again with this eventId");
            } else {
                call.accepted++;
                ids.add(item.event().eventId());
                result.put("status", "accepted").put("eventId", item.event().eventId());
                ObjectNode location = result.putObject("location");
                location.put("key", item.event().location().key());
                location.put("name", item.event().location().name());
                location.put("known", item.event().location().known());
            }
        }
        if (call.accepted == 0 && call.retry == 0) {
            return Responses.problem(400, "invalid-request", "No event in the batch is valid",
                "Fix every listed violation and send the batch again.", violations);
        }
        if (call.accepted == 0) {
            ObjectNode problem = Responses.problemBody(503, "stream-unavailable", "The events could not be stored"
                + " in time", "Nothing was accepted; send the events again with the same eventIds so that each is"
                + " applied once.", List.of());
            problem.set("results", results);
            return Responses.retryLater(Responses.json(503, Problem.CONTENT_TYPE, problem));
        }
        if (!parsed.batch()) {
            // the single-event answer of the first release, kept for clients that read it
            InterestEvent event = parsed.items().get(0).event();
            body202.put("status", "accepted");
            body202.put("location", event.location().key());
            body202.put("locationKnown", event.location().known());
        }
        body202.put("accepted", call.accepted);
        body202.put("rejected", call.rejected);
        body202.put("retry", call.retry);
        body202.set("results", results);
        return Responses.json(202, Responses.JSON, body202);
    }
}
