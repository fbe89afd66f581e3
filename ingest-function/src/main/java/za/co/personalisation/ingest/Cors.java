package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

/**
 * CORS for the frontend's origin only, on the routes browsers call ({@link Route#browserFacing}); every other
 * origin gets no CORS headers, so browsers refuse it.
 */
final class Cors {

    private final String allowedOrigin;

    /** @param allowedOrigin the frontend's origin; empty for none */
    Cors(String allowedOrigin) {
        this.allowedOrigin = allowedOrigin;
    }

    /** The answer to a preflight {@code OPTIONS}. */
    APIGatewayProxyResponseEvent preflight(APIGatewayProxyRequestEvent request) {
        APIGatewayProxyResponseEvent response = Responses.noContent();
        if (allowedOrigin.equals(Requests.header(request, "origin"))) {
            response = Responses.withHeader(response, "Access-Control-Allow-Methods", "POST, OPTIONS");
            response = Responses.withHeader(response, "Access-Control-Allow-Headers", "Content-Type, X-Amzn-Trace-Id");
            response = Responses.withHeader(response, "Access-Control-Max-Age", "600");
        }
        return response;
    }

    /** The response with the CORS headers the request's origin may see. */
    APIGatewayProxyResponseEvent decorate(APIGatewayProxyRequestEvent request,
        APIGatewayProxyResponseEvent response) {
        APIGatewayProxyResponseEvent varied = Responses.withHeader(response, "Vary", "Origin");
        if (allowedOrigin.isEmpty() || !allowedOrigin.equals(Requests.header(request, "origin"))) {
            return varied;
        }
        return Responses.withHeader(Responses.withHeader(varied, "Access-Control-Allow-Origin", allowedOrigin),
            "Access-Control-Expose-Headers", "Retry-After");
    }
}
