package za.co.personalisation.local.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import za.co.personalisation.aws.http.Problem;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.local.esm.LocalFunction;
import za.co.personalisation.local.template.ApiDefinition;

/**
 * An HTTP server that behaves like API Gateway's REST API in front of Lambda proxy integrations, configured from
 * template.yaml ({@link ApiDefinition}):
 * <ul>
 *   <li>routes and methods of the functions' Api events; an unknown path answers 404 and a known path with another
 *   method 405;</li>
 *   <li>API keys: a route that requires one (the API's {@code Auth.ApiKeyRequired} or the event's own) answers 403
 *   unless the request carries {@code x-api-key: }{@value #LOCAL_API_KEY}, the local stand-in for the usage plan's
 *   key;</li>
 *   <li>CORS from the API's {@code Cors}: the preflight (OPTIONS, no key needed) answers with the allowed methods
 *   and headers, and {@code Access-Control-Allow-Origin} is sent only to an allowed origin;</li>
 *   <li>each request becomes an {@link APIGatewayProxyRequestEvent} (resource, path parameters, multi-value
 *   headers and query strings, requestContext with requestId, stage and source IP, base64 for bodies that are not
 *   UTF-8) and the handler's response becomes the HTTP response (status, headers, multi-value headers, base64
 *   bodies);</li>
 *   <li>the integration timeout ({@code TimeoutInMillis}, at most 29 s): past it the client gets 504 while the
 *   invocation runs on, as in AWS; a function error, a Lambda timeout or a response without a status is 502;</li>
 *   <li>bounded and honest when it is slower than its clients ({@link GatewayLimits}): a request's whole stay in
 *   the gateway, queue included, is bounded by its integration timeout; a request that waited in the local queue
 *   longer than that is answered 504 without invoking the function (its client has given up); a request beyond
 *   the queue's bound, or beyond the stage's throttle ({@code MethodSettings} rate and burst), is answered 429 from
 *   the THROTTLED gateway response; both close their connection; a function already running as often as its
 *   {@code ReservedConcurrentExecutions} (else the account's 1,000) allow is throttled by Lambda, which API Gateway
 *   answers 500 (INTEGRATION_FAILURE); the open connections are capped;</li>
 *   <li>errors the gateway itself answers are rendered from the API's {@code GatewayResponses} (the response
 *   type's entry, else DEFAULT_4XX / DEFAULT_5XX), so they are problem+json exactly as deployed.</li>
 * </ul>
 * Paths under {@code /local/} and the page at {@code /} are served by {@link LocalPages}, not by a function.
 */
public final class ApiGateway implements AutoCloseable {

    /** The API key the local gateway accepts, sent as {@code x-api-key}. */
    public static final String LOCAL_API_KEY = "local-dev-key";

    /** API Gateway's payload limit. */
    static final int MAX_PAYLOAD = 10 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Admission admission;
    private final ExecutorService integrations;
    private final TokenBucket throttle;
    private final Map<LocalFunction, Semaphore> concurrency = new IdentityHashMap<>();
    private final List<Route> routes = new ArrayList<>();
    private final ApiDefinition api;
    private final LocalPages pages;
    private final JsonLog log;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    public ApiGateway(int port, ApiDefinition api, Map<String, LocalFunction> functions, LocalPages pages,
        JsonLog log, Clock clock) throws IOException {
        this(port, api, functions, pages, log, clock, GatewayLimits.of(api));
    }

    public ApiGateway(int port, ApiDefinition api, Map<String, LocalFunction> functions, LocalPages pages,
        JsonLog log, Clock clock, GatewayLimits limits) throws IOException {
        this.api = api;
        this.pages = pages;
        this.log = log;
        this.clock = clock;
        for (ApiDefinition.RouteDefinition route : api.routes()) {
            LocalFunction function = functions.get(route.functionLogicalId());
            if (function == null) {
                throw new IllegalArgumentException("no local function " + route.functionLogicalId() + " for "
                    + route.method() + " " + route.path());
            }
            routes.add(new Route(route.method(), route.path(), function, route.apiKeyRequired(), route.timeout()));
            concurrency.putIfAbsent(function, new Semaphore(route.concurrency()));
        }
        capConnections(limits.maxConnections());
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        this.admission = new Admission(limits, System::nanoTime);
        // one thread per running invocation: bounded by the functions' concurrency (the semaphores above)
        this.integrations = Executors.newCachedThreadPool(Admission.daemon("api-integration"));
        this.throttle = api.throttle() == null ? null
            : new TokenBucket(api.throttle().rate(), api.throttle().burst(), System::nanoTime);
        server.setExecutor(admission);
        server.createContext("/", this::handle);
    }

    /**
     * Caps the open connections of the JDK's HTTP server. The JDK reads this once per JVM, when its first server
     * starts, and applies it to every server of the JVM; a value set on the command line wins.
     */
    private static void capConnections(int maxConnections) {
        if (System.getProperty("sun.net.httpserver.maxConnections") == null) {
            System.setProperty("sun.net.httpserver.maxConnections", Integer.toString(maxConnections));
        }
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests routed to the API (the page and {@code /local/} paths are not counted). */
    public long requests() {
        return requests.get();
    }

    /** API requests the gateway answered itself with a 4xx or 5xx (no route, no key, timeout, …). */
    public long rejected() {
        return rejected.get();
    }

    /** Requests answered 429: beyond the queue's bound or the stage's throttle (none of them invoked anything). */
    public long throttled() {
        return throttled.get();
    }

    /** Requests answered 504 without invoking the function: they had waited longer than the integration timeout. */
    public long abandoned() {
        return abandoned.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            long pickedUp = System.nanoTime();
            Admission.Ticket ticket = Admission.current();
            long arrived = ticket == null ? pickedUp : ticket.arrivedNanos();
            if (ticket != null && ticket.throttled()) {
                throttle(exchange);
                return;
            }
            if (pages.serves(path)) {
                pages.handle(exchange);
                return;
            }
            requests.incrementAndGet();
            long started = arrived;
            String requestId = UUID.randomUUID().toString();
            String method = exchange.getRequestMethod();
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            List<Route> onPath = routes.stream().filter(candidate -> candidate.match(path) != null).toList();
            Route route = onPath.stream().filter(candidate -> candidate.method().equals(method)).findFirst()
                .orElse(onPath.stream().filter(candidate -> candidate.method().equals("ANY")).findFirst()
                    .orElse(null));
            if (route == null && method.equals("OPTIONS") && api.cors() != null && !onPath.isEmpty()) {
                preflight(exchange, onPath, origin);
                return;
            }
            if (route == null) {
                gatewayError(exchange, requestId, onPath.isEmpty() ? 404 : 405,
                    onPath.isEmpty() ? "RESOURCE_NOT_FOUND" : "METHOD_NOT_ALLOWED",
                    onPath.isEmpty() ? "No route for " + method + " " + path : method + " is not allowed on " + path,
                    origin);
                return;
            }
            long waited = System.nanoTime() - arrived;
            if (waited >= route.timeout().toNanos()) {
                // its client has given up by now (API Gateway's own clients would have had their 504): the function
                // is not invoked for a client that is gone
                abandoned.incrementAndGet();
                exchange.getResponseHeaders().set("Connection", "close");
                log.warn("api.abandoned").with("requestId", requestId).with("waitedMs",
                    TimeUnit.NANOSECONDS.toMillis(waited)).log();
                gatewayError(exchange, requestId, 504, "INTEGRATION_TIMEOUT", "Endpoint request timed out", origin);
                return;
            }
            if (throttle != null && !throttle.tryTake()) {
                throttle(exchange);
                return;
            }
            if (route.apiKeyRequired() && !LOCAL_API_KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                gatewayError(exchange, requestId, 403, "INVALID_API_KEY", "Forbidden", origin);
                return;
            }
            byte[] body = read(exchange.getRequestBody());
            if (body == null) {
                gatewayError(exchange, requestId, 413, "REQUEST_TOO_LARGE", "Request Too Long", origin);
                return;
            }
            APIGatewayProxyRequestEvent event = event(exchange, route, route.match(path), body, requestId);
            long integrationStarted = System.nanoTime();
            APIGatewayProxyResponseEvent response = integrate(route, event,
                route.timeout().toNanos() - (integrationStarted - arrived));
            long integrationNanos = System.nanoTime() - integrationStarted;
            if (response == null) {
                gatewayError(exchange, requestId, 504, "INTEGRATION_TIMEOUT", "Endpoint request timed out", origin);
                return;
            }
            if (response.getStatusCode() == null) {
                log.warn("api.integration_failed").with("requestId", requestId)
                    .with("reason", "no statusCode in the proxy response").log();
                gatewayError(exchange, requestId, 502, "DEFAULT_5XX", "Internal server error", origin);
                return;
            }
            Headers headers = exchange.getResponseHeaders();
            headers.add("x-amzn-RequestId", requestId);
            corsHeaders(headers, origin, response);
            write(exchange, response);
            accessLog(requestId, method, route.resource(), response, started, pickedUp - arrived, integrationNanos);
        }
    }

    /**
     * A 429 from the THROTTLED gateway response; the connection is closed after it. Logged only as the
     * {@code api.request} line with its responseType (a flood of them must stay cheap).
     */
    private void throttle(HttpExchange exchange) throws IOException {
        throttled.incrementAndGet();
        exchange.getResponseHeaders().set("Connection", "close");
        gatewayError(exchange, UUID.randomUUID().toString(), 429, "THROTTLED", "Too Many Requests",
            exchange.getRequestHeaders().getFirst("Origin"));
    }

    /**
     * Invokes the route's function on an execution environment of its own and waits at most {@code budgetNanos}
     * (what is left of the integration timeout). {@code null} = timed out; a function error becomes a 502 response,
     * a function at its concurrency limit (Lambda's 429) a 500.
     */
    private APIGatewayProxyResponseEvent integrate(Route route, APIGatewayProxyRequestEvent event,
        long budgetNanos) {
        String requestId = event.getRequestContext().getRequestId();
        Semaphore running = concurrency.get(route.function());
        if (!running.tryAcquire()) {
            // Lambda throttles the invocation (TooManyRequestsException); API Gateway answers it as an
            // integration failure
            log.warn("api.function_throttled").with("requestId", requestId)
                .with("function", route.function().definition().logicalId()).log();
            return gatewayResponse(500, "INTEGRATION_FAILURE", "Internal server error", requestId);
        }
        Future<Object> invocation;
        try {
            invocation = integrations.submit(() -> {
                try {
                    return route.function().invokePooled(event);
                } finally {
                    running.release();
                }
            });
        } catch (RuntimeException e) {
            running.release();
            throw e;
        }
        try {
            Object result = invocation.get(Math.max(0, budgetNanos), TimeUnit.NANOSECONDS);
            if (result instanceof APIGatewayProxyResponseEvent response) {
                return response;
            }
            log.warn("api.integration_failed").with("requestId", requestId)
                .with("reason", "the handler returned " + (result == null ? "null" : result.getClass().getName()))
                .log();
            return new APIGatewayProxyResponseEvent();
        } catch (TimeoutException e) {
            // API Gateway gives up; the invocation itself runs on until it ends or hits the function's Timeout.
            log.warn("api.integration_timeout").with("requestId", requestId)
                .with("timeoutMs", route.timeout().toMillis()).log();
            return null;
        } catch (ExecutionException e) {
            log.error("api.integration_failed").with("requestId", requestId).error(e.getCause()).log();
            return gatewayResponse(502, "DEFAULT_5XX", "Internal server error", requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return gatewayResponse(502, "DEFAULT_5XX", "Internal server error", requestId);
        }
    }

    private void preflight(HttpExchange exchange, List<Route> onPath, String origin) throws IOException {
        ApiDefinition.Cors cors = api.cors();
        Headers headers = exchange.getResponseHeaders();
        if (cors.allows(origin)) {
            Set<String> methods = new LinkedHashSet<>();
            onPath.forEach(route -> methods.add(route.method().equals("ANY")
                ? "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT" : route.method()));
            methods.add("OPTIONS");
            headers.set("Access-Control-Allow-Origin", cors.allowOrigin().equals("*") ? "*" : origin);
            headers.set("Access-Control-Allow-Methods", cors.allowMethods() != null ? cors.allowMethods()
                : String.join(",", methods));
            if (cors.allowHeaders() != null) {
                headers.set("Access-Control-Allow-Headers", cors.allowHeaders());
            }
            if (cors.maxAge() != null) {
                headers.set("Access-Control-Max-Age", cors.maxAge());
            }
            if (cors.allowCredentials()) {
                headers.set("Access-Control-Allow-Credentials", "true");
            }
        }
        headers.set("Vary", "Origin");
        exchange.sendResponseHeaders(200, -1);
    }

    /** Access-Control-Allow-Origin for an allowed origin, when the function did not set CORS headers itself. */
    private void corsHeaders(Headers headers, String origin, APIGatewayProxyResponseEvent response) {
        ApiDefinition.Cors cors = api.cors();
        if (cors == null || !cors.allows(origin)) {
            return;
        }
        boolean set = response.getHeaders() != null && response.getHeaders().keySet().stream()
            .anyMatch(name -> name.equalsIgnoreCase("Access-Control-Allow-Origin"));
        if (!set) {
            headers.set("Access-Control-Allow-Origin", cors.allowOrigin().equals("*") ? "*" : origin);
            headers.add("Vary", "Origin");
            if (cors.allowCredentials()) {
                headers.set("Access-Control-Allow-Credentials", "true");
            }
        }
    }

    private void gatewayError(HttpExchange exchange, String requestId, int status, String responseType,
        String message, String origin) throws IOException {
        rejected.incrementAndGet();
        APIGatewayProxyResponseEvent response = gatewayResponse(status, responseType, message, requestId);
        exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
        exchange.getResponseHeaders().add("x-amzn-ErrorType", responseType);
        corsHeaders(exchange.getResponseHeaders(), origin, response);
        write(exchange, response);
        log.info("api.request").with("requestId", requestId).with("method", exchange.getRequestMethod())
            .with("status", response.getStatusCode()).with("responseType", responseType).log();
    }

    /**
     * The gateway's own answer, rendered from the template's GatewayResponses: the response type's entry, else
     * DEFAULT_4XX / DEFAULT_5XX, else a plain problem document.
     */
    APIGatewayProxyResponseEvent gatewayResponse(int status, String responseType, String message, String requestId) {
        ApiDefinition.GatewayResponse configured = api.gatewayResponses().get(responseType);
        if (configured == null) {
            configured = api.gatewayResponses().get(status < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX");
        }
        if (configured == null || configured.template() == null) {
            return Problem.response(status, "gateway", responseType, message, List.of());
        }
        int code = configured.statusCode() != null ? configured.statusCode() : status;
        String body = configured.template()
            .replace("$context.error.responseType", responseType)
            .replace("$context.error.statusCode", Integer.toString(code))
            .replace("$context.error.messageString", JSON.valueToTree(message).toString())
            .replace("$context.error.message", message)
            .replace("$context.requestId", requestId);
        Map<String, String> headers = new LinkedHashMap<>(configured.headers());
        headers.putIfAbsent("Content-Type", "application/json");
        return new APIGatewayProxyResponseEvent().withStatusCode(code).withHeaders(headers).withBody(body);
    }

    /**
     * One access-log line per request, with the eventIds an accepted request was given (ids only): latencyMs from
     * arrival to the answer, of which queueMs waiting for a worker and integrationMs waiting for the function.
     */
    private void accessLog(String requestId, String method, String resource, APIGatewayProxyResponseEvent response,
        long started, long queueNanos, long integrationNanos) {
        JsonLog.Entry entry = log.info("api.request").with("requestId", requestId).with("method", method)
            .with("resource", resource).with("status", response.getStatusCode())
            .with("latencyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
            .with("queueMs", TimeUnit.NANOSECONDS.toMillis(queueNanos))
            .with("integrationMs", TimeUnit.NANOSECONDS.toMillis(integrationNanos));
        String eventIds = eventIds(response);
        if (eventIds != null) {
            entry.with("eventIds", eventIds);
        }
        entry.log();
    }

    private static String eventIds(APIGatewayProxyResponseEvent response) {
        String body = response.getBody();
        if (body == null || Boolean.TRUE.equals(response.getIsBase64Encoded()) || !body.contains("\"eventIds\"")) {
            return null;
        }
        try {
            JsonNode ids = JSON.readTree(body).path("eventIds");
            List<String> list = new ArrayList<>();
            ids.forEach(id -> list.add(id.asText()));
            return list.isEmpty() ? null : String.join(",", list);
        } catch (IOException e) {
            return null;
        }
    }

    private APIGatewayProxyRequestEvent event(HttpExchange exchange, Route route, Map<String, String> pathParameters,
        byte[] body, String requestId) {
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
        identity.setUserAgent(exchange.getRequestHeaders().getFirst("User-Agent"));
        String apiKey = exchange.getRequestHeaders().getFirst("x-api-key");
        if (route.apiKeyRequired() && apiKey != null) {
            identity.setApiKey(apiKey);
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setRequestId(requestId);
        context.setExtendedRequestId(requestId);
        context.setStage(api.stage());
        context.setIdentity(identity);
        context.setResourcePath(route.resource());
        context.setResourceId(Integer.toHexString(route.resource().hashCode()));
        context.setHttpMethod(exchange.getRequestMethod());
        context.setPath("/" + api.stage() + exchange.getRequestURI().getRawPath());
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
            .withStageVariables(null)
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
        admission.close();
        integrations.shutdownNow();
    }
}
