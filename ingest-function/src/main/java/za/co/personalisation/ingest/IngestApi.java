package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import za.co.personalisation.aws.http.Problem;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.event.EventRequest;
import za.co.personalisation.core.event.EventRequestParser;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.InvalidRequestException;
import za.co.personalisation.core.event.Violation;

/**
 * The event API behind API Gateway: {@code POST /events} with one event or a batch. Answers 202 with the event
 * ids (and per-item status for a batch), or RFC 9457 problem details: 400 invalid, 413 too large, 415 wrong
 * content type, 503 when the stream could not take the events in time (nothing is claimed as accepted then).
 */
final class IngestApi {

    static final int MAX_BODY_BYTES = 512 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EventRequestParser parser;
    private final KinesisEventPublisher publisher;
    private final Duration writeBudget;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    IngestApi(EventRequestParser parser, KinesisEventPublisher publisher, Duration writeBudget, Clock clock,
        JsonLog log, Metrics metrics) {
        this.parser = parser;
        this.publisher = publisher;
        this.writeBudget = writeBudget;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
        Instant received = clock.instant();
        String requestId = request.getRequestContext() == null ? "" : request.getRequestContext().getRequestId();
        Metrics.Unit unit = metrics.unit();
        APIGatewayProxyResponseEvent response;
        int accepted = 0;
        int rejected = 0;
        try {
            response = precheck(request);
            if (response == null) {
                EventRequest parsed = parser.parse(body(request), received, traceId(request));
                List<InterestEvent> events = parsed.accepted();
                KinesisEventPublisher.Outcome outcome = publisher.publish(events, writeBudget);
                unit.count("KinesisRetries", outcome.retries());
                accepted = outcome.written().size();
                rejected = parsed.items().size() - events.size();
                response = parsed.batch() ? batchResponse(parsed, outcome) : singleResponse(events.get(0), outcome);
                for (EventRequest.Item item : parsed.items()) {
                    if (!item.isAccepted()) {
                        unit.dimension("Reason", "invalid_event", "Rejected", 1);
                    }
                }
                if (!outcome.failed().isEmpty()) {
                    unit.count("WriteFailed", outcome.failed().size());
                }
            }
        } catch (InvalidRequestException e) {
            rejected = 1;
            response = Problem.response(400, "invalid-request", "The request is not valid",
                "Fix every listed violation and send the request again.", e.violations());
        }
        int status = response.getStatusCode();
        if (status >= 400 && status != 503) {
            unit.dimension("Reason", "http_" + status, "Rejected", 1);
        }
        unit.count("Accepted", accepted).count("Requests", 1).flush();
        log.info("request")
            .with("requestId", requestId)
            .with("method", request.getHttpMethod())
            .with("path", request.getPath())
            .with("status", status)
            .with("accepted", accepted)
            .with("rejected", rejected)
            .with("durationMs", Duration.between(received, clock.instant()).toMillis())
            .log();
        return response;
    }

    private static APIGatewayProxyResponseEvent precheck(APIGatewayProxyRequestEvent request) {
        String contentType = header(request, "content-type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            return Problem.response(415, "unsupported-media-type", "Unsupported media type",
                "Send the body as application/json (UTF-8); got " + (contentType == null ? "no Content-Type"
                    : "'" + contentType + "'") + ".", List.of());
        }
        if (contentType.toLowerCase(Locale.ROOT).contains("charset=") && !contentType.toLowerCase(Locale.ROOT)
            .replace(" ", "").contains("charset=utf-8")) {
            return Problem.response(415, "unsupported-media-type", "Unsupported media type",
                "Only the UTF-8 charset is accepted.", List.of());
        }
        String body = request.getBody();
        long size = body == null ? 0 : Boolean.TRUE.equals(request.getIsBase64Encoded())
            ? body.length() * 3L / 4 : body.length();
        if (size > MAX_BODY_BYTES) {
            return Problem.response(413, "payload-too-large", "Payload too large",
                "The body may be at most " + MAX_BODY_BYTES + " bytes; split the batch.", List.of());
        }
        return null;
    }

    private static byte[] body(APIGatewayProxyRequestEvent request) {
        String body = request.getBody();
        if (body == null) {
            return new byte[0];
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(request.getIsBase64Encoded())) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("", "the body is marked base64 but is not valid base64");
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new InvalidRequestException("", "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return bytes;
    }

    private APIGatewayProxyResponseEvent singleResponse(InterestEvent event, KinesisEventPublisher.Outcome outcome) {
        if (!outcome.failed().isEmpty()) {
            APIGatewayProxyResponseEvent response = Problem.response(503, "stream-unavailable",
                "The event could not be stored in time", "Nothing was accepted; retry with the same eventId ("
                    + event.eventId() + ") so that it is applied once.", List.of());
            return withHeader(response, "Retry-After", "1");
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("eventIds").add(event.eventId());
        body.put("status", "accepted");
        body.put("location", event.location().known() ? event.location().key() : "");
        body.put("locationKnown", event.location().known());
        return json(202, body);
    }

    private APIGatewayProxyResponseEvent batchResponse(EventRequest parsed, KinesisEventPublisher.Outcome outcome) {
        Set<String> failed = new HashSet<>();
        outcome.failed().forEach(event -> failed.add(event.eventId()));
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode ids = body.putArray("eventIds");
        ArrayNode results = body.putArray("results");
        int accepted = 0;
        int retry = 0;
        for (EventRequest.Item item : parsed.items()) {
            ObjectNode result = results.addObject().put("index", item.index());
            if (!item.isAccepted()) {
                result.put("status", "rejected");
                ArrayNode violations = result.putArray("violations");
                for (Violation violation : item.violations()) {
                    violations.addObject().put("pointer", violation.pointer()).put("message", violation.message());
                }
            } else if (failed.contains(item.event().eventId())) {
                retry++;
                result.put("status", "retry").put("eventId", item.event().eventId())
                    .put("reason", "the stream did not take it in time; send it again with this eventId");
            } else {
                accepted++;
                ids.add(item.event().eventId());
                result.put("status", "accepted").put("eventId", item.event().eventId())
                    .put("locationKnown", item.event().location().known());
            }
        }
        body.put("accepted", accepted);
        body.put("rejected", parsed.items().size() - accepted - retry);
        body.put("retry", retry);
        if (accepted == 0 && retry > 0) {
            return withHeader(json(503, body), "Retry-After", "1");
        }
        return json(accepted == 0 ? 400 : 202, body);
    }

    private static APIGatewayProxyResponseEvent json(int status, ObjectNode body) {
        return new APIGatewayProxyResponseEvent()
            .withStatusCode(status)
            .withHeaders(Map.of("Content-Type", "application/json"))
            .withBody(body.toString());
    }

    private static APIGatewayProxyResponseEvent withHeader(APIGatewayProxyResponseEvent response, String name,
        String value) {
        Map<String, String> headers = new java.util.HashMap<>(response.getHeaders());
        headers.put(name, value);
        return response.withHeaders(headers);
    }

    static String header(APIGatewayProxyRequestEvent request, String name) {
        if (request.getHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, String> header : request.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** The X-Ray root trace id of the request, carried in the stream record; empty when untraced. */
    static String traceId(APIGatewayProxyRequestEvent request) {
        String header = header(request, "x-amzn-trace-id");
        if (header == null) {
            return "";
        }
        for (String part : header.split(";")) {
            String trimmed = part.trim();
            if (trimmed.startsWith("Root=")) {
                return trimmed.substring(5);
            }
        }
        return "";
    }
}
