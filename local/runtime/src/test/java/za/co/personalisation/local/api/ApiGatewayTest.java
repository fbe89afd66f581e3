package za.co.personalisation.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * The API Gateway emulation against a small test template (api-template.yaml beside this class), through real HTTP:
 * API keys (API Gateway answers 403 "Forbidden" without a valid key on a method that requires one; SAM's
 * Auth.ApiKeyRequired on the API applies to every method and an event's own overrides it), CORS (SAM's Cors
 * property generates an OPTIONS preflight that needs no key), the REST v1 Lambda proxy event and response
 * ("Set up Lambda proxy integrations in API Gateway": input and output formats), the integration timeout (504) and
 * a failed integration (502), each rendered from the template's GatewayResponses. The functions are fakes that
 * record what they were given; nothing here talks to AWS.
 */
class ApiGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path frontend;

    private final List<APIGatewayProxyRequestEvent> received = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final CountDownLatch slowFinished = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiGateway gateway;
    private volatile RequestHandler<Object, Object> echo;

    @BeforeEach
    void start() throws Exception {
        echo = (event, context) -> respond((APIGatewayProxyRequestEvent) event);
        Template template = Template.load(Path.of(ApiGatewayTest.class.getResource("api-template.yaml").toURI()));
        ApiDefinition api = ApiDefinition.read(template, Map.of("Stage", "test"));
        gateway = new ApiGateway(0, api, Map.of(
            "EchoFunction", function("EchoFunction", (event, context) -> echo.handleRequest(event, context)),
            "SlowFunction", function("SlowFunction", (event, context) -> {
                try {
                    releaseSlow.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slowFinished.countDown();
                return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("late");
            })), new LocalPages(frontend), JsonLog.forFunction("test-gateway"), Clock.systemUTC());
        gateway.start();
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        gateway.close();
    }

    @Test
    void keyRequiredRoute_withoutOrWithAWrongKey_is403ProblemJson_andTheFunctionIsNotInvoked() throws Exception {
        HttpResponse<String> none = send(put("/customers/12345/contact", "{}"));
        HttpResponse<String> wrong = send(put("/customers/12345/contact", "{}").header("x-api-key", "guess"));

        for (HttpResponse<String> response : List.of(none, wrong)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("title").asText()).isEqualTo("INVALID_API_KEY");
            assertThat(problem.path("status").asInt()).isEqualTo(403);
            assertThat(problem.path("detail").asText()).isEqualTo("Forbidden");
        }
        assertThat(received).isEmpty();

        HttpResponse<String> keyed = send(put("/customers/12345/contact", "{}").header("X-API-Key",
            ApiGateway.LOCAL_API_KEY));
        assertThat(keyed.statusCode()).isEqualTo(200);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getRequestContext().getIdentity().getApiKey()).isEqualTo("local-dev-key");
    }

    @Test
    void eventLevelApiKeyRequiredFalse_overridesTheApisDefault() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/health")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void proxyEvent_hasTheRestV1Shape() throws Exception {
        HttpResponse<String> response = send(put("/customers/12345/contact?tag=a&tag=b&one=1", "{\"x\":1}")
            .header("x-api-key", ApiGateway.LOCAL_API_KEY)
            .header("X-Custom", "first").header("X-Custom", "second"));

        APIGatewayProxyRequestEvent event = received.get(0);
        assertThat(event.getResource()).isEqualTo("/customers/{customerId}/contact");
        assertThat(event.getPath()).isEqualTo("/customers/12345/contact");
        assertThat(event.getHttpMethod()).isEqualTo("PUT");
        assertThat(event.getPathParameters()).isEqualTo(Map.of("customerId", "12345"));
        assertThat(event.getQueryStringParameters()).containsEntry("tag", "b").containsEntry("one", "1");
        assertThat(event.getMultiValueQueryStringParameters()).containsEntry("tag", List.of("a", "b"));
        assertThat(event.getMultiValueHeaders()).containsEntry("X-custom", List.of("first", "second"));
        assertThat(event.getHeaders()).containsEntry("X-custom", "second").containsKey("X-Amzn-Trace-Id");
        assertThat(event.getBody()).isEqualTo("{\"x\":1}");
        assertThat(event.getIsBase64Encoded()).isFalse();
        var context = event.getRequestContext();
        assertThat(context.getRequestId()).isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertThat(context.getStage()).isEqualTo("test");
        assertThat(context.getPath()).isEqualTo("/test/customers/12345/contact");
        assertThat(context.getResourcePath()).isEqualTo("/customers/{customerId}/contact");
        assertThat(context.getIdentity().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(context.getRequestTimeEpoch()).isPositive();
    }

    @Test
    void proxyEvent_carriesABodyThatIsNotUtf8AsBase64() throws Exception {
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};
        send(HttpRequest.newBuilder(uri("/customers/1/contact")).header("x-api-key", ApiGateway.LOCAL_API_KEY)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(binary)));

        APIGatewayProxyRequestEvent event = received.get(0);
        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(event.getBody())).isEqualTo(binary);
    }

    @Test
    void response_mapsStatusHeadersMultiValueHeadersAndBase64Bodies() throws Exception {
        echo = (event, context) -> new APIGatewayProxyResponseEvent().withStatusCode(201)
            .withHeaders(Map.of("Content-Type", "application/octet-stream"))
            .withMultiValueHeaders(Map.of("Set-Cookie", List.of("a=1", "b=2")))
            .withIsBase64Encoded(true).withBody(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));

        HttpResponse<byte[]> response = http.send(put("/customers/1/contact", "{}")
            .header("x-api-key", ApiGateway.LOCAL_API_KEY).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).containsExactly(1, 2, 3);
        assertThat(response.headers().allValues("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
    }

    @Test
    void functionError_andAResponseWithoutStatus_are502ProblemJson() throws Exception {
        echo = (event, context) -> {
            throw new IllegalStateException("boom");
        };
        HttpResponse<String> failed = send(put("/customers/1/contact", "{}").header("x-api-key",
            ApiGateway.LOCAL_API_KEY));
        echo = (event, context) -> new APIGatewayProxyResponseEvent().withBody("no status");
        HttpResponse<String> malformed = send(put("/customers/1/contact", "{}").header("x-api-key",
            ApiGateway.LOCAL_API_KEY));

        for (HttpResponse<String> response : List.of(failed, malformed)) {
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(502);
        }
    }

    @Test
    void integrationTimeout_is504ProblemJson_whileTheInvocationRunsOn() throws Exception {
        // api-template.yaml sets TimeoutInMillis: 300 on /slow (API Gateway's default and maximum is 29 s)
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/slow")).header("x-api-key",
            ApiGateway.LOCAL_API_KEY).POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asText()).isEqualTo("INTEGRATION_TIMEOUT");
        assertThat(problem.path("detail").asText()).isEqualTo("Endpoint request timed out");
        assertThat(slowFinished.getCount()).as("the function is still running").isEqualTo(1);
        releaseSlow.countDown();
        assertThat(slowFinished.await(20, TimeUnit.SECONDS)).as("and then completes").isTrue();
    }

    @Test
    void defaultIntegrationTimeout_isApiGatewaysTwentyNineSeconds() throws Exception {
        Template template = Template.load(Path.of(ApiGatewayTest.class.getResource("api-template.yaml").toURI()));

        ApiDefinition api = ApiDefinition.read(template, Map.of());

        assertThat(api.routes()).filteredOn(route -> route.path().equals("/health")).singleElement()
            .satisfies(route -> assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(29)));
        assertThat(api.usagePlan()).containsEntry("CreateUsagePlan", "PER_API");
    }

    @Test
    void corsPreflight_needsNoKey_andAllowsOnlyTheConfiguredOrigin() throws Exception {
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri("/customers/1/contact"))
            .header("Origin", "https://shop.example").header("Access-Control-Request-Method", "PUT")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> other = send(HttpRequest.newBuilder(uri("/customers/1/contact"))
            .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "PUT")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue("https://shop.example");
        assertThat(allowed.headers().firstValue("access-control-allow-methods")).hasValue("PUT,OPTIONS");
        assertThat(allowed.headers().firstValue("access-control-allow-headers")).hasValue("Content-Type,x-api-key");
        assertThat(allowed.headers().firstValue("access-control-max-age")).hasValue("600");
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void corsOnResponses_allowOriginOnlyForTheConfiguredOrigin() throws Exception {
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri("/health"))
            .header("Origin", "https://shop.example").GET());
        HttpResponse<String> other = send(HttpRequest.newBuilder(uri("/health"))
            .header("Origin", "https://evil.example").GET());
        HttpResponse<String> refused = send(put("/customers/1/contact", "{}").header("Origin", "https://shop.example"));

        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue("https://shop.example");
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("access-control-allow-origin")).hasValue("https://shop.example");
    }

    @Test
    void unknownPath_is404_knownPathWithAnotherMethod_is405_bothProblemJson() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/nothing")).GET());
        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(uri("/customers/1/contact"))
            .header("x-api-key", ApiGateway.LOCAL_API_KEY).GET());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(missing.body()).path("status").asInt()).isEqualTo(404);
        assertThat(wrongMethod.headers().firstValue("content-type")).hasValue("application/problem+json");
    }

    @Test
    void greedyPathParameter_takesTheRestOfThePath_andAnyMethodMatches() throws Exception {
        send(HttpRequest.newBuilder(uri("/files/a/b/c.txt")).header("x-api-key", ApiGateway.LOCAL_API_KEY)
            .DELETE());

        assertThat(received.get(0).getPathParameters()).isEqualTo(Map.of("proxy", "a/b/c.txt"));
        assertThat(received.get(0).getHttpMethod()).isEqualTo("DELETE");
    }

    private APIGatewayProxyResponseEvent respond(APIGatewayProxyRequestEvent event) {
        received.add(event);
        return new APIGatewayProxyResponseEvent().withStatusCode(200)
            .withHeaders(Map.of("Content-Type", "application/json")).withBody("{\"ok\":true}");
    }

    private LocalFunction function(String logicalId, RequestHandler<Object, Object> handler) {
        FunctionDefinition definition = new FunctionDefinition(logicalId, logicalId.toLowerCase(), "x::handleRequest",
            "", 128, Duration.ofSeconds(60), Map.of(), List.of());
        return new LocalFunction(definition, "arn:aws:lambda:af-south-1:123456789012:function:" + logicalId,
            () -> handler);
    }

    private HttpRequest.Builder put(String path, String body) throws URISyntaxException {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) throws URISyntaxException {
        return new URI("http://127.0.0.1:" + gateway.port() + path);
    }
}
