package za.co.personalisation.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * The event source mappings against the emulator's Kinesis, DynamoDB Streams and SQS through the real SDK, each
 * behaviour checked against the rule AWS documents for it (cited per test). The functions are fakes that record
 * what Lambda would have handed them.
 */
@ExtendWith(MotoExtension.class)
class EventSourceMappingIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REGION = "af-south-1";
    private static final String FUNCTION_ARN = "arn:aws:lambda:af-south-1:123456789012:function:test";

    private static AwsClients clients;
    private static KinesisClient kinesis;
    private static final List<GetShardIteratorRequest> ITERATOR_REQUESTS = Collections.synchronizedList(
        new ArrayList<>());

    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    private final JsonLog log = JsonLog.forFunction("esm-test");

    @BeforeAll
    static void clients(MotoExtension.Emulator emulator) {
        clients = new AwsClients(Settings.of(emulator.environment()));
        clients.kinesis().close();
        kinesis = clients.configure(KinesisClient.builder())
            .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof GetShardIteratorRequest request) {
                        ITERATOR_REQUESTS.add(request);
                    }
                }
            })).build();
    }

    @Test
    void kinesis_atTimestamp_startsAtTheFirstRecordArrivingAtOrAfterTheTimestamp() throws Exception {
        // Lambda: StartingPosition AT_TIMESTAMP with StartingPositionTimestamp "starts reading from a specific time"
        // (Kinesis GetShardIterator AT_TIMESTAMP: the first record at or after the timestamp).
        String arn = stream("at-timestamp", 1);
        put(arn, "k", "early-1", "early-2");
        Instant lastEarly = arrivals(arn).get(arrivals(arn).size() - 1);
        await(() -> Instant.now().isAfter(lastEarly.plusMillis(50)), "the clock moves past the early records");
        put(arn, "k", "late-1", "late-2");
        Instant firstLate = arrivals(arn).get(2);

        EventSourceSettings settings = kinesisSettings(arn, 10, 1, FilterCriteria.NONE)
            .startingAt("AT_TIMESTAMP", firstLate);
        try (KinesisEventSource source = kinesisSource(settings, Clock.systemUTC())) {
            source.start();
            await(() -> delivered.size() >= 2, "the late records");
            assertThat(delivered).containsExactly("late-1", "late-2");
        }
    }

    @Test
    void kinesis_iteratorHeldPastFiveMinutes_isRenewedAfterTheCheckpoint_withNoRecordLostOrRepeated()
        throws Exception {
        // Kinesis GetShardIterator: "A shard iterator expires 5 minutes after it is returned to the requester."
        // The mapping must then resume AFTER_SEQUENCE_NUMBER its checkpoint. moto never expires iterators, so the
        // poller enforces the lifetime on its clock; this test moves that clock 6 minutes during an invocation.
        String arn = stream("expiry", 1);
        put(arn, "k", "r1", "r2", "r3", "r4");
        MutableClock clock = new MutableClock(Instant.now());
        EventSourceSettings settings = kinesisSettings(arn, 2, 1, FilterCriteria.NONE);
        ITERATOR_REQUESTS.clear();
        try (KinesisEventSource source = kinesisSource(settings, clock, batch -> {
            if (batch.contains("r1")) {
                clock.advance(Duration.ofMinutes(6));
            }
        })) {
            source.start();
            await(() -> delivered.size() >= 4, "the first four records");
            await(() -> source.iteratorRenewals() >= 1, "the expired iterator to be renewed");
            put(arn, "k", "r5");
            await(() -> delivered.size() >= 5, "the record put after the renewal");

            assertThat(delivered).containsExactly("r1", "r2", "r3", "r4", "r5");
            List<GetShardIteratorRequest> requests = List.copyOf(ITERATOR_REQUESTS);
            assertThat(requests.get(0).shardIteratorType()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
            GetShardIteratorRequest renewal = requests.get(1);
            assertThat(renewal.shardIteratorType()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
            assertThat(renewal.startingSequenceNumber()).isEqualTo(sequenceOf(arn, "r4"));
        }
    }

    @Test
    void kinesis_filterCriteria_dropsRecordsNoPatternMatches_countsThem_andMovesPastThem() throws Exception {
        // Lambda event filtering: "If none of your filters are satisfied, Lambda discards the record" and, for
        // Kinesis, "the streams iterator advances past this record"; data must be JSON to match a data pattern.
        String arn = stream("filtered", 1);
        FilterCriteria electronics = FilterCriteria.parse(List.of("{\"data\":{\"interest\":[\"electronics\"]}}"));
        putData(arn, "{\"id\":\"a\",\"interest\":\"electronics\"}", "{\"id\":\"b\",\"interest\":\"books\"}",
            "not json at all", "{\"id\":\"c\",\"interest\":\"electronics\"}");
        try (KinesisEventSource source = kinesisSource(kinesisSettings(arn, 10, 1, electronics),
            Clock.systemUTC())) {
            source.start();
            await(() -> delivered.size() >= 2 && source.filtered() >= 2, "two delivered, two filtered");
            putData(arn, "{\"id\":\"d\",\"interest\":\"books\"}", "{\"id\":\"e\",\"interest\":\"electronics\"}");
            await(() -> delivered.size() >= 3, "the next matching record");

            assertThat(delivered).extracting(data -> data.replaceAll(".*\"id\":\"(\\w)\".*", "$1"))
                .containsExactly("a", "c", "e");
            assertThat(source.filtered()).isEqualTo(3);
            assertThat(source.describe()).contains("3 filtered out");
        }
    }

    @Test
    void kinesis_parallelizationFactor_keepsOrderPerPartitionKey_andDeliversEachRecordOnce() throws Exception {
        // Lambda: with ParallelizationFactor "Lambda still ensures in-order processing at the partition-key level".
        String arn = stream("parallel", 1);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String key = "customer-" + (i % 5);
            putKeyed(arn, key, key + ":" + i);
            values.add(key + ":" + i);
        }
        try (KinesisEventSource source = kinesisSource(kinesisSettings(arn, 2, 3, FilterCriteria.NONE),
            Clock.systemUTC())) {
            source.start();
            await(() -> delivered.size() >= 24, "all 24 records");

            assertThat(delivered).containsExactlyInAnyOrderElementsOf(values);
            Map<String, List<Integer>> perKey = new LinkedHashMap<>();
            synchronized (delivered) {
                delivered.forEach(value -> perKey.computeIfAbsent(value.split(":")[0], k -> new ArrayList<>())
                    .add(Integer.parseInt(value.split(":")[1])));
            }
            perKey.values().forEach(order -> assertThat(order).isSorted());
        }
    }

    @Test
    void kinesis_withFactorOne_deliversTheShardInSequenceOrder() throws Exception {
        // Lambda: "Lambda processes each shard's records in order"; one batch per shard at a time by default.
        String arn = stream("ordered", 1);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            putKeyed(arn, "key-" + (i % 4), "v" + i);
            values.add("v" + i);
        }
        try (KinesisEventSource source = kinesisSource(kinesisSettings(arn, 5, 1, FilterCriteria.NONE),
            Clock.systemUTC())) {
            source.start();
            await(() -> delivered.size() >= 12, "all 12 records");

            assertThat(delivered).containsExactlyElementsOf(values);
        }
    }

    @Test
    void dynamoDb_filterCriteria_onEventNameAndNewImage_dropsTheRest() throws Exception {
        // Lambda: DynamoDB filtering on eventName and dynamodb.NewImage, images in DynamoDB JSON ({"S": [...]})
        DynamoDbClient dynamoDb = clients.dynamoDb();
        String table = "filter-items";
        String streamArn = tableWithStream(dynamoDb, table);
        FilterCriteria inserts = FilterCriteria.parse(List.of(
            "{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[\"wanted\"]}}}}"));
        EventSourceSettings settings = new EventSourceSettings(streamArn, 10, Duration.ZERO, "TRIM_HORIZON", false,
            2, null, null, true, 1, null, inserts);
        putItem(dynamoDb, table, "1", "wanted", "1");
        putItem(dynamoDb, table, "2", "other", "1");
        putItem(dynamoDb, table, "1", "wanted", "2"); // a MODIFY: right image, wrong eventName
        putItem(dynamoDb, table, "3", "wanted", "1");
        LocalFunction function = function((event, context) -> {
            for (DynamodbEvent.DynamodbStreamRecord record : ((DynamodbEvent) event).getRecords()) {
                delivered.add(record.getEventName() + ":" + record.getDynamodb().getKeys().get("id").getS());
            }
            return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        });
        try (DynamoDbStreamEventSource source = new DynamoDbStreamEventSource(settings, function,
            clients.dynamoDbStreams(), null, REGION, FUNCTION_ARN, Clock.systemUTC(), log)) {
            source.start();
            await(() -> delivered.size() >= 2 && source.filtered() >= 2, "two inserts delivered, two dropped");

            assertThat(delivered).containsExactly("INSERT:1", "INSERT:3");
            assertThat(source.filtered()).isEqualTo(2);
        }
    }

    @Test
    void dynamoDb_caughtUpShard_isReadAtLambdasBaseRate_notAgainAtOnce() throws Exception {
        // Lambda "polls shards in your DynamoDB stream for records at a base rate of 4 times per second". The
        // poller reads at once again only after a full read (1,000 records); a trickle of writes, one every 100 ms,
        // and then nothing, are read about 4 times a second (before: again at once after every read that found
        // something, and every 100 ms after one that did not).
        DynamoDbClient dynamoDb = clients.dynamoDb();
        String table = "paced-items";
        String streamArn = tableWithStream(dynamoDb, table);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        DynamoDbStreamsClient counted = clients.configure(DynamoDbStreamsClient.builder())
            .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest) {
                        reads.incrementAndGet();
                    }
                }
            })).build();
        EventSourceSettings settings = new EventSourceSettings(streamArn, 10, Duration.ZERO, "TRIM_HORIZON", false,
            2, null, null, true, 1, null, FilterCriteria.NONE);
        LocalFunction function = function((event, context) -> {
            ((DynamodbEvent) event).getRecords().forEach(r -> delivered.add(r.getDynamodb().getKeys().get("id")
                .getS()));
            return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        });
        List<String> written = new ArrayList<>();
        try (DynamoDbStreamEventSource source = new DynamoDbStreamEventSource(settings, function, counted, null,
            REGION, FUNCTION_ARN, Clock.systemUTC(), log)) {
            long started = System.nanoTime();
            source.start();
            for (int i = 0; i < 30; i++) {
                String id = "item-" + i;
                putItem(dynamoDb, table, id, "trickle", "1");
                written.add(id);
                Thread.sleep(100);
            }
            await(() -> delivered.size() >= 30, "every write delivered");
            Thread.sleep(2_000);
            int calls = reads.get();
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(delivered).containsExactlyElementsOf(written);
            assertThat(calls).as("GetRecords calls in %.1f s", seconds).isLessThanOrEqualTo((int) (seconds * 4) + 2)
                .isGreaterThanOrEqualTo((int) seconds);
        } finally {
            counted.close();
        }
    }

    @Test
    void dynamoDb_atTimestamp_isRefusedAsLambdaRefusesIt() {
        // Lambda: AT_TIMESTAMP is supported for Kinesis streams, not for DynamoDB Streams.
        EventSourceSettings settings = new EventSourceSettings("arn:aws:dynamodb:af-south-1:1:table/t/stream/x", 10,
            Duration.ZERO, "AT_TIMESTAMP", false, 0, null, null, true, 1, Instant.now(), FilterCriteria.NONE);

        assertThatThrownBy(() -> new DynamoDbStreamEventSource(settings, function((event, context) -> null),
            clients.dynamoDbStreams(), null, REGION, FUNCTION_ARN, Clock.systemUTC(), log))
            .hasMessageContaining("AT_TIMESTAMP is not supported for DynamoDB Streams");
    }

    @Test
    void sqs_filterCriteria_deletesMessagesNoPatternMatches_andDeliversTheRest() throws Exception {
        // Lambda: for SQS, "Lambda automatically deletes messages that don't match the filter criteria".
        SqsClient sqs = clients.sqs();
        String url = sqs.createQueue(b -> b.queueName("filter-queue").attributes(Map.of(
            QueueAttributeName.VISIBILITY_TIMEOUT, "2"))).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes().get(QueueAttributeName.QUEUE_ARN);
        for (String body : List.of("{\"channel\":\"sms\",\"n\":1}", "{\"channel\":\"email\",\"n\":2}",
            "plain text", "{\"channel\":\"sms\",\"n\":3}")) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
        EventSourceSettings settings = new EventSourceSettings(queueArn, 10, Duration.ZERO, "LATEST", false, -1, null,
            null, true, 1, null, FilterCriteria.parse(List.of("{\"body\":{\"channel\":[\"sms\"]}}")));
        LocalFunction function = function((event, context) -> {
            ((SQSEvent) event).getRecords().forEach(message -> delivered.add(message.getBody()));
            return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
        });
        SqsEventSource source = new SqsEventSource(settings, function, sqs, REGION, Clock.systemUTC(), log);
        try {
            source.start();
            await(() -> delivered.size() >= 2 && source.filtered() >= 2, "two sms delivered, two dropped");
            await(() -> queueIsEmpty(sqs, url), "the queue to be empty: delivered and dropped messages deleted");

            assertThat(delivered).containsExactlyInAnyOrder("{\"channel\":\"sms\",\"n\":1}",
                "{\"channel\":\"sms\",\"n\":3}");
            assertThat(source.filtered()).isEqualTo(2);
        } finally {
            source.close();
        }
    }

    @Test
    void sqs_withMaximumConcurrencyPollers_invokesBatchesAtOnce_andDeliversEachMessageOnce() throws Exception {
        // Lambda: an SQS mapping invokes several batches concurrently, up to ScalingConfig's MaximumConcurrency.
        SqsClient sqs = clients.sqs();
        String url = sqs.createQueue(b -> b.queueName("concurrent-queue")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes().get(QueueAttributeName.QUEUE_ARN);
        for (int i = 0; i < 40; i++) {
            String body = "m" + i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
        EventSourceSettings settings = new EventSourceSettings(queueArn, 2, Duration.ZERO, "LATEST", false, -1, null,
            null, true, 1);
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        LocalFunction function = function((event, context) -> {
            peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ((SQSEvent) event).getRecords().forEach(message -> delivered.add(message.getBody()));
            inside.decrementAndGet();
            return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
        });
        SqsEventSource source = new SqsEventSource(settings, 5, function, sqs, REGION, Clock.systemUTC(), log);
        try {
            source.start();
            await(() -> delivered.size() >= 40 && queueIsEmpty(sqs, url), "all 40 messages delivered and deleted");

            assertThat(peak.get()).as("batches invoked at the same time").isBetween(2, 5);
            assertThat(delivered).hasSize(40).doesNotHaveDuplicates();
            assertThat(source.describe()).contains("5 pollers");
        } finally {
            source.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static boolean queueIsEmpty(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            && "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** A table keyed by "id" with a NEW_AND_OLD_IMAGES stream; its stream's ARN. */
    private static String tableWithStream(DynamoDbClient dynamoDb, String table) {
        return dynamoDb.createTable(b -> b.tableName(table)
            .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
            .keySchema(k -> k.attributeName("id").keyType("HASH"))
            .billingMode("PAY_PER_REQUEST")
            .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
            .tableDescription().latestStreamArn();
    }

    private static void putItem(DynamoDbClient dynamoDb, String table, String id, String kind, String version) {
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id), "kind",
            AttributeValue.fromS(kind), "version", AttributeValue.fromN(version))));
    }

    private static String stream(String name, int shards) {
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            var summary = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
            if (summary.streamStatus() == StreamStatus.ACTIVE) {
                return summary.streamARN();
            }
        }
        throw new AssertionError("stream " + name + " never became ACTIVE");
    }

    private static void put(String arn, String key, String... values) {
        for (String value : values) {
            putKeyed(arn, key, value);
        }
    }

    private static void putData(String arn, String... values) {
        put(arn, "k", values);
    }

    private static void putKeyed(String arn, String key, String value) {
        kinesis.putRecord(b -> b.streamARN(arn).partitionKey(key).data(SdkBytes.fromUtf8String(value)));
    }

    private static List<Record> all(String arn) {
        String shard = kinesis.listShards(b -> b.streamARN(arn)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(b -> b.streamARN(arn).shardId(shard)
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return kinesis.getRecords(b -> b.streamARN(arn).shardIterator(iterator)).records();
    }

    private static List<Instant> arrivals(String arn) {
        return all(arn).stream().map(Record::approximateArrivalTimestamp).toList();
    }

    private static String sequenceOf(String arn, String value) {
        return all(arn).stream().filter(record -> record.data().asUtf8String().equals(value)).findFirst()
            .orElseThrow().sequenceNumber();
    }

    private EventSourceSettings kinesisSettings(String arn, int batchSize, int factor, FilterCriteria filters) {
        return new EventSourceSettings(arn, batchSize, Duration.ZERO, "TRIM_HORIZON", true, 2, null, null, true,
            factor, null, filters);
    }

    private KinesisEventSource kinesisSource(EventSourceSettings settings, Clock clock) {
        return kinesisSource(settings, clock, batch -> { });
    }

    private KinesisEventSource kinesisSource(EventSourceSettings settings, Clock clock,
        Consumer<List<String>> during) {
        LocalFunction function = function((event, context) -> {
            List<String> batch = new ArrayList<>();
            for (KinesisEvent.KinesisEventRecord record : ((KinesisEvent) event).getRecords()) {
                batch.add(StandardCharsets.UTF_8.decode(record.getKinesis().getData()).toString());
            }
            during.accept(batch);
            delivered.addAll(batch);
            return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        });
        return new KinesisEventSource(settings, function, kinesis, null, REGION, FUNCTION_ARN, clock, log);
    }

    private static LocalFunction function(RequestHandler<Object, Object> handler) {
        FunctionDefinition definition = new FunctionDefinition("TestFunction", "test", "x::handleRequest", "", 128,
            Duration.ofSeconds(60), Map.of(), List.of());
        return new LocalFunction(definition, FUNCTION_ARN, () -> handler);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
    }

    /** A clock the test moves forward. */
    private static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
