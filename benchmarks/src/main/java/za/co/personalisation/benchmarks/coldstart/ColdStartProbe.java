package za.co.personalisation.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.local.esm.LocalContext;

/**
 * Runs in a fresh JVM started by {@link ColdStart}, on the function's own jar: builds one handler (Lambda's init),
 * handles one event (the first invocation) and a second one (warm), and prints one line:
 * {@code COLDSTART jvmMs=… initMs=… firstMs=… secondMs=…}. The handler reads its environment as in Lambda.
 *
 * <p>Arguments: the handler class, the event kind ({@code api}, {@code kinesis}, {@code dynamodb}, {@code sqs}) and
 * the factory: {@code public} (the handler's public constructor taking Settings, as the function builds itself) or
 * the name of a class with a static {@code create(Settings)} (the naive build).
 */
public final class ColdStartProbe {

    /** The invocation context Lambda passes: the local runtime's, 30 s left (its classes join the probe's path). */
    private static final Context CONTEXT = new LocalContext("cold-start-probe",
        "arn:aws:lambda:af-south-1:123456789012:function:cold-start-probe", 1024, Duration.ofSeconds(30));

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmMs = ManagementFactory.getRuntimeMXBean().getUptime();
        long started = System.nanoTime();
        Settings settings = Settings.fromEnvironment();
        Object handler;
        if (args[2].equals("public")) {
            handler = Class.forName(args[0]).getConstructor(Settings.class).newInstance(settings);
        } else {
            Method create = Class.forName(args[2]).getMethod("create", Settings.class);
            handler = create.invoke(null, settings);
        }
        long initialised = System.nanoTime();
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> function = (RequestHandler<Object, Object>) handler;
        String failed = failure(function.handleRequest(event(args[1]), CONTEXT));
        long first = System.nanoTime();
        if (failed == null) {
            failed = failure(function.handleRequest(event(args[1]), CONTEXT));
        }
        long second = System.nanoTime();
        if (failed != null) {
            // a failed invocation's time is no cold start (e.g. a client the emulator cannot answer, retried)
            System.out.println("COLDSTART-FAILED " + failed);
            System.exit(1);
        }
        System.out.printf("COLDSTART jvmMs=%d initMs=%.1f firstMs=%.1f secondMs=%.1f%n", jvmMs,
            (initialised - started) / 1e6, (first - initialised) / 1e6, (second - first) / 1e6);
        System.exit(0);
    }

    /**
     * Why the function's answer says the invocation failed, or {@code null}: an API answer of 500 or more, or a batch
     * response that names failed items (Lambda would retry them).
     */
    static String failure(Object response) {
        if (response instanceof APIGatewayProxyResponseEvent api && api.getStatusCode() != null
            && api.getStatusCode() >= 500) {
            return "the API answered " + api.getStatusCode() + ": " + api.getBody();
        }
        if (response instanceof SQSBatchResponse batch && batch.getBatchItemFailures() != null
            && !batch.getBatchItemFailures().isEmpty()) {
            return batch.getBatchItemFailures().size() + " message(s) reported failed";
        }
        if (response instanceof StreamsEventResponse batch && batch.getBatchItemFailures() != null
            && !batch.getBatchItemFailures().isEmpty()) {
            return batch.getBatchItemFailures().size() + " record(s) reported failed";
        }
        return null;
    }

    /** A small event of each kind, enough for the function to make its first AWS call. */
    static Object event(String kind) {
        Instant now = Instant.now();
        String id = UUID.randomUUID().toString();
        return switch (kind) {
            case "api" -> {
                APIGatewayProxyRequestEvent request = new APIGatewayProxyRequestEvent();
                request.setHttpMethod("POST");
                request.setPath("/events");
                request.setResource("/events");
                request.setHeaders(Map.of("Content-Type", "application/json"));
                request.setBody("{\"eventId\":\"" + id + "\",\"customerId\":\"cold-start-1\",\"interest\":"
                    + "\"electronics\",\"location\":\"Cape Town\",\"occurredAt\":\"" + now + "\"}");
                request.setRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId(id));
                yield request;
            }
            case "kinesis" -> {
                byte[] data = StreamEventCodec.encode(new InterestEvent(id, "cold-start-1", "electronics",
                    new Location("ZA/WC/cape-town", "Cape Town", true), now.minusSeconds(1), now, "", false));
                KinesisEvent.Record kinesis = new KinesisEvent.Record();
                kinesis.setPartitionKey("cold-start-1");
                kinesis.setSequenceNumber(String.format("%056d", now.toEpochMilli()));
                kinesis.setData(ByteBuffer.wrap(data));
                kinesis.setApproximateArrivalTimestamp(Date.from(now));
                KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
                record.setKinesis(kinesis);
                record.setEventSource("aws:kinesis");
                KinesisEvent event = new KinesisEvent();
                event.setRecords(List.of(record));
                yield event;
            }
            case "dynamodb" -> {
                // a profile change the function reads and judges; whether it matches an offer depends on the catalog
                StreamRecord change = new StreamRecord();
                change.setKeys(Map.of("customerId", new AttributeValue().withS("cold-start-1")));
                change.setNewImage(Map.of("customerId", new AttributeValue().withS("cold-start-1"),
                    "version", new AttributeValue().withN("1")));
                change.setSequenceNumber(Long.toString(now.toEpochMilli()));
                change.setApproximateCreationDateTime(Date.from(now));
                DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
                record.setEventName("INSERT");
                record.setEventSource("aws:dynamodb");
                record.setDynamodb(change);
                DynamodbEvent event = new DynamodbEvent();
                event.setRecords(List.of(record));
                yield event;
            }
            case "sqs" -> {
                // a message that is not a notification: deliver parks it on the dead-letter queue with the reason
                SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
                message.setMessageId(id);
                message.setReceiptHandle(id);
                message.setBody("{\"cold\":\"start\"}");
                message.setAttributes(Map.of("ApproximateReceiveCount", "1", "SentTimestamp",
                    Long.toString(now.toEpochMilli())));
                message.setEventSource("aws:sqs");
                SQSEvent event = new SQSEvent();
                event.setRecords(List.of(message));
                yield event;
            }
            default -> throw new IllegalArgumentException("unknown event kind " + kind);
        };
    }
}
