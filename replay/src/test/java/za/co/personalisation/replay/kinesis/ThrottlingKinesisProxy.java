package za.co.personalisation.replay.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands between the SDK and the emulator and makes Kinesis refuse records the way a shard over its write limit
 * does: moto never throttles, so this is how the retry of ProvisionedThroughputExceeded records is proven with the
 * real SDK and real responses. On the first {@code throttledCalls} PutRecords calls, every other record is answered
 * with ProvisionedThroughputExceededException (and not written); the rest go to moto and its answers are merged in.
 * Every other request passes through unchanged.
 */
final class ThrottlingKinesisProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
        "expect", "upgrade");

    private final HttpServer server;
    private final URI target;
    private final int throttledCalls;
    private final AtomicInteger putCalls = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    ThrottlingKinesisProxy(URI target, int throttledCalls) throws IOException {
        this.target = target;
        this.throttledCalls = throttledCalls;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String action = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (action != null && action.endsWith(".PutRecords") && putCalls.incrementAndGet() <= throttledCalls) {
                putRecordsHalfRefused(exchange, body);
                return;
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            reply(exchange, response.statusCode(), response.headers().firstValue("Content-Type")
                .orElse("application/x-amz-json-1.1"), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void putRecordsHalfRefused(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ArrayNode records = (ArrayNode) request.get("Records");
        ArrayNode forwarded = JSON.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            if (i % 2 == 1) {
                forwarded.add(records.get(i));
            }
        }
        JsonNode written = null;
        if (!forwarded.isEmpty()) {
            request.set("Records", forwarded);
            written = JSON.readTree(forward(exchange, JSON.writeValueAsBytes(request)).body()).get("Records");
        }
        ArrayNode results = JSON.createArrayNode();
        int failed = 0;
        for (int i = 0, next = 0; i < records.size(); i++) {
            if (i % 2 == 1) {
                results.add(written.get(next++));
            } else {
                failed++;
                results.addObject().put("ErrorCode", "ProvisionedThroughputExceededException")
                    .put("ErrorMessage", "Rate exceeded for shard shardId-000000000000 in stream (emulated)");
            }
        }
        refused.addAndGet(failed);
        ObjectNode response = JSON.createObjectNode();
        response.put("FailedRecordCount", failed);
        response.set("Records", results);
        reply(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(response));
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException,
        InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!HOP_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
