package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import za.co.personalisation.aws.http.Problem;
import za.co.personalisation.core.event.Violation;

/** Response builders: JSON bodies, RFC 9457 problem documents, headers. */
final class Responses {

    static final String JSON = "application/json";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Responses() {
    }

    static ObjectNode problemBody(int status, String type, String title, String detail, List<Violation> violations) {
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

    static APIGatewayProxyResponseEvent noContent() {
        return new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(Map.of());
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
