package za.co.personalisation.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.local.esm.LocalFunction;
import za.co.personalisation.local.template.ApiDefinition;
import za.co.personalisation.local.template.FunctionDefinition;
import za.co.personalisation.local.template.Template;

/**
 * The local API gateway when it is slower than its clients (issue 14: in a soak the gateway queued requests longer
 * than the load tool's timeout, served requests whose clients had gone, and the JVM ran out of file descriptors).
 * Floods the gateway through real sockets with a slow function behind it (flood-template.yaml: 1 s integration
 * timeout, ReservedConcurrentExecutions 3) and checks that it stays bounded and honest: an abandoned request is
 * answered 504 without invoking the function, a request beyond the queue is throttled (429), the function never
 * runs more often at once than the template allows, descriptors and threads come back, every answer is
 * problem+json, and the gateway serves normally afterwards.
 */
class ApiGatewayFloodIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path frontend;

    private final AtomicInteger invocations = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peakRunning = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile long workMillis = 300;
    private ApiDefinition api;
    private LocalFunction work;
    private ApiGateway gateway;

    @BeforeEach
    void setUp() throws Exception {
        api = ApiDefinition.read(Template.load(Path.of(ApiGatewayFloodIT.class.getResource("flood-template.yaml")
            .toURI())), Map.of());
        FunctionDefinition definition = new FunctionDefinition("WorkFunction", "work", "x::handleRequest", "", 128,
            Duration.ofSeconds(30), Map.of(), List.of());
        work = new LocalFunction(definition, "arn:aws:lambda:af-south-1:123456789012:function:work",
            () -> (event, context) -> {
                invocations.incrementAndGet();
                peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(workMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                return new APIGatewayProxyResponseEvent().withStatusCode(200)
                    .withHeaders(Map.of("Content-Type", "application/json")).withBody("{\"ok\":true}");
            });
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void template_setsTheRoutesConcurrencyAndTheStageThrottle() {
        assertThat(api.routes()).hasSize(2).allSatisfy(route -> assertThat(route.concurrency()).isEqualTo(3));
        assertThat(api.throttle()).isEqualTo(new ApiDefinition.Throttle(1000, 500));
        assertThat(GatewayLimits.of(api).workers()).isEqualTo(3);
    }

    @Test
    void flood_ofClientsThatGiveUp_neverInvokesTheFunctionForThem_andDescriptorsAndThreadsComeBack()
        throws Exception {
        start(new GatewayLimits(3, 500, 1000));
        warmThreeEnvironments();
        long fdsBefore = openFileDescriptors();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        int clients = 120;
        ExecutorService impatient = Executors.newFixedThreadPool(clients);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            // each gives up after 1.2 s, longer than the route's 1 s integration timeout, as the load tool's 30 s
            // outlast API Gateway's 29 s
            answers.add(CompletableFuture.supplyAsync(() -> postAndGiveUp(Duration.ofMillis(1200)), impatient));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        impatient.shutdown();
        // the test's own 120 client threads end after shutdown, not at it: wait, or they count as the gateway's
        assertThat(impatient.awaitTermination(10, TimeUnit.SECONDS)).as("the clients' threads ended").isTrue();

        // 3 workers, 300 ms per invocation, 1 s to start one: at most 3 x 4 started in time (a little slack for
        // arrival spread), never one per client as before (120 invocations for clients long gone)
        assertThat(invocations.get()).as("invocations for 120 requests").isBetween(3, 18);
        assertThat(peakRunning.get()).as("at most ReservedConcurrentExecutions at once").isLessThanOrEqualTo(3);
        Map<String, Long> seen = answers.stream().map(CompletableFuture::join)
            .collect(Collectors.groupingBy(status -> status.length() > 12 ? status.substring(0, 12) : status,
                Collectors.counting()));
        // the rest: 504 at once for those that waited past the integration timeout, 500 (Lambda's throttle) while
        // invocations cut off by their 504 still hold the function's 3 concurrent executions, or no answer before
        // the client gave up
        assertThat(gateway.abandoned()).as("answered 504 without an invocation; clients saw %s", seen)
            .isGreaterThan(0);

        awaitTrue(() -> openFileDescriptors() <= fdsBefore + 10, Duration.ofSeconds(5));
        assertThat(openFileDescriptors()).as("descriptors back after the flood").isLessThanOrEqualTo(fdsBefore + 10);
        int threadBound = threadsBefore + 3 + 2 + 3 + 3 + 10;
        awaitTrue(() -> ManagementFactory.getThreadMXBean().getThreadCount() <= threadBound, Duration.ofSeconds(5));
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).as("threads bounded by the limits")
            .isLessThanOrEqualTo(threadBound);
        awaitTrue(() -> running.get() == 0, Duration.ofSeconds(5));
        assertThat(post(Duration.ofSeconds(10)).statusCode()).as("and it serves normally afterwards").isEqualTo(200);
    }

    /**
     * Three requests at once before the flood, so that the flood meets warm environments: a cold start outlasts the
     * route's 1 s integration timeout, and the invocations it cuts off run on holding the function's concurrency,
     * so that on a fast machine the workers would answer the whole queue with Lambda's throttle (500) within those
     * few hundred milliseconds instead of letting it wait (seen on an idle machine: 108 of 120 answered 500).
     */
    private void warmThreeEnvironments() throws Exception {
        ExecutorService warm = Executors.newFixedThreadPool(3);
        List<CompletableFuture<Integer>> warming = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            warming.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post(Duration.ofSeconds(10)).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, warm));
        }
        CompletableFuture.allOf(warming.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        warm.shutdown();
        assertThat(warm.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        awaitTrue(() -> running.get() == 0, Duration.ofSeconds(5));
        invocations.set(0);
        peakRunning.set(0);
    }

    @Test
    void patientFlood_beyondTheQueue_isThrottled429_andEveryAnswerIsProblemJsonOr200() throws Exception {
        start(new GatewayLimits(3, 5, 1000));
        int clients = 60;
        ExecutorService patient = Executors.newFixedThreadPool(clients);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    // /long: 5 s of integration timeout, so the 8 let in are served even on a slow machine
                    return post("/long", Duration.ofSeconds(20));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, patient));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        patient.shutdown();

        int ok = 0;
        int throttled = 0;
        int timedOut = 0;
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            if (response.statusCode() == 200) {
                ok++;
                continue;
            }
            assertThat(response.statusCode()).isIn(429, 500, 504);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("type").asText()).isEqualTo("https://personalisation.example/problems/gateway");
            assertThat(problem.path("status").asInt()).isEqualTo(response.statusCode());
            assertThat(problem.path("title").asText()).isNotBlank();
            assertThat(problem.path("detail").asText()).isNotBlank();
            if (response.statusCode() == 504) {
                timedOut++;
            }
            if (response.statusCode() == 429) {
                throttled++;
                assertThat(problem.path("title").asText()).isEqualTo("THROTTLED");
            }
        }
        assertThat(throttled).as("beyond 3 workers + 5 queued: throttled").isGreaterThan(0);
        assertThat(ok).as("the ones let in are served").isGreaterThanOrEqualTo(3);
        // a 504 may have been invoked (it got a worker just in time and was cut off, as API Gateway cuts off at
        // its timeout); a 429 or 500 never
        assertThat(invocations.get()).as("one invocation per 200 (and per 504 at most)").isBetween(ok, ok + timedOut);
        assertThat(gateway.throttled()).isEqualTo(throttled);
        assertThat(post(Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
    }

    @Test
    void stageThrottle_fromMethodSettings_answers429BeyondTheBurst_withoutInvoking() throws Exception {
        api = new ApiDefinition(api.logicalId(), api.stage(), api.apiKeyRequired(), api.usagePlan(), api.cors(),
            api.gatewayResponses(), api.routes(), new ApiDefinition.Throttle(0.01, 2));
        start(GatewayLimits.of(api));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(post(Duration.ofSeconds(10)).statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 429, 429, 429);
        assertThat(invocations.get()).isEqualTo(2);
    }

    @Test
    void requestThatWaitedLongerThanTheIntegrationTimeout_is504ProblemJson_andTheFunctionIsNotInvoked()
        throws Exception {
        // one worker, kept busy for 2 s by a request on /long (5 s integration timeout); /work allows 1 s
        start(new GatewayLimits(1, 10, 100));
        workMillis = 2000;
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/long", Duration.ofSeconds(20));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(() -> running.get() == 1, Duration.ofSeconds(5));
        HttpResponse<String> second = post(Duration.ofSeconds(20));

        assertThat(second.statusCode()).isEqualTo(504);
        assertThat(second.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(second.body()).path("title").asText()).isEqualTo("INTEGRATION_TIMEOUT");
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(invocations.get()).as("only the first was invoked").isEqualTo(1);
        assertThat(gateway.abandoned()).isEqualTo(1);
        workMillis = 10;
        assertThat(post(Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
    }

    private void start(GatewayLimits limits) throws IOException {
        gateway = new ApiGateway(0, api, Map.of("WorkFunction", work), new LocalPages(frontend),
            JsonLog.forFunction("flood-gateway"), Clock.systemUTC(), limits);
        gateway.start();
    }

    /** Sends a request on a socket of its own and waits at most {@code patience}: the status line, or "gave up". */
    private String postAndGiveUp(Duration patience) {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout((int) patience.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /work HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        } catch (SocketTimeoutException e) {
            return "gave up";
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }

    private HttpResponse<String> post(Duration timeout) throws IOException, InterruptedException {
        return post("/work", timeout);
    }

    private HttpResponse<String> post(String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .timeout(timeout).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long openFileDescriptors() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
