package za.co.personalisation.enrich;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ErasureTombstones;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.aws.log.LogSink;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * A fresh set of the resources enrich-function uses, in the emulator (profiles, erasures and notifications tables
 * shaped as template.yaml declares them, the failed-events queue), with handlers built against them and helpers
 * to make Kinesis batches and read results back. Each fixture has its own resource names, so tests of one class
 * do not see each other's data.
 */
final class EnrichFixture {

    static final String SHARD = "shardId-000000000000";
    static final String STREAM_ARN = "arn:aws:kinesis:af-south-1:123456789012:stream/interest-events-test";

    private static final AtomicInteger FIXTURES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    final AwsClients clients;
    final DynamoDbClient dynamoDb;
    final SqsClient sqs;
    final String profilesTable;
    final String erasuresTable;
    final String notificationsTable;
    final String failedEventsQueueUrl;
    final Settings settings;
    /** Every log and EMF line any handler of this fixture wrote. */
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong(49_600_000_000L);

    EnrichFixture(MotoExtension.Emulator emulator) {
        this(emulator, Map.of());
    }

    EnrichFixture(MotoExtension.Emulator emulator, Map<String, String> overrides) {
        int n = FIXTURES.incrementAndGet();
        Settings base = Settings.of(emulator.environment());
        clients = new AwsClients(base);
        dynamoDb = clients.dynamoDb();
        sqs = clients.sqs();
        profilesTable = "profiles-" + n;
        erasuresTable = "erasures-" + n;
        notificationsTable = "notifications-" + n;
        createTable(profilesTable, "customerId", null);
        createTable(erasuresTable, "customerHash", null);
        createTable(notificationsTable, "customerId", "notificationKey");
        failedEventsQueueUrl = sqs.createQueue(b -> b.queueName("failed-events-" + n)).queueUrl();
        Map<String, String> env = new HashMap<>(emulator.environment());
        env.put("PROFILES_TABLE", profilesTable);
        env.put("ERASURES_TABLE", erasuresTable);
        env.put("NOTIFICATIONS_TABLE", notificationsTable);
        env.put("FAILED_EVENTS_QUEUE_URL", failedEventsQueueUrl);
        env.put("DYNAMODB_BACKOFF_BASE", "PT0.01S");
        env.put("DYNAMODB_BACKOFF_MAX", "PT0.2S");
        env.putAll(overrides);
        settings = Settings.of(env);
    }

    private void createTable(String name, String hashKey, String rangeKey) {
        dynamoDb.createTable(b -> {
            b.tableName(name).billingMode("PAY_PER_REQUEST");
            if (rangeKey == null) {
                b.attributeDefinitions(a -> a.attributeName(hashKey).attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName(hashKey).keyType(KeyType.HASH));
            } else {
                b.attributeDefinitions(a -> a.attributeName(hashKey).attributeType(ScalarAttributeType.S),
                    a -> a.attributeName(rangeKey).attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName(hashKey).keyType(KeyType.HASH),
                        k -> k.attributeName(rangeKey).keyType(KeyType.RANGE));
            }
        });
    }

    /** A handler as Lambda would build it, with these interceptors on its DynamoDB client. */
    EnrichHandler handler(Clock clock, ExecutionInterceptor... interceptors) {
        return handler(settings, clock, interceptors);
    }

    EnrichHandler handler(Settings handlerSettings, Clock clock, ExecutionInterceptor... interceptors) {
        return handler(handlerSettings, clock, lines::add, interceptors);
    }

    EnrichHandler handler(Settings handlerSettings, Clock clock, LogSink sink, ExecutionInterceptor... interceptors) {
        return new EnrichHandler(EnrichHandler.dynamoDb(clients, interceptors), sqs, handlerSettings, clock, sink);
    }

    /** Stream records of these events, with increasing sequence numbers, as Lambda passes them. */
    List<KinesisEvent.KinesisEventRecord> records(List<? extends StreamEvent> events) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>(events.size());
        for (StreamEvent event : events) {
            records.add(record(StreamEventCodec.encode(event), event.customerId(), event.receivedAt()));
        }
        return records;
    }

    KinesisEvent.KinesisEventRecord record(byte[] data, String partitionKey, Instant arrival) {
        String sequenceNumber = String.format("%056d", sequence.incrementAndGet());
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setKinesisSchemaVersion("1.0");
        kinesis.setPartitionKey(partitionKey);
        kinesis.setSequenceNumber(sequenceNumber);
        kinesis.setData(ByteBuffer.wrap(data));
        kinesis.setApproximateArrivalTimestamp(Date.from(arrival));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventSource("aws:kinesis");
        record.setEventVersion("1.0");
        record.setEventID(SHARD + ":" + sequenceNumber);
        record.setEventName("aws:kinesis:record");
        record.setAwsRegion("af-south-1");
        record.setEventSourceARN(STREAM_ARN);
        return record;
    }

    static KinesisEvent batch(List<KinesisEvent.KinesisEventRecord> records) {
        KinesisEvent event = new KinesisEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    /** The stored profile, or {@code null}. */
    Profile profile(String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(profilesTable)
            .key(Map.of("customerId", AttributeValue.fromS(customerId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : ProfileItems.fromItem(item);
    }

    /** Every stored profile, by customer id. */
    Map<String, Profile> profiles() {
        Map<String, Profile> profiles = new HashMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(profilesTable).consistentRead(true)).items()
            .forEach(item -> profiles.put(item.get("customerId").s(), ProfileItems.fromItem(item)));
        return profiles;
    }

    /** The customer's tombstone item, or {@code null}. */
    Map<String, AttributeValue> tombstone(String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(erasuresTable)
            .key(ErasureTombstones.from(settings).key(customerId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    void putLedgerEntry(String customerId, String notificationKey) {
        dynamoDb.putItem(b -> b.tableName(notificationsTable).item(Map.of(
            "customerId", AttributeValue.fromS(customerId),
            "notificationKey", AttributeValue.fromS(notificationKey),
            "status", AttributeValue.fromS("sent"))));
    }

    List<String> ledgerKeys(String customerId) {
        List<String> keys = new ArrayList<>();
        dynamoDb.queryPaginator(b -> b.tableName(notificationsTable).keyConditionExpression("customerId = :c")
            .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(customerId))).consistentRead(true))
            .items().forEach(item -> keys.add(item.get("notificationKey").s()));
        return keys;
    }

    /** Every message on the failed-events queue (received, then deleted). */
    List<JsonNode> failedEvents() {
        List<JsonNode> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(failedEventsQueueUrl)
                .maxNumberOfMessages(10).messageAttributeNames("All").waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (Message message : messages) {
                bodies.add(json(message.body()));
                sqs.deleteMessage(b -> b.queueUrl(failedEventsQueueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** The sum of an EMF metric over every metrics line written so far. */
    double metric(String name) {
        double sum = 0;
        for (String line : lines) {
            if (line.contains("\"_aws\"")) {
                JsonNode value = json(line).get(name);
                sum += value == null ? 0 : value.asDouble();
            }
        }
        return sum;
    }

    /** The log lines with this message. */
    List<JsonNode> logs(String message) {
        List<JsonNode> found = new ArrayList<>();
        for (String line : lines) {
            if (line.contains("\"message\":\"" + message + "\"")) {
                found.add(json(line));
            }
        }
        return found;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
