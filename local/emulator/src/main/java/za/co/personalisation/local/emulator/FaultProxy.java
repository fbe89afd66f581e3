package za.co.personalisation.local.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A small HTTP proxy in front of the emulator, for tests and the local chaos run: it forwards every call, and
 * answers the calls a rule matches the way a failing provider or network does.
 * <ul>
 *   <li>{@link Fault#DROP_RESPONSE}: the call is forwarded and applied by the emulator, then the connection is
 *   closed without an answer, as when a response is lost after the provider accepted the request;</li>
 *   <li>{@link Fault#SERVER_ERROR}: the call is not forwarded; the answer is HTTP 500 with DynamoDB's
 *   {@code InternalServerError}, which the SDK retries and finally throws;</li>
 *   <li>{@link Fault#THROTTLE}: the call is not forwarded; the answer is HTTP 429 {@code ThrottlingException},
 *   which every SDK client takes as throttling whatever the service's protocol;</li>
 *   <li>{@link Fault#LATENCY}: the call is forwarded after a delay of up to {@link #MAX_LATENCY}.</li>
 * </ul>
 * Rules fire a given number of times ({@link #inject}) or on a share of the matching calls ({@link #injectAtRate},
 * for the chaos run, which only counts them: {@link #count}).
 * Clients reach it through {@code AWS_ENDPOINT_URL} (see {@link #endpoint()}), so they are built exactly as in
 * production, SDK retries and timeouts included.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Fault { DROP_RESPONSE, SERVER_ERROR, THROTTLE, LATENCY }

    /** The longest delay a {@link Fault#LATENCY} adds. */
    public static final Duration MAX_LATENCY = Duration.ofMillis(400);

    /** One call as the proxy sees it. */
    public record Call(String method, String path, String target, String body) {

        /** The DynamoDB (JSON protocol) operation, e.g. {@code UpdateItem}; empty for other protocols. */
        public String operation() {
            int dot = target.lastIndexOf('.');
            return dot < 0 ? target : target.substring(dot + 1);
        }

        public boolean contains(String text) {
            return body.contains(text);
        }
    }

    /** {@code rate} NaN: fires {@code remaining} times, each recorded; else fires on that share, counted only. */
    private record Rule(Predicate<Call> matches, Fault fault, AtomicInteger remaining, double rate) {

        boolean fires(Call call) {
            if (!matches.test(call)) {
                return false;
            }
            if (Double.isNaN(rate)) {
                return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            }
            return ThreadLocalRandom.current().nextDouble() < rate;
        }
    }

    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect",
        "upgrade", "transfer-encoding", "keep-alive");

    private final String upstream;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Call> injected = new CopyOnWriteArrayList<>();
    private final Map<Fault, java.util.concurrent.atomic.AtomicLong> counts =
        new ConcurrentHashMap<>();

    public FaultProxy(String upstream) throws IOException {
        this.upstream = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The URL to give clients as {@code AWS_ENDPOINT_URL}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next {@code times} calls that match with {@code fault}. */
    public void inject(Predicate<Call> which, Fault fault, int times) {
        rules.add(new Rule(which, fault, new AtomicInteger(times), Double.NaN));
    }

    /** Answers a share ({@code rate}, 0 to 1) of the calls that match with {@code fault}, drawn at random. */
    public void injectAtRate(Predicate<Call> which, Fault fault, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("a fault rate is a share from 0 to 1; got " + rate);
        }
        rules.add(new Rule(which, fault, new AtomicInteger(), rate));
    }

    /** How many calls {@code fault} was injected into so far, by either kind of rule. */
    public long count(Fault fault) {
        AtomicLong count = counts.get(fault);
        return count == null ? 0 : count.get();
    }

    /** The calls a fault was injected into, in order. */
    public List<Call> injected() {
        return List.copyOf(injected);
    }

    /** Stops injecting; what was injected stays counted. */
    public void clearRules() {
        rules.clear();
    }

    public void clear() {
        rules.clear();
        injected.clear();
        counts.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                target == null ? "" : target, new String(body, StandardCharsets.UTF_8));
            Fault fault = null;
            for (Rule rule : rules) {
                if (rule.fires(call)) {
                    fault = rule.fault();
                    if (Double.isNaN(rule.rate())) {
                        injected.add(call);
                    }
                    counts.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
                    break;
                }
            }
            if (fault == Fault.THROTTLE) {
                byte[] error = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded (injected)\"}"
                    .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ThrottlingException");
                exchange.sendResponseHeaders(429, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            if (fault == Fault.LATENCY) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(MAX_LATENCY.toMillis() + 1));
            }
            if (fault == Fault.SERVER_ERROR) {
                byte[] error = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                    + "\"message\":\"injected by the test\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(500, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            if (fault == Fault.DROP_RESPONSE) {
                // Applied upstream; closing without response headers makes the server drop the connection.
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException,
        InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
            .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
