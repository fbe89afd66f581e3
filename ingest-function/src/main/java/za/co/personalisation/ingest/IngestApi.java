package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import za.co.personalisation.core.event.InvalidRequestException;

/**
 * The API behind API Gateway (docs/openapi.yaml, docs/api-reference.md): routes each request ({@link Route}) to
 * its {@link Endpoint} ({@link EventsEndpoint}, {@link ContactEndpoint}, {@link ConsentEndpoint},
 * {@link EraseCustomerEndpoint}) after the checks every route shares.
 *
 * <p>Every error is RFC 9457 problem details ({@link Responses}): 400 listing every violation with its JSON pointer,
 * 404 unknown route, 405 wrong method (with {@code Allow}), 413 body too large, 415 not JSON, 503 (with
 * {@code Retry-After}) when the stream or the table did not take the write in time: nothing is claimed as accepted
 * then. Browser-facing routes get {@link Cors}; every request one log line and one set of metrics
 * ({@link RequestLog}).
 */
final class IngestApi {

    private static final Duration MIN_BUDGET = Duration.ofMillis(200);
    private static final Duration LAMBDA_RESERVE = Duration.ofMillis(1500);

    private final Map<Route, Endpoint> endpoints;
    private final Duration writeBudget;
    private final Cors cors;
    private final Clock clock;
    private final RequestLog requestLog;

    /** @param endpoints one for every {@link Route} */
    IngestApi(Map<Route, Endpoint> endpoints, Duration writeBudget, Cors cors, Clock clock, RequestLog requestLog) {
        Set<Route> missing = EnumSet.allOf(Route.class);
        missing.removeAll(endpoints.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no endpoint for the routes " + missing);
        }
        this.endpoints = new EnumMap<>(endpoints);
        this.writeBudget = writeBudget;
        this.cors = cors;
        this.clock = clock;
        this.requestLog = requestLog;
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
        if (call.route != null && call.route.browserFacing) {
            response = cors.decorate(request, response);
        }
        requestLog.finish(call, response);
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
                + Requests.safePath(request.getPath()) + "; see docs/openapi.yaml.", List.of());
        }
        if (method.equals("OPTIONS") && route.browserFacing) {
            return cors.preflight(request);
        }
        if (!method.equals(route.method)) {
            call.reason("method_not_allowed");
            return Responses.withHeader(Responses.problem(405, "method-not-allowed", "Method not allowed",
                method + " is not allowed on " + route.resource + "; use " + route.method + ".", List.of()),
                "Allow", route.allow());
        }
        if (route.takesJson) {
            APIGatewayProxyResponseEvent refused = Requests.checkContentType(request);
            if (refused != null) {
                call.reason("unsupported_media_type");
                return refused;
            }
        }
        byte[] body = Requests.body(request);
        if (body == null) {
            call.reason("payload_too_large");
            return Responses.problem(413, "payload-too-large", "Payload too large", "The body may be at most "
                + Requests.MAX_BODY_BYTES + " bytes; split a batch into smaller ones.", List.of());
        }
        return endpoints.get(route).handle(call, body);
    }
}
