package za.co.personalisation.aws.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import za.co.personalisation.core.event.Violation;

/**
 * RFC 9457 problem details ({@code application/problem+json}) for every error the API answers, from the functions
 * and from the gateway alike. The problem types are documented in docs/api.md.
 */
public final class Problem {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://personalisation.example/problems/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Problem() {
    }

    /** A problem document; {@code violations} may be empty. */
    public static String json(int status, String type, String title, String detail, List<Violation> violations) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("type", TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!violations.isEmpty()) {
            ArrayNode list = body.putArray("violations");
            for (Violation violation : violations) {
                list.addObject().put("pointer", violation.pointer()).put("message", violation.message());
            }
        }
        return body.toString();
    }

    public static APIGatewayProxyResponseEvent response(int status, String type, String title, String detail,
        List<Violation> violations) {
        return new APIGatewayProxyResponseEvent()
            .withStatusCode(status)
            .withHeaders(Map.of("Content-Type", CONTENT_TYPE))
            .withBody(json(status, type, title, detail, violations));
    }
}
