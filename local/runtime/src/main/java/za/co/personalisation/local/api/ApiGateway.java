package za.co.personalisation.local.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import za.co.personalisation.aws.http.Problem;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.local.esm.LocalFunction;

/**
 * An HTTP server that routes like API Gateway's REST API in front of Lambda proxy integrations: each request
 * becomes an {@link APIGatewayProxyRequestEvent} (resource, path parameters, multi-value headers and query
 * strings, requestContext with requestId, stage and source IP, base64 for bodies that are not UTF-8) and the
 * handler's response becomes the HTTP response. Unknown routes answer 404 and known paths with another method 405,
 * as problem+json like the template's gateway responses.
 *
 * <p>Paths under {@code /local/} and the page at {@code /} are served by {@link LocalPages}, not by a function.
 */
public final class ApiGateway implements AutoCloseable {

    /** API Gateway's payload limit. */
    static final int MAX_PAYLOAD = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes = new ArrayList<>();
    private final String stage;
    private final LocalPages pages;
    private final JsonLog log;
    private final Clock clock;
    private final ThreadLocal<Map<LocalFunction, LocalFunction.Instance>> instances =
        ThreadLocal.withInitial(HashMap::new);
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requests = new AtomicLong();

    public ApiGateway(int port, String stage, LocalPages pages, JsonLog log, Clock clock) throws IOException {
        this.stage = stage;
        this.pages = pages;
        this.log = log;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        this.executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "api-gateway");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void addRoute(String method, String resource, LocalFunction function) {
        routes.add(new Route(method, resource, function));
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getRawPath();
            if (pages.serves(path)) {
                pages.handle(exchange);
                return;
            }
            String method = exchange.getRequestMethod();
            Route route = null;
            Map<String, String> pathParameters = null;
            boolean pathKnown = false;
            for (Route candidate : routes) {
                Map<String, String> match = candidate.match(path);
                if (match != null) {
                    pathKnown = true;
                    if (candidate.method().equals(method) || candidate.method().equals("ANY")) {
                        route = candidate;
                        pathParameters = match;
                        break;
                    }
                }
            }
            if (route == null) {
                int status = pathKnown ? 405 : 404;
                write(exchange, Problem.response(status, "gateway", pathKnown ? "Method not allowed" : "Not found",
                    pathKnown ? method + " is not allowed on " + path : "No route for " + method + " " + path,
                    List.of()));
                return;
            }
            byte[] body = read(exchange.getRequestBody());
            if (body == null) {
                write(exchange, Problem.response(413, "payload-too-large", "Payload too large",
                    "API Gateway accepts at most " + MAX_PAYLOAD + " bytes.", List.of()));
                return;
            }
            APIGatewayProxyRequestEvent event = event(exchange, route, pathParameters, body);
            APIGatewayProxyResponseEvent response;
            try {
                Object result = instances.get().computeIfAbsent(route.function(), LocalFunction::newInstance)
                    .invoke(event);
                response = (APIGatewayProxyResponseEvent) result;
            } catch (RuntimeException e) {
                log.error("api.integration_failed").with("requestId", event.getRequestContext().getRequestId())
                    .error(e).log();
                response = Problem.response(502, "gateway", "Bad gateway",
                    "The integration failed; see the function log with requestId "
                        + event.getRequestContext().getRequestId(), List.of());
            }
            if (response == null || response.getStatusCode() == null) {
                response = Problem.response(502, "gateway", "Bad gateway", "The integration returned no status.",
                    List.of());
            }
            exchange.getResponseHeaders().add("x-amzn-RequestId", event.getRequestContext().getRequestId());
            write(exchange, response);
        }
    }

    private APIGatewayProxyRequestEvent event(HttpExchange exchange, Route route, Map<String, String> pathParameters,
        byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey();
            headers.put(name, header.getValue().get(header.getValue().size() - 1));
            multiHeaders.put(name, List.copyOf(header.getValue()));
        }
        String traceId = "Root=1-" + Long.toHexString(clock.instant().getEpochSecond()) + "-"
            + HexFormat.of().formatHex(randomBytes(12)) + ";Sampled=1";
        headers.put("X-Amzn-Trace-Id", traceId);
        multiHeaders.put("X-Amzn-Trace-Id", List.of(traceId));
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, List<String>> multiQuery = new LinkedHashMap<>();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                String key = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
                String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                query.put(key, value);
                multiQuery.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        String text = utf8(body);
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress());
        identity.setUserAgent(headers.getOrDefault("User-Agent", headers.get("user-agent")));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setRequestId(UUID.randomUUID().toString());
        context.setStage(stage);
        context.setIdentity(identity);
        context.setResourcePath(route.resource());
        context.setHttpMethod(exchange.getRequestMethod());
        context.setPath("/" + stage + exchange.getRequestURI().getRawPath());
        context.setProtocol(exchange.getProtocol());
        context.setApiId("local");
        context.setAccountId("123456789012");
        context.setRequestTimeEpoch(clock.millis());
        return new APIGatewayProxyRequestEvent()
            .withResource(route.resource())
            .withPath(exchange.getRequestURI().getRawPath())
            .withHttpMethod(exchange.getRequestMethod())
            .withHeaders(headers)
            .withMultiValueHeaders(multiHeaders)
            .withQueryStringParameters(query.isEmpty() ? null : query)
            .withMultiValueQueryStringParameters(multiQuery.isEmpty() ? null : multiQuery)
            .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
            .withRequestContext(context)
            .withBody(body.length == 0 ? null : text != null ? text : Base64.getEncoder().encodeToString(body))
            .withIsBase64Encoded(body.length > 0 && text == null);
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The body as text when it is valid UTF-8, else {@code null} (then it travels base64-encoded). */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_PAYLOAD + 1);
        return body.length > MAX_PAYLOAD ? null : body;
    }

    static void write(HttpExchange exchange, APIGatewayProxyResponseEvent response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach(headers::set);
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        }
        byte[] body = response.getBody() == null ? new byte[0]
            : Boolean.TRUE.equals(response.getIsBase64Encoded()) ? Base64.getDecoder().decode(response.getBody())
            : response.getBody().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.getStatusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
