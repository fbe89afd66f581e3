package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.xray.XRayClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.observe.XRayRelay;

/**
 * Active tracing, locally: ingest's invocation is a segment in the API request's trace, its PutRecords call a
 * subsegment (the X-Ray SDK interceptor in AwsClients), and the segment reaches the emulator's X-Ray through the
 * local daemon; the trace id travels with the event into the profile and on into the notification it triggers.
 */
@ExtendWith(MotoExtension.class)
class LocalTracingIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalRuntime runtime;
    private static MotoExtension.Emulator emulator;

    @BeforeAll
    static void start(MotoServer moto, MotoExtension.Emulator given) {
        emulator = given;
        runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void apiRequest_isTracedThroughIngest_withItsKinesisCallAsASubsegment() throws Exception {
        String traceRoot = "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-0123456789abcdef01234567";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.port() + "/events"))
            .header("Content-Type", "application/json")
            .header("X-Amzn-Trace-Id", "Root=" + traceRoot + ";Sampled=1")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"customerId\":\"45678\",\"interest\":\"electronics\",\"location\":\"Cape Town\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);

        List<XRayRelay.Segment> segments = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (segments.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            segments = runtime.xray().trace(traceRoot);
        }
        assertThat(segments).as("segments of trace " + traceRoot).isNotEmpty();
        XRayRelay.Segment ingest = segments.get(0);
        assertThat(ingest.name()).isEqualTo("personalisation-ingest-local");
        assertThat(ingest.calls()).anyMatch(call -> call.startsWith("Kinesis") && call.contains("PutRecords"));

        // the local daemon uploads in batches, as AWS's does (a partial batch after at most a second)
        XRayClient xray = new AwsClients(Settings.of(emulator.environment())).configure(XRayClient.builder()).build();
        int uploaded = 0;
        long uploadDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (uploaded == 0 && System.nanoTime() < uploadDeadline) {
            Thread.sleep(200);
            uploaded = xray.batchGetTraces(b -> b.traceIds(traceRoot)).traces().size();
        }
        assertThat(uploaded).as("the trace in the emulator's X-Ray").isEqualTo(1);

        // 45678 consented to SMS: the Cape Town electronics offer is decided, and its ledger entry (and the
        // notification on the topic) carries the request's trace id
        DynamoDbClient dynamoDb = new AwsClients(Settings.of(emulator.environment())).dynamoDb();
        String ledgerTraceId = null;
        long ledgerDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ledgerTraceId == null && System.nanoTime() < ledgerDeadline) {
            Thread.sleep(300);
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(runtime.ref("NotificationsTable"))
                .key(Map.of("customerId", AttributeValue.fromS("45678"),
                    "notificationKey", AttributeValue.fromS("ELEC-CPT-01#sms")))).item();
            if (item != null && item.containsKey("traceId")) {
                ledgerTraceId = item.get("traceId").s();
            }
        }
        assertThat(ledgerTraceId).isEqualTo(traceRoot);

        // every line ingest logged for the request carries the invocation's request id (the one its REPORT line
        // names), the cold-start flag and the trace id, so Logs Insights can join them
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(ProjectRoot.find().resolve(".local-aws/logs/functions.log"))) {
            lines.add(JSON.readTree(line));
        }
        JsonNode request = lines.stream().filter(line -> line.path("function").asText().endsWith("ingest-local")
            && line.path("message").asText().equals("request") && traceRoot.equals(line.path("traceId").asText()))
            .findFirst().orElseThrow(() -> new AssertionError("ingest's request line for trace " + traceRoot));
        assertThat(request.path("xray_trace_id").asText()).isEqualTo(traceRoot);
        assertThat(request.path("cold_start").isBoolean()).isTrue();
        String requestId = request.path("function_request_id").asText();
        assertThat(requestId).isNotBlank();
        assertThat(lines).filteredOn(line -> line.path("message").asText().equals("lambda.report")
            && line.path("functionId").asText().equals("IngestFunction")
            && line.path("requestId").asText().equals(requestId)).hasSize(1);
        assertThat(lines).filteredOn(line -> line.path("function").asText().endsWith("enrich-local")
            && line.path("message").asText().equals("event.applied")
            && line.path("customerId").asText().equals("45678"))
            .isNotEmpty().allSatisfy(line -> assertThat(line.path("function_request_id").asText()).isNotBlank());
    }

    @Test
    void enrichesCustomersInParallel_inItsInvocationsTrace_everyProfileWriteASubsegment() throws Exception {
        String body = "{\"events\":[{\"customerId\":\"trace-a\",\"interest\":\"books\",\"location\":\"Durban\"},"
            + "{\"customerId\":\"trace-b\",\"interest\":\"books\",\"location\":\"Durban\"},"
            + "{\"customerId\":\"trace-c\",\"interest\":\"books\",\"location\":\"Durban\"}]}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.port() + "/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);

        // one stream batch holds the three customers, which enrich applies on its worker threads
        List<JsonNode> applied = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (applied.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(300);
            applied = new ArrayList<>();
            for (String line : Files.readAllLines(ProjectRoot.find().resolve(".local-aws/logs/functions.log"))) {
                JsonNode json = JSON.readTree(line);
                if (json.path("message").asText().equals("event.applied")
                    && json.path("customerId").asText().startsWith("trace-")) {
                    applied.add(json);
                }
            }
        }
        assertThat(applied).hasSize(3);
        assertThat(applied).extracting(line -> line.path("xray_trace_id").asText()).doesNotContain("").hasSize(3);
        String trace = applied.get(0).path("xray_trace_id").asText();
        assertThat(applied).allSatisfy(line -> assertThat(line.path("xray_trace_id").asText()).isEqualTo(trace));

        List<String> calls = new ArrayList<>();
        long traceDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (calls.stream().filter(LocalTracingIT::isProfileWrite).count() < 3
            && System.nanoTime() < traceDeadline) {
            Thread.sleep(300);
            calls = runtime.xray().trace(trace).stream().flatMap(segment -> segment.calls().stream()).toList();
        }
        assertThat(calls).as("AWS calls recorded in enrich's trace " + trace + ": " + calls)
            .filteredOn(LocalTracingIT::isProfileWrite).hasSizeGreaterThanOrEqualTo(3);
    }

    private static boolean isProfileWrite(String call) {
        return call.startsWith("DynamoDb ") && (call.endsWith(" PutItem") || call.endsWith(" UpdateItem")
            || call.endsWith(" TransactWriteItems"));
    }
}
