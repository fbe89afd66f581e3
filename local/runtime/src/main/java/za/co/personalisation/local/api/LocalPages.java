package za.co.personalisation.local.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import za.co.personalisation.local.outbox.Outbox;

/**
 * What the local runtime serves itself, beside the API: the web page ({@code frontend/} at {@code /}), the outbox
 * ({@code GET /local/outbox}) and a status summary ({@code GET /local/status}).
 */
public final class LocalPages {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml",
        "png", "image/png");

    private final Path frontend;
    private final Outbox outbox;
    private final Supplier<Object> status;

    public LocalPages(Path frontend, Outbox outbox, Supplier<Object> status) {
        this.frontend = frontend;
        this.outbox = outbox;
        this.status = status;
    }

    boolean serves(String path) {
        return path.equals("/") || path.startsWith("/local/") || path.startsWith("/ui/");
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (!exchange.getRequestMethod().equals("GET")) {
            send(exchange, 405, "application/problem+json", ("{\"type\":\"https://personalisation.example/problems/"
                + "gateway\",\"title\":\"Method not allowed\",\"status\":405}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        switch (path) {
            case "/local/outbox" -> send(exchange, 200, "application/json",
                MAPPER.writeValueAsBytes(Map.of("messages", outbox.messages())));
            case "/local/status" -> send(exchange, 200, "application/json", MAPPER.writeValueAsBytes(status.get()));
            default -> file(exchange, path.equals("/") ? "index.html" : path.substring("/ui/".length()));
        }
    }

    private void file(HttpExchange exchange, String name) throws IOException {
        Path file = frontend.resolve(name).normalize();
        if (name.isEmpty() || !file.startsWith(frontend) || !Files.isRegularFile(file)) {
            send(exchange, 404, "application/problem+json", ("{\"type\":\"https://personalisation.example/problems/"
                + "gateway\",\"title\":\"Not found\",\"status\":404}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        send(exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), Files.readAllBytes(file));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().put("Content-Type", List.of(type));
        exchange.getResponseHeaders().put("Cache-Control", List.of("no-store"));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
