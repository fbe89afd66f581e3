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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.aws.http.Problem;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ContactDetails;
import za.co.personalisation.core.event.CustomerRequestParser;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.EventRequest;
import za.co.personalisation.core.event.EventRequestParser;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.InvalidRequestException;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.Violation;

/**
 * The API behind API Gateway (docs/openapi.yaml, docs/api-reference.md):
 * <ul>
 *   <li>{@code POST /events}: one event or a batch; 202 with the event ids and per-item results;</li>
 *   <li>{@code PUT /customers/{id}/contact}: 204, written to the contacts table (never to the stream);</li>
 *   <li>{@code PUT /customers/{id}/consent}: 202, one consent event per channel on the stream;</li>
 *   <li>{@code DELETE /customers/{id}}: 202, the contact item deleted and an erasure event on the stream.</li>
 * </ul>
 * Every error is RFC 9457 problem details: 400 listing every violation with its JSON pointer, 404 unknown route,
 * 405 wrong method (with {@code Allow}), 413 body too large, 415 not JSON, 503 (with {@code Retry-After}) when
 * the stream or the table did not take the write in time: nothing is claimed as accepted then.
 *
 * <p>One structured log line per request and one set of EMF metrics; neither ever holds a body, a phone number or
 * an email address.
 */
final class IngestApi {

    static final int MAX_BODY_BYTES = 512 * 1024;
    static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration MIN_BUDGET = Duration.ofMillis(200);
    private static final Duration LAMBDA_RESERVE = Duration.ofMillis(1500);

    /** The function's routes: method and API Gateway resource. */
    enum Route {
        EVENTS("POST", "/events"),
        CONTACT("PUT", "/customers/{id}/contact"),
        CONSENT("PUT", "/customers/{id}/consent"),
        CUSTOMER("DELETE", "/customers/{id}"),
        CONVERSIONS("POST", "/conversions");

        final String method;
        final String resource;

        Route(String method, String resource) {
            this.method = method;
            this.resource = resource;
        }

        /** The route of a path such as {@code /customers/42/contact}, or {@code null}. */
        static Route ofPath(String path) {
            if (path == null) {
                return null;
            }
            String[] parts = path.split("/", -1);
            if (parts.length == 2 && parts[1].equals("events")) {
                return EVENTS;
            }
            if (parts.length == 2 && parts[1].equals("conversions")) {
                return CONVERSIONS;
            }
            if (parts.length < 3 || !parts[1].equals("customers") || parts[2].isEmpty()) {
                return null;
            }
            if (parts.length == 3) {
                return CUSTOMER;
            }
            if (parts.length == 4 && parts[3].equals("contact")) {
                return CONTACT;
            }
            return parts.length == 4 && parts[3].equals("consent") ? CONSENT : null;
        }

        static Route ofResource(String resource) {
            for (Route route : values()) {
                if (route.resource.equals(resource)) {
                    return route;
                }
            }
            return null;
        }
    }

    private final EventRequestParser events;
    private final CustomerRequestParser customers;
    private final KinesisEventPublisher publisher;
    private final ContactStore contacts;
    private final ConversionsEndpoint conversions;
    private final Duration writeBudget;
    private final String allowedOrigin;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    IngestApi(EventRequestParser events, CustomerRequestParser customers, KinesisEventPublisher publisher,
        ContactStore contacts, ConversionsEndpoint conversions, Duration writeBudget, String allowedOrigin, Clock clock,
        JsonLog log, Metrics metrics) {
        this.events = events;
        this.customers = customers;
        this.publisher = publisher;
        this.contacts = contacts;
        this.conversions = conversions;
        this.writeBudget = writeBudget;
        this.allowedOrigin = allowedOrigin;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /**
     * Answers one request.
     *
     * @param timeLeft what is left of the Lambda invocation, or {@code null} when unknown; the write budget is cut
     *     to fit in it
     */
    APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Duration timeLeft) {
        Call call = new Call(request, clock.instant(), budget(timeLeft));
        APIGatewayProxyResponseEvent response;
        try {
            response = dispatch(call);
        } catch (InvalidRequestException e) {
            call.rejected = Math.max(call.rejected, 1);
            call.reason("invalid_request");
            response = Responses.problem(400, "invalid-request", "The request is not valid",
                "Fix every listed violation and send the request again.", e.violations());
        } catch (RuntimeException e) {
            call.errorType = e.getClass().getSimpleName();
            response = Responses.problem(500, "internal", "Internal error",
                "The request failed unexpectedly; it is logged with requestId " + call.requestId() + ".", List.of());
        }
        if (call.route == Route.EVENTS || call.route == Route.CONVERSIONS) {
            response = cors(request, response);
        }
        finish(call, response);
        return response;
    }

    private Duration budget(Duration timeLeft) {
        if (timeLeft == null) {
            return writeBudget;
        }
        Duration fits = timeLeft.minus(LAMBDA_RESERVE);
        Duration budget = fits.compareTo(writeBudget) < 0 ? fits : writeBudget;
        return budget.compareTo(MIN_BUDGET) < 0 ? MIN_BUDGET : budget;
    }

    private APIGatewayProxyResponseEvent dispatch(Call call) {
        APIGatewayProxyRequestEvent request = call.request;
        String method = request.getHttpMethod() == null ? "" : request.getHttpMethod().toUpperCase(Locale.ROOT);
        Route route = Route.ofResource(request.getResource());
        if (route == null) {
            route = Route.ofPath(request.getPath());
        }
        call.route = route;
        if (route == null) {
            call.reason("not_found");
            return Responses.problem(404, "not-found", "Not found", "No route for " + method + " "
                + safePath(request.getPath()) + "; see docs/openapi.yaml.", List.of());
        }
        if (method.equals("OPTIONS") && (route == Route.EVENTS || route == Route.CONVERSIONS)) {
            return preflight(request);
        }
        if (!method.equals(route.method)) {
            call.reason("method_not_allowed");
            return Responses.withHeader(Responses.problem(405, "method-not-allowed", "Method not allowed",
                method + " is not allowed on " + route.resource + "; use " + route.method + ".", List.of()),
                "Allow", route == Route.EVENTS || route == Route.CONVERSIONS ? "POST, OPTIONS" : route.method);
        }
        if (route != Route.CUSTOMER) {
            APIGatewayProxyResponseEvent refused = checkContentType(request);
            if (refused != null) {
                call.reason("unsupported_media_type");
                return refused;
            }
        }
        byte[] body = body(request);
        if (body == null) {
            call.reason("payload_too_large");
            return Responses.problem(413, "payload-too-large", "Payload too large",
                "The body may be at most " + MAX_BODY_BYTES + " bytes; split a batch into smaller ones.", List.of());
        }
        return switch (route) {
            case EVENTS -> postEvents(call, body);
            case CONTACT -> putContact(call, body);
            case CONSENT -> putConsent(call, body);
            case CUSTOMER -> deleteCustomer(call, body);
            case CONVERSIONS -> conversions.post(body, call.received, traceId(call.request),
                (events, title) -> streamWritten(call, events, title));
        };
    }

    private APIGatewayProxyResponseEvent postEvents(Call call, byte[] body) {
        EventRequest parsed = events.parse(body, call.received, traceId(call.request));
        List<InterestEvent> accepted = parsed.accepted();
        KinesisEventPublisher.Outcome outcome = publish(call, accepted);
        Set<StreamEvent> failed = Collections.newSetFromMap(new IdentityHashMap<>());
        failed.addAll(outcome.failed());
        List<Violation> violations = new ArrayList<>();
        ObjectNode body202 = MAPPER.createObjectNode();
        ArrayNode ids = body202.putArray("eventIds");
        ArrayNode results = MAPPER.createArrayNode();
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
        return Responses.json(202, JSON, body202);
    }

    private APIGatewayProxyResponseEvent putContact(Call call, byte[] body) {
        String customerId = customers.customerId(pathId(call.request));
        call.customerId = customerId;
        ContactDetails contact = customers.contact(customerId, body);
        try {
            contacts.put(contact, call.received);
        } catch (ContactStore.CustomerErased e) {
            return erased(call, e);
        } catch (SdkException e) {
            return contactsUnavailable(call, e, "The contact details could not be stored");
        }
        call.accepted = 1;
        return new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(Map.of());
    }

    private APIGatewayProxyResponseEvent putConsent(Call call, byte[] body) {
        String customerId = customers.customerId(pathId(call.request));
        call.customerId = customerId;
        List<ConsentEvent> consents = customers.consent(customerId, body, call.received, traceId(call.request));
        try {
            contacts.requireNotErased(customerId, call.received);
        } catch (ContactStore.CustomerErased e) {
            return erased(call, e);
        } catch (SdkException e) {
            return contactsUnavailable(call, e, "The consent could not be stored");
        }
        return streamWritten(call, consents, "The consent could not be stored in time");
    }

    private APIGatewayProxyResponseEvent deleteCustomer(Call call, byte[] body) {
        String customerId = customers.customerId(pathId(call.request));
        call.customerId = customerId;
        ErasureEvent erasure = customers.erasure(customerId, body, call.received, traceId(call.request));
        try {
            // Personal data first: even if the stream write below fails, the contact details are gone, and from
            // now on the id cannot be given contact details or consent again (the tombstone).
            contacts.erase(erasure, call.received);
        } catch (SdkException e) {
            return contactsUnavailable(call, e, "The erasure could not be completed");
        }
        return streamWritten(call, List.of(erasure), "The erasure could not be completed in time");
    }

    /**
     * An erased customer's id may not be used again until its tombstone expires: nothing that would re-create
     * data about them (contact details, consent) is taken. A returning customer is registered under a new id.
     */
    private static APIGatewayProxyResponseEvent erased(Call call, ContactStore.CustomerErased e) {
        call.reason("customer_erased");
        return Responses.problem(409, "customer-erased", "The customer was erased",
            "Customer " + call.customerId + " was erased; nothing is stored for this id"
                + (e.until() == null ? "" : " and it cannot be used again before " + e.until()) + ". Register a"
                + " returning customer under a new id.", List.of());
    }

    private static APIGatewayProxyResponseEvent contactsUnavailable(Call call, SdkException e, String title) {
        call.errorType = errorCode(e);
        call.reason("contacts_unavailable");
        return Responses.retryLater(Responses.problem(503, "contacts-unavailable", title,
            "Nothing is confirmed; send the same request again: applying it twice has the same effect as once.",
            List.of()));
    }

    private APIGatewayProxyResponseEvent streamWritten(Call call, List<? extends StreamEvent> written, String title) {
        KinesisEventPublisher.Outcome outcome = publish(call, written);
        if (!outcome.complete()) {
            call.retry = outcome.failed().size();
            return Responses.retryLater(Responses.problem(503, "stream-unavailable", title,
                "Send the same request again; applying it twice has the same effect as once.", List.of()));
        }
        call.accepted = written.size();
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode ids = body.putArray("eventIds");
        written.forEach(event -> ids.add(event.eventId()));
        return Responses.json(202, JSON, body);
    }

    private KinesisEventPublisher.Outcome publish(Call call, List<? extends StreamEvent> toWrite) {
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

    private APIGatewayProxyResponseEvent preflight(APIGatewayProxyRequestEvent request) {
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent().withStatusCode(204)
            .withHeaders(Map.of());
        if (allowedOrigin.equals(header(request, "origin"))) {
            response = Responses.withHeader(response, "Access-Control-Allow-Methods", "POST, OPTIONS");
            response = Responses.withHeader(response, "Access-Control-Allow-Headers", "Content-Type, X-Amzn-Trace-Id");
            response = Responses.withHeader(response, "Access-Control-Max-Age", "600");
        }
        return response;
    }

    /** CORS for the frontend's origin only; every other origin gets no CORS headers, so browsers refuse it. */
    private APIGatewayProxyResponseEvent cors(APIGatewayProxyRequestEvent request,
        APIGatewayProxyResponseEvent response) {
        APIGatewayProxyResponseEvent varied = Responses.withHeader(response, "Vary", "Origin");
        if (allowedOrigin.isEmpty() || !allowedOrigin.equals(header(request, "origin"))) {
            return varied;
        }
        return Responses.withHeader(Responses.withHeader(varied, "Access-Control-Allow-Origin", allowedOrigin),
            "Access-Control-Expose-Headers", "Retry-After");
    }

    private static APIGatewayProxyResponseEvent checkContentType(APIGatewayProxyRequestEvent request) {
        String contentType = header(request, "content-type");
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean utf8 = true;
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                utf8 = false;
            }
        }
        if (mediaType.equals(JSON) && utf8) {
            return null;
        }
        String got = contentType == null ? "no Content-Type" : "Content-Type '" + truncate(contentType, 100) + "'";
        return Responses.problem(415, "unsupported-media-type", "Unsupported media type",
            "Send the body as application/json in UTF-8; got " + got + ".", List.of());
    }

    /** The body's bytes, or {@code null} when it is larger than {@link #MAX_BODY_BYTES}. */
    private static byte[] body(APIGatewayProxyRequestEvent request) {
        String body = request.getBody();
        if (body == null || body.isEmpty()) {
            return new byte[0];
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(request.getIsBase64Encoded())) {
            if (body.length() > (MAX_BODY_BYTES + 2) / 3 * 4 + 4) {
                return null;
            }
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("", "the body is marked base64 but is not valid base64");
            }
        } else {
            if (body.length() > MAX_BODY_BYTES) {
                return null;
            }
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }

    private static String pathId(APIGatewayProxyRequestEvent request) {
        if (request.getPathParameters() != null && request.getPathParameters().get("id") != null) {
            return request.getPathParameters().get("id");
        }
        String[] parts = request.getPath() == null ? new String[0] : request.getPath().split("/", -1);
        return parts.length > 2 ? parts[2] : null;
    }

    private void finish(Call call, APIGatewayProxyResponseEvent response) {
        int status = response.getStatusCode();
        Metrics.Unit unit = metrics.unit();
        unit.count("Requests", 1).count("Accepted", call.accepted).count("KinesisRetries", call.kinesisRetries)
            .count("Traced", sampled(call.request) ? 1 : 0);
        for (Map.Entry<String, Integer> reason : call.reasons.entrySet()) {
            if (reason.getKey().endsWith("_unavailable")) {
                unit.dimension("Reason", reason.getKey(), "RetryableFailures", Math.max(1, call.retry));
            } else {
                unit.dimension("Reason", reason.getKey(), "Rejected", reason.getValue());
            }
        }
        if (status >= 500) {
            unit.count("ServerErrors", 1);
        }
        unit.flush();
        JsonLog.Entry line = (status >= 500 ? log.error("request") : log.info("request"))
            .with("requestId", call.requestId())
            .with("method", call.request.getHttpMethod())
            .with("route", call.route == null ? "unknown" : call.route.resource)
            .with("status", status)
            .with("accepted", call.accepted)
            .with("rejected", call.rejected)
            .with("retry", call.retry)
            .with("kinesisRetries", call.kinesisRetries)
            .with("reasons", String.join(",", call.reasons.keySet()))
            .with("traceId", traceId(call.request))
            .with("durationMs", Duration.between(call.received, clock.instant()).toMillis());
        if (call.customerId != null) {
            line.with("customerId", call.customerId);
        }
        if (call.errorType != null) {
            line.with("errorType", call.errorType);
        }
        line.log();
    }

    private static String errorCode(SdkException e) {
        return e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
            ? aws.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
    }

    /** A path for a message: only the characters a route can hold, so that no stray personal data is echoed. */
    private static String safePath(String path) {
        if (path == null) {
            return "(none)";
        }
        String clean = path.replaceAll("[^A-Za-z0-9/._:{}-]", "?");
        return truncate(clean, 100);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    static String header(APIGatewayProxyRequestEvent request, String name) {
        if (request.getHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, String> header : request.getHeaders().entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** The X-Ray root trace id of the request, carried in the stream record; empty when untraced. */
    /**
     * True when API Gateway sampled this request for X-Ray ({@code Sampled=1} in the trace header): the numerator
     * of the trace-coverage metric (Traced / Requests), alarmed below 95 %.
     */
    static boolean sampled(APIGatewayProxyRequestEvent request) {
        String header = header(request, "x-amzn-trace-id");
        return header != null && header.replace(" ", "").contains("Sampled=1");
    }

    static String traceId(APIGatewayProxyRequestEvent request) {
        String header = header(request, "x-amzn-trace-id");
        if (header == null) {
            return "";
        }
        for (String part : header.split(";")) {
            String trimmed = part.trim();
            if (trimmed.startsWith("Root=") && trimmed.length() <= 64) {
                String root = trimmed.substring(5);
                return root.matches("[A-Za-z0-9-]+") ? root : "";
            }
        }
        return "";
    }

    /** What one request did, for its log line and metrics. */
    private static final class Call {
        private final APIGatewayProxyRequestEvent request;
        private final Instant received;
        private final Duration budget;
        private final Map<String, Integer> reasons = new LinkedHashMap<>();
        private Route route;
        private int accepted;
        private int rejected;
        private int retry;
        private int kinesisRetries;
        private String customerId;
        private String errorType;

        private Call(APIGatewayProxyRequestEvent request, Instant received, Duration budget) {
            this.request = request;
            this.received = received;
            this.budget = budget;
        }

        private void reason(String code) {
            reasons.merge(code, 1, Integer::sum);
        }

        private String requestId() {
            return request.getRequestContext() == null || request.getRequestContext().getRequestId() == null ? ""
                : request.getRequestContext().getRequestId();
        }
    }

    /** Response builders. */
    static final class Responses {

        private Responses() {
        }

        static ObjectNode problemBody(int status, String type, String title, String detail,
            List<Violation> violations) {
            try {
                return (ObjectNode) MAPPER.readTree(Problem.json(status, type, title, detail, violations));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        static APIGatewayProxyResponseEvent problem(int status, String type, String title, String detail,
            List<Violation> violations) {
            return Problem.response(status, type, title, detail, violations);
        }

        static APIGatewayProxyResponseEvent json(int status, String contentType, ObjectNode body) {
            return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", contentType))
                .withBody(body.toString());
        }

        static APIGatewayProxyResponseEvent retryLater(APIGatewayProxyResponseEvent response) {
            return withHeader(response, "Retry-After", "1");
        }

        static APIGatewayProxyResponseEvent withHeader(APIGatewayProxyResponseEvent response, String name,
            String value) {
            Map<String, String> headers = new LinkedHashMap<>(response.getHeaders() == null ? Map.of()
                : response.getHeaders());
            headers.put(name, value);
            return response.withHeaders(headers);
        }
    }

}
