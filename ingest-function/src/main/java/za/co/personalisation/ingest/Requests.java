package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import za.co.personalisation.core.event.InvalidRequestException;

/** What an API Gateway request carries: headers, trace, path id, body, media type. */
final class Requests {

    static final int MAX_BODY_BYTES = 512 * 1024;

    private Requests() {
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

    /**
     * True when API Gateway sampled this request for X-Ray ({@code Sampled=1} in the trace header): the numerator
     * of the trace-coverage metric (Traced / Requests), alarmed below 95 %.
     */
    static boolean sampled(APIGatewayProxyRequestEvent request) {
        String header = header(request, "x-amzn-trace-id");
        return header != null && header.replace(" ", "").contains("Sampled=1");
    }

    /** The X-Ray root trace id of the request, carried in the stream record; empty when untraced. */
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

    /** The {@code {id}} of a {@code /customers/{id}...} request. */
    static String pathId(APIGatewayProxyRequestEvent request) {
        if (request.getPathParameters() != null && request.getPathParameters().get("id") != null) {
            return request.getPathParameters().get("id");
        }
        String[] parts = request.getPath() == null ? new String[0] : request.getPath().split("/", -1);
        return parts.length > 2 ? parts[2] : null;
    }

    /** The body's bytes, or {@code null} when it is larger than {@link #MAX_BODY_BYTES}. */
    static byte[] body(APIGatewayProxyRequestEvent request) {
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

    /** A 415 problem unless the request says its body is JSON in UTF-8; {@code null} when it does. */
    static APIGatewayProxyResponseEvent checkContentType(APIGatewayProxyRequestEvent request) {
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
        if (mediaType.equals(Responses.JSON) && utf8) {
            return null;
        }
        String got = contentType == null ? "no Content-Type" : "Content-Type '" + truncate(contentType, 100) + "'";
        return Responses.problem(415, "unsupported-media-type", "Unsupported media type",
            "Send the body as application/json in UTF-8; got " + got + ".", List.of());
    }

    /** A path for a message: only the characters a route can hold, so that no stray personal data is echoed. */
    static String safePath(String path) {
        if (path == null) {
            return "(none)";
        }
        String clean = path.replaceAll("[^A-Za-z0-9/._:{}-]", "?");
        return truncate(clean, 100);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
