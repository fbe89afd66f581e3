package za.co.personalisation.local.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import za.co.personalisation.aws.http.Problem;

/**
 * What the local runtime serves itself, beside the API: the web page ({@code frontend/} at {@code /}, its assets
 * under {@code /ui/}) and read-only JSON views of the local stack under {@code /local/}:
 * <ul>
 *   <li>{@code GET /local/outbox}: every SMS and email "sent";</li>
 *   <li>{@code GET /local/status}: requests, events in flight per stage, notifications sent, alarms;</li>
 *   <li>{@code GET /local/config}: the API's routes, which need a key, and the local key;</li>
 *   <li>{@code GET /local/customers}: the seeded customers, their consent and masked contact details;</li>
 *   <li>{@code GET /local/journey/{eventId}}: one event's stages and timings;</li>
 *   <li>{@code GET /local/offers-report}: the offer report (docs/offers.md), as {@code ./pipeline report offers}.</li>
 * </ul>
 * and the few actions that stand in for the outside world ({@link #action}): {@code POST /local/inbound-sms} and
 * {@code POST /local/email-events}, the replies and mail events a provider would publish.
 */
public final class LocalPages {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "mjs", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml",
        "png", "image/png",
        "ico", "image/x-icon");
    private static final String JOURNEY = "/local/journey/";
    private static final int MAX_ACTION_BODY = 16_384;

    private final Path frontend;
    private final Map<String, Supplier<Object>> views = new LinkedHashMap<>();
    private final Map<String, Action> actions = new LinkedHashMap<>();

    /** A {@code POST /local/<name>}: the request body in, a status, a content type and a body out. */
    public interface Action {
        Reply handle(byte[] body);
    }

    /** What an {@link Action} answers. */
    public record Reply(int status, String contentType, byte[] body) {
    }
    private Function<String, Object> journey = id -> Map.of("eventId", id, "outcome", "pending", "stages", List.of());

    public LocalPages(Path frontend) {
        this.frontend = frontend.toAbsolutePath().normalize();
    }

    /** Serves {@code GET /local/<name>} as the supplier's value in JSON. */
    public LocalPages view(String name, Supplier<Object> value) {
        views.put("/local/" + name, value);
        return this;
    }

    /** Serves {@code POST /local/<name>} with the action. */
    public LocalPages action(String name, Action action) {
        actions.put("/local/" + name, action);
        return this;
    }

    /** Serves {@code GET /local/journey/{eventId}}. */
    public LocalPages journey(Function<String, Object> journeyOf) {
        this.journey = journeyOf;
        return this;
    }

    boolean serves(String path) {
        return path.equals("/") || path.startsWith("/local/") || path.startsWith("/ui/") || path.equals(
            "/favicon.ico");
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Action action = actions.get(path);
        if (action != null) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().put("Allow", List.of("POST"));
                send(exchange, 405, Problem.CONTENT_TYPE, Problem.json(405, "gateway", "Method not allowed",
                    path + " takes POST.", List.of()).getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (var in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_ACTION_BODY + 1);
            }
            Reply reply = body.length > MAX_ACTION_BODY
                ? new Reply(413, Problem.CONTENT_TYPE, Problem.json(413, "request-too-large", "Request too large",
                    "At most " + MAX_ACTION_BODY + " bytes.", List.of()).getBytes(StandardCharsets.UTF_8))
                : action.handle(body);
            send(exchange, reply.status(), reply.contentType(), reply.body());
            return;
        }
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            send(exchange, 405, Problem.CONTENT_TYPE, Problem.json(405, "gateway", "Method not allowed",
                "The local pages are read-only: use GET.", List.of()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        Supplier<Object> view = views.get(path);
        if (view != null) {
            send(exchange, 200, "application/json", MAPPER.writeValueAsBytes(view.get()));
        } else if (path.startsWith(JOURNEY) && path.length() > JOURNEY.length()) {
            String eventId = URLDecoder.decode(path.substring(JOURNEY.length()), StandardCharsets.UTF_8);
            send(exchange, 200, "application/json", MAPPER.writeValueAsBytes(journey.apply(eventId)));
        } else if (path.equals("/local/dashboard")) {
            file(exchange, "dashboard.html");
        } else if (path.startsWith("/local/")) {
            notFound(exchange, "No local view at " + path + "; see " + String.join(", ", views.keySet())
                + ", " + JOURNEY + "{eventId}");
        } else {
            file(exchange, path.equals("/") ? "index.html" : path.equals("/favicon.ico") ? "favicon.svg"
                : path.substring("/ui/".length()));
        }
    }

    private void file(HttpExchange exchange, String name) throws IOException {
        Path file = frontend.resolve(name).normalize();
        if (name.isEmpty() || !file.startsWith(frontend) || !Files.isRegularFile(file)
            || file.startsWith(frontend.resolve("node_modules")) || file.startsWith(frontend.resolve("test"))) {
            notFound(exchange, "No page file " + name);
            return;
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        send(exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), Files.readAllBytes(file));
    }

    private static void notFound(HttpExchange exchange, String detail) throws IOException {
        send(exchange, 404, Problem.CONTENT_TYPE, Problem.json(404, "gateway", "Not found", detail, List.of())
            .getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().put("Content-Type", List.of(type));
        exchange.getResponseHeaders().put("Cache-Control", List.of("no-store"));
        exchange.getResponseHeaders().put("X-Content-Type-Options", List.of("nosniff"));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
        if (body.length > 0 && !head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
