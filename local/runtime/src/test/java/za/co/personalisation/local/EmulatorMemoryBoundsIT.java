package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.xray.XRayClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * What the emulator keeps in memory is bounded (local/moto/memory_bounds.py, issue 14) without hiding a fault from
 * the code that reads it: through the real SDK, a DynamoDB stream reader still gets every record with both images,
 * a reader behind the retention is told so as AWS tells it (TrimmedDataAccessException) instead of being given later
 * records, an iterator older than AWS's 15 minutes is refused (ExpiredIteratorException) and forgotten, and the
 * outbox after its cap holds the newest messages and says how many it dropped. The emulator's clock is moved with
 * POST /_local/clock, never waited for. Its own emulator, with small caps.
 */
class EmulatorMemoryBoundsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SENT_LIMIT = 3;
    private static final int TRACE_LIMIT = 2;
    private static final long RETENTION_SECONDS = 300;
    private static final int DICTIONARY_EVERY = 25;

    private static MotoServer moto;
    private static java.nio.file.Path motoLog;
    private static AwsClients clients;
    private static DynamoDbClient dynamo;
    private static DynamoDbStreamsClient streams;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        motoLog = ProjectRoot.find().resolve(".local-aws/logs/moto-test-bounds-" + ProcessHandle.current().pid()
            + ".log");
        moto = MotoServer.start(ProjectRoot.find(), 0, motoLog,
            Map.of("MOTO_SENT_LIMIT", Integer.toString(SENT_LIMIT),
                "MOTO_XRAY_TRACE_LIMIT", Integer.toString(TRACE_LIMIT),
                "MOTO_STREAM_RETENTION_SECONDS", Long.toString(RETENTION_SECONDS),
                "MOTO_JANITOR_SECONDS", "0.2",
                "MOTO_PACK_DICTIONARY_EVERY", Integer.toString(DICTIONARY_EVERY),
                "MOTO_MEMORY_BOUNDS", "1"));
        clients = new AwsClients(Settings.of(new MotoExtension.Emulator(moto).environment()));
        dynamo = clients.dynamoDb();
        streams = clients.dynamoDbStreams();
    }

    @AfterAll
    static void stop() {
        moto.close();
    }

    @BeforeEach
    void freshEmulator() {
        moto.reset(); // also sets the emulator's clock back
    }

    @Test
    void streamReader_withinRetention_getsEveryRecordWithBothImages() throws Exception {
        String stream = profilesTable("within");
        String iterator = iterator(stream, ShardIteratorType.TRIM_HORIZON, null);
        List<Map<String, AttributeValue>> written = writeVersions("within", "c1", 30, 200);
        advanceClock(RETENTION_SECONDS - 60); // a reader four minutes behind

        List<Record> records = readAll(iterator);

        assertThat(records).hasSize(30);
        for (int i = 0; i < records.size(); i++) {
            Record record = records.get(i);
            assertThat(record.dynamodb().newImage()).isEqualTo(written.get(i));
            if (i == 0) {
                assertThat(record.eventNameAsString()).isEqualTo("INSERT");
                assertThat(record.dynamodb().oldImage()).isEmpty();
            } else {
                assertThat(record.eventNameAsString()).isEqualTo("MODIFY");
                assertThat(record.dynamodb().oldImage()).isEqualTo(written.get(i - 1));
                assertThat(new BigInteger(record.dynamodb().sequenceNumber())).isEqualTo(
                    new BigInteger(records.get(i - 1).dynamodb().sequenceNumber()).add(
                        BigInteger.ONE));
            }
        }
        assertThat(holdings("").path("streamRecordsPackedBytes").asLong()).isPositive();
    }

    @Test
    void streamReader_sixMinutesBehind_isToldRecordsWereTrimmed_notGivenLaterOnes() throws Exception {
        String stream = profilesTable("behind");
        String atStart = iterator(stream, ShardIteratorType.TRIM_HORIZON, null);
        writeVersions("behind", "c1", 3, 5);
        List<Record> firstThree = readAll(iterator(stream, ShardIteratorType.TRIM_HORIZON, null));
        assertThat(firstThree).hasSize(3);

        advanceClock(360);
        List<Map<String, AttributeValue>> later = writeVersions("behind", "c2", 1, 5);

        assertThatThrownBy(() -> streams.getRecords(b -> b.shardIterator(atStart)))
            .isInstanceOf(TrimmedDataAccessException.class);
        String firstSequence = firstThree.get(0).dynamodb().sequenceNumber();
        assertThatThrownBy(() -> iterator(stream, ShardIteratorType.AFTER_SEQUENCE_NUMBER, firstSequence))
            .isInstanceOf(TrimmedDataAccessException.class);
        assertThatThrownBy(() -> iterator(stream, ShardIteratorType.AT_SEQUENCE_NUMBER,
            firstThree.get(2).dynamodb().sequenceNumber()))
            .isInstanceOf(TrimmedDataAccessException.class);
        // a reader that had read all that was trimmed goes on without a gap
        List<Record> afterLastRead = readAll(iterator(stream, ShardIteratorType.AFTER_SEQUENCE_NUMBER,
            firstThree.get(2).dynamodb().sequenceNumber()));
        assertThat(afterLastRead).extracting(r -> r.dynamodb().newImage()).containsExactlyElementsOf(later);
        assertThat(readAll(iterator(stream, ShardIteratorType.TRIM_HORIZON, null)))
            .extracting(r -> r.dynamodb().newImage()).containsExactlyElementsOf(later);
    }

    @Test
    void streamIterator_olderThanFifteenMinutes_isRefusedAndForgotten_aYoungerOneIsNot() throws Exception {
        String stream = profilesTable("expiry");
        String first = iterator(stream, ShardIteratorType.LATEST, null);
        advanceClock(14 * 60);
        GetRecordsResponse fourteenMinutesOld = streams.getRecords(b -> b.shardIterator(first));
        assertThat(fourteenMinutesOld.records()).isEmpty();
        String next = fourteenMinutesOld.nextShardIterator();

        advanceClock(61);

        assertThatThrownBy(() -> streams.getRecords(b -> b.shardIterator(first)))
            .isInstanceOf(ExpiredIteratorException.class);
        assertThat(streams.getRecords(b -> b.shardIterator(next)).records()).isEmpty();
        assertThat(holdings("").path("streamIterators").asInt())
            .as("only the iterators issued in the last 15 minutes are kept").isEqualTo(2);
    }

    @Test
    void itemVersionsOverwritten_areFreed_notKeptByMoto() throws Exception {
        String stream = profilesTable("versions");
        writeVersions("versions", "c1", 150, 20);
        assertThat(readAll(iterator(stream, ShardIteratorType.TRIM_HORIZON, null))).hasSize(150);

        JsonNode dynamodb = holdings("?collect=1").path("collect").path("dynamodb");

        assertThat(dynamodb.path("itemsInTables").asInt()).isEqualTo(1);
        // moto's BaseModel kept every Item it created (150 versions, and the copies it makes to answer) for ever
        assertThat(dynamodb.path("itemsAlive").asInt()).as(dynamodb.toString()).isLessThan(20);
    }

    @Test
    void kinesisRecords_keptPacked_areReadBackAsWritten() {
        try (KinesisClient kinesis = clients.kinesis()) {
            kinesis.createStream(b -> b.streamName("events").shardCount(1));
            String shard = kinesis.describeStream(b -> b.streamName("events")).streamDescription().shards().get(0)
                .shardId();
            Instant before = Instant.now().minusSeconds(5);
            List<SdkBytes> written = List.of(SdkBytes.fromUtf8String("{\"eventId\":\"e1\",\"interest\":\"running\"}"),
                SdkBytes.fromByteArray(new byte[] {0, (byte) 0xff, 1, (byte) 0x80}),
                SdkBytes.fromUtf8String("x".repeat(5_000)));
            for (int i = 0; i < written.size(); i++) {
                int n = i;
                kinesis.putRecord(b -> b.streamName("events").partitionKey("customer-" + n).data(written.get(n)));
            }

            String fromStart = kinesis.getShardIterator(b -> b.streamName("events").shardId(shard)
                .shardIteratorType(software.amazon.awssdk.services.kinesis.model.ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
            var records = kinesis.getRecords(b -> b.shardIterator(fromStart)).records();
            String atTime = kinesis.getShardIterator(b -> b.streamName("events").shardId(shard)
                .shardIteratorType(software.amazon.awssdk.services.kinesis.model.ShardIteratorType.AT_TIMESTAMP)
                .timestamp(before)).shardIterator();

            assertThat(records).extracting(r -> r.data()).containsExactlyElementsOf(written);
            assertThat(records).extracting(r -> r.partitionKey()).containsExactly("customer-0", "customer-1",
                "customer-2");
            assertThat(records).allSatisfy(r -> assertThat(r.approximateArrivalTimestamp()).isAfter(before));
            assertThat(kinesis.getRecords(b -> b.shardIterator(atTime)).records()).hasSize(3);
        }
    }

    @Test
    void valuesPackedAgainstEachOfManyDictionaries_areReadBackAsWritten() throws Exception {
        // the emulator learns a new compression dictionary every 25 values of a kind: 160 items, their updates,
        // their stream records and 160 Kinesis records are packed against at least six, of different shapes
        String stream = profilesTable("dictionaries");
        JsonNode before = holdings("").path("packDictionaries");
        Random random = new Random(25);
        Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
        List<SdkBytes> sent = new ArrayList<>();
        try (KinesisClient kinesis = clients.kinesis()) {
            kinesis.createStream(b -> b.streamName("dictionaries").shardCount(1));
            for (int i = 0; i < 160; i++) {
                String customer = "c" + random.nextInt(60);
                Map<String, AttributeValue> item = new HashMap<>(items.getOrDefault(customer,
                    Map.of("customerId", AttributeValue.fromS(customer))));
                switch (i / 40) {
                    case 0 -> item.put("interests", AttributeValue.fromSs(List.of("running", "tea-" + i)));
                    case 1 -> item.put("phone", AttributeValue.fromS("+2782" + (1_000_000
                        + random.nextInt(9_000_000))));
                    case 2 -> item.put("visits", AttributeValue.fromN(Integer.toString(i)));
                    default -> item.put("note", AttributeValue.fromS("\u00fc\u65e5" + UUID.randomUUID()));
                }
                dynamo.putItem(b -> b.tableName("dictionaries").item(item));
                items.put(customer, item);
                SdkBytes data = SdkBytes.fromUtf8String("{\"eventId\":\"" + UUID.randomUUID() + "\",\"n\":" + i
                    + (i % 3 == 0 ? ",\"place\":\"cape-town\"" : "") + "}");
                kinesis.putRecord(b -> b.streamName("dictionaries").partitionKey(customer).data(data));
                sent.add(data);
            }
            String shard = kinesis.describeStream(b -> b.streamName("dictionaries")).streamDescription().shards()
                .get(0).shardId();
            String fromStart = kinesis.getShardIterator(b -> b.streamName("dictionaries").shardId(shard)
                .shardIteratorType(software.amazon.awssdk.services.kinesis.model.ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
            assertThat(kinesis.getRecords(b -> b.shardIterator(fromStart)).records()).extracting(r -> r.data())
                .containsExactlyElementsOf(sent);
        }

        for (Map<String, AttributeValue> item : items.values()) {
            assertThat(dynamo.getItem(b -> b.tableName("dictionaries").key(Map.of("customerId",
                item.get("customerId"))).consistentRead(true)).item()).isEqualTo(item);
        }
        List<Record> records = readAll(iterator(stream, ShardIteratorType.TRIM_HORIZON, null));
        assertThat(records).hasSize(160);
        Map<String, Map<String, AttributeValue>> lastImages = new LinkedHashMap<>();
        records.forEach(r -> lastImages.put(r.dynamodb().newImage().get("customerId").s(), r.dynamodb().newImage()));
        assertThat(lastImages).isEqualTo(items);
        JsonNode after = holdings("").path("packDictionaries");
        for (String kind : List.of("items", "streamRecords", "kinesisRecords")) {
            assertThat(after.path(kind).asInt() - before.path(kind).asInt()).as(kind).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void outbox_afterItsCap_keepsTheNewestMessages_andCountsTheDropped() throws Exception {
        try (SnsClient sns = clients.sns(); SesV2Client ses = clients.sesV2()) {
            for (int i = 1; i <= 5; i++) {
                int n = i;
                sns.publish(b -> b.phoneNumber("+27820000000").message("sms " + n));
            }
            ses.createEmailIdentity(b -> b.emailIdentity("offers@example.com"));
            for (int i = 1; i <= 4; i++) {
                int n = i;
                ses.sendEmail(b -> b.fromEmailAddress("offers@example.com")
                    .destination(d -> d.toAddresses("customer@example.com"))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("email " + n)).body(x -> x.text(t -> t.data(
                        "body " + n))))));
            }
        }

        JsonNode outbox = JSON.readTree(moto.outboxJson());

        assertThat(outbox.path("sms").findValuesAsText("message")).containsExactly("sms 3", "sms 4", "sms 5");
        assertThat(outbox.path("email").findValuesAsText("subject")).containsExactly("email 2", "email 3",
            "email 4");
        assertThat(outbox.path("dropped").path("sms").asInt()).isEqualTo(2);
        assertThat(outbox.path("dropped").path("email").asInt()).isEqualTo(1);
        moto.reset();
        assertThat(JSON.readTree(moto.outboxJson()).path("dropped").path("sms").asInt()).isZero();
    }

    @Test
    void xray_afterItsCap_keepsTheNewestTraces() {
        List<String> traceIds = new ArrayList<>();
        try (XRayClient xray = clients.configure(XRayClient.builder()).build()) {
            for (int i = 1; i <= 3; i++) {
                String traceId = String.format("1-67000000-%024x", i);
                traceIds.add(traceId);
                double start = 1_700_000_000.0 + i;
                String segment = String.format(Locale.ROOT,
                    "{\"name\":\"ingest\",\"id\":\"%016x\",\"trace_id\":\"%s\",\"start_time\":%.3f,"
                        + "\"end_time\":%.3f}", i, traceId, start, start + 0.5);
                xray.putTraceSegments(b -> b.traceSegmentDocuments(segment));
            }
            var answer = xray.batchGetTraces(b -> b.traceIds(traceIds));
            assertThat(answer.traces()).extracting(t -> t.id()).containsExactlyInAnyOrderElementsOf(
                traceIds.subList(1, 3));
            assertThat(answer.unprocessedTraceIds()).containsExactly(traceIds.get(0));
        }
    }

    @Test
    void xray_segmentsKeptCompressed_areReadBackAsSent() {
        String failed = "1-67000000-" + "f".repeat(24);
        String fine = "1-67000000-" + "e".repeat(24);
        // a document with the fields moto parses and no longer keeps parsed, unicode, and the error flag
        String failedSegment = "{\"name\":\"enrich — café\",\"id\":\"00000000000000aa\",\"trace_id\":\"" + failed
            + "\",\"start_time\":1700000001.25,\"end_time\":1700000002.5,\"error\":true,"
            + "\"http\":{\"request\":{\"method\":\"POST\"},\"response\":{\"status\":400}},"
            + "\"aws\":{\"operation\":\"PutItem\"},\"annotations\":{\"stage\":\"local\"},"
            + "\"metadata\":{\"default\":{\"n\":1}},\"subsegments\":[{\"id\":\"00000000000000ab\","
            + "\"name\":\"DynamoDB\",\"start_time\":1700000001.5,\"end_time\":1700000002.0}]}";
        String fineSegment = "{\"name\":\"ingest\",\"id\":\"00000000000000ba\",\"trace_id\":\"" + fine
            + "\",\"start_time\":1700000003.0,\"end_time\":1700000003.5}";
        try (XRayClient xray = clients.configure(XRayClient.builder()).build()) {
            xray.putTraceSegments(b -> b.traceSegmentDocuments(failedSegment, fineSegment));

            var traces = xray.batchGetTraces(b -> b.traceIds(failed, fine)).traces();
            // (GetTraceSummaries, the one reader of the flags kept, cannot be read through the SDK: moto answers
            // it in a shape the SDK refuses, with or without this change)

            assertThat(traces).hasSize(2);
            assertThat(traces).filteredOn(t -> t.id().equals(failed)).singleElement()
                .satisfies(t -> assertThat(t.segments()).singleElement()
                    .satisfies(segment -> assertThat(segment.document()).isEqualTo(failedSegment)));
            assertThat(traces).filteredOn(t -> t.id().equals(fine)).singleElement()
                .satisfies(t -> assertThat(t.segments().get(0).document()).isEqualTo(fineSegment));
        }
    }

    @Test
    void metricData_sharingTheirDimensions_areStillCountedPerDimensionSet() throws Exception {
        Instant at = Instant.parse("2026-01-05T10:00:30Z");
        try (CloudWatchClient cloudWatch = clients.configure(CloudWatchClient.builder()).build()) {
            for (int i = 0; i < 6; i++) {
                String stage = i % 3 == 0 ? "prod" : "local";
                double value = i;
                cloudWatch.putMetricData(b -> b.namespace("Bounds/Test").metricData(d -> d.metricName("Latency")
                    .dimensions(x -> x.name("ApiName").value("api"), x -> x.name("Stage").value(stage))
                    .value(value).timestamp(at)));
            }
            for (String stage : List.of("local", "prod")) {
                var statistics = cloudWatch.getMetricStatistics(b -> b.namespace("Bounds/Test")
                    .metricName("Latency").dimensions(x -> x.name("ApiName").value("api"),
                        x -> x.name("Stage").value(stage))
                    .startTime(at.minusSeconds(300)).endTime(at.plusSeconds(300)).period(600)
                    .statistics(Statistic.SUM, Statistic.SAMPLE_COUNT)).datapoints();

                assertThat(statistics).singleElement().satisfies(point -> {
                    assertThat(point.sampleCount()).isEqualTo(stage.equals("prod") ? 2.0 : 4.0);
                    assertThat(point.sum()).isEqualTo(stage.equals("prod") ? 0.0 + 3 : 1.0 + 2 + 4 + 5);
                });
            }
        }
        assertThat(holdings("").path("metricData").asInt()).isEqualTo(6);
    }

    @Test
    void topicMessages_beyondTheCap_areDroppedByTheJanitor_whoseRoundsDoNotFail() throws Exception {
        try (SnsClient sns = clients.configure(SnsClient.builder()).build()) {
            String topic = sns.createTopic(b -> b.name("bounds-topic")).topicArn();
            for (int i = 0; i < SENT_LIMIT + 4; i++) {
                String message = "message " + i;
                sns.publish(b -> b.topicArn(topic).message(message));
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (holdings("").path("topicNotifications").asInt() > SENT_LIMIT && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(holdings("").path("topicNotifications").asInt()).isEqualTo(SENT_LIMIT);
        assertThat(java.nio.file.Files.readString(motoLog)).doesNotContain("janitor round failed");
    }

    @Test
    void clock_refusesToGoBack_withAClearError() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(moto.endpoint().resolve("/_local/clock"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"advanceSeconds\": -5}")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("advanceSeconds must not be negative");
    }

    private static String profilesTable(String name) {
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
            .keySchema(k -> k.attributeName("customerId").keyType(KeyType.HASH))
            .attributeDefinitions(a -> a.attributeName("customerId").attributeType(ScalarAttributeType.S))
            .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        return dynamo.describeTable(b -> b.tableName(name)).table().latestStreamArn();
    }

    /** Writes `versions` versions of one profile, each remembering up to `remembered` event ids. */
    private static List<Map<String, AttributeValue>> writeVersions(String table, String customer, int versions,
        int remembered) {
        List<Map<String, AttributeValue>> written = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int v = 0; v < versions; v++) {
            for (int e = 0; e < remembered / Math.max(1, versions) + 1; e++) {
                events.add(UUID.nameUUIDFromBytes((customer + v + "-" + e).getBytes(
                    StandardCharsets.UTF_8)).toString());
            }
            while (events.size() > remembered) {
                events.remove(0);
            }
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("customerId", AttributeValue.fromS(customer));
            item.put("version", AttributeValue.fromN(Integer.toString(v)));
            item.put("events", AttributeValue.fromSs(List.copyOf(events)));
            item.put("interests", AttributeValue.fromM(Map.of("running", AttributeValue.fromN("3"),
                "blob", AttributeValue.fromB(SdkBytes.fromUtf8String("x" + v)))));
            dynamo.putItem(b -> b.tableName(table).item(item));
            written.add(Map.copyOf(item));
        }
        return written;
    }

    private static String iterator(String stream, ShardIteratorType type, String sequenceNumber) {
        String shard = streams.describeStream(b -> b.streamArn(stream)).streamDescription().shards().get(0)
            .shardId();
        return streams.getShardIterator(b -> b.streamArn(stream).shardId(shard).shardIteratorType(type)
            .sequenceNumber(sequenceNumber)).shardIterator();
    }

    private static List<Record> readAll(String iterator) {
        List<Record> records = new ArrayList<>();
        String next = iterator;
        while (next != null) {
            String current = next;
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current));
            records.addAll(page.records());
            next = page.records().isEmpty() ? null : page.nextShardIterator();
        }
        return records;
    }

    private void advanceClock(long seconds) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(moto.endpoint().resolve("/_local/clock"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"advanceSeconds\": " + seconds + "}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private JsonNode holdings(String query) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
            moto.endpoint().resolve(URI.create("/_local/memory/holdings" + query))).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }
}
