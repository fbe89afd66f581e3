package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * The ingest function against moto: its own stream and contacts table, the real SDK, every log and metric line
 * captured, and a count of the PutRecords calls the SDK made (an execution interceptor).
 */
final class IngestTestBed {

    static final String ORIGIN = "http://localhost:3000";
    private static final ObjectMapper JSON = new ObjectMapper();

    final String stream;
    final String table;
    final String erasures;
    final String notifications;
    final Settings settings;
    final AwsClients clients;
    final KinesisClient kinesis;
    final DynamoDbClient dynamoDb;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final AtomicInteger putRecordsCalls = new AtomicInteger();
    final IngestHandler handler;

    private final Clock clock;

    IngestTestBed(MotoExtension.Emulator emulator, String name) {
        this(emulator, name, Clock.systemUTC());
    }

    /** @param clock the API's clock: what its time window and {@code receivedAt} are judged against */
    IngestTestBed(MotoExtension.Emulator emulator, String name, Clock clock) {
        this.clock = clock;
        this.stream = "interest-events-" + name;
        this.table = "contacts-" + name;
        this.erasures = "erasures-" + name;
        this.notifications = "notifications-" + name;
        this.settings = Settings.of(emulator.environment()).with(Map.of("EVENTS_STREAM", stream,
            "CONTACTS_TABLE", table, "ERASURES_TABLE", erasures, "ALLOWED_ORIGIN", ORIGIN,
            "NOTIFICATIONS_TABLE", notifications));
        this.clients = new AwsClients(settings);
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutRecordsRequest) {
                    putRecordsCalls.incrementAndGet();
                }
            }
        };
        this.kinesis = clients.kinesis(List.of(counter));
        this.dynamoDb = clients.dynamoDb();
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        dynamoDb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(a -> a.attributeName("customerId").attributeType(ScalarAttributeType.S))
            .keySchema(k -> k.attributeName("customerId").keyType(KeyType.HASH)));
        dynamoDb.createTable(b -> b.tableName(erasures).billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(a -> a.attributeName("customerHash").attributeType(ScalarAttributeType.S))
            .keySchema(k -> k.attributeName("customerHash").keyType(KeyType.HASH)));
        dynamoDb.createTable(b -> b.tableName(notifications).billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(a -> a.attributeName("customerId").attributeType(ScalarAttributeType.S),
                a -> a.attributeName("notificationKey").attributeType(ScalarAttributeType.S))
            .keySchema(k -> k.attributeName("customerId").keyType(KeyType.HASH),
                k -> k.attributeName("notificationKey").keyType(KeyType.RANGE)));
        this.handler = handler(settings);
    }

    /** A handler of this bed with other settings (e.g. a stream that does not exist). */
    IngestHandler handler(Settings with) {
        return handler(with, clock);
    }

    /** A handler of this bed with other settings and another clock. */
    IngestHandler handler(Settings with, Clock clock) {
        return new IngestHandler(kinesis, clients, with, clock, new JsonLog("ingest-function", lines::add, clock),
            new Metrics("ingest", lines::add, clock));
    }

    APIGatewayProxyResponseEvent send(APIGatewayProxyRequestEvent request) {
        return handler.handleRequest(request, null);
    }

    static APIGatewayProxyRequestEvent request(String method, String resource, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678;Sampled=1");
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setRequestId("req-" + System.nanoTime());
        Map<String, String> pathParameters = null;
        if (resource.startsWith("/customers/{id}")) {
            pathParameters = Map.of("id", path.split("/")[2]);
        }
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPath(path)
            .withHeaders(headers).withPathParameters(pathParameters).withRequestContext(context).withBody(body)
            .withIsBase64Encoded(false);
    }

    static APIGatewayProxyRequestEvent postEvents(String body) {
        return request("POST", "/events", "/events", body);
    }

    /** Every record on the stream so far, decoded. */
    List<JsonNode> records() {
        List<JsonNode> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (Record record : response.records()) {
                    records.add(json(record.data().asUtf8String()).put("partitionKey", record.partitionKey()));
                }
                iterator = response.records().isEmpty() ? null : response.nextShardIterator();
            }
        }
        return records;
    }

    Map<String, AttributeValue> contact(String customerId) {
        return dynamoDb.getItem(b -> b.tableName(table).key(Map.of("customerId", AttributeValue.fromS(customerId))))
            .item();
    }

    int contactCount() {
        return dynamoDb.scan(b -> b.tableName(table)).count();
    }

    static com.fasterxml.jackson.databind.node.ObjectNode json(String text) {
        try {
            return (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
