package za.co.personalisation.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Each source's record as Lambda's event filtering sees it (Lambda developer guide: "Using event filtering with a
 * Kinesis / DynamoDB / Amazon SQS event source"):
 * <ul>
 *   <li>Kinesis: the {@code kinesis} object's fields at the top ({@code partitionKey}, {@code sequenceNumber},
 *   {@code approximateArrivalTimestamp}, {@code kinesisSchemaVersion}) and {@code data} decoded from base64 and
 *   parsed when it is JSON; data that is not JSON stays the base64 string, so a pattern on {@code data} fields
 *   never matches it (Lambda drops such records).</li>
 *   <li>DynamoDB Streams: the record with its {@code dynamodb} object, images in DynamoDB JSON
 *   ({@code {"S": "…"}}, {@code {"N": "5"}}, …), plus {@code eventName}, {@code eventSource} and the rest.</li>
 *   <li>SQS: {@code body} parsed when it is a JSON object or array, else the plain string; {@code attributes} and
 *   {@code messageAttributes} ({@code stringValue}, {@code dataType}).</li>
 * </ul>
 */
public final class RecordViews {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordViews() {
    }

    public static JsonNode kinesis(software.amazon.awssdk.services.kinesis.model.Record record) {
        ObjectNode view = MAPPER.createObjectNode();
        view.put("kinesisSchemaVersion", "1.0");
        view.put("partitionKey", record.partitionKey());
        view.put("sequenceNumber", record.sequenceNumber());
        if (record.approximateArrivalTimestamp() != null) {
            view.put("approximateArrivalTimestamp", record.approximateArrivalTimestamp().toEpochMilli() / 1000.0);
        }
        byte[] data = record.data().asByteArray();
        JsonNode parsed = jsonOrNull(new String(data, StandardCharsets.UTF_8));
        if (parsed != null) {
            view.set("data", parsed);
        } else {
            view.put("data", Base64.getEncoder().encodeToString(data));
        }
        return view;
    }

    public static JsonNode dynamoDb(software.amazon.awssdk.services.dynamodb.model.Record record, String streamArn,
        String region) {
        ObjectNode view = MAPPER.createObjectNode();
        view.put("eventID", record.eventID());
        view.put("eventName", record.eventNameAsString());
        view.put("eventVersion", record.eventVersion() == null ? "1.1" : record.eventVersion());
        view.put("eventSource", "aws:dynamodb");
        view.put("awsRegion", region);
        view.put("eventSourceARN", streamArn);
        var source = record.dynamodb();
        ObjectNode dynamodb = view.putObject("dynamodb");
        if (source.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", source.approximateCreationDateTime().getEpochSecond());
        }
        dynamodb.set("Keys", image(source.keys()));
        if (source.hasNewImage()) {
            dynamodb.set("NewImage", image(source.newImage()));
        }
        if (source.hasOldImage()) {
            dynamodb.set("OldImage", image(source.oldImage()));
        }
        dynamodb.put("SequenceNumber", source.sequenceNumber());
        if (source.sizeBytes() != null) {
            dynamodb.put("SizeBytes", source.sizeBytes());
        }
        dynamodb.put("StreamViewType", source.streamViewTypeAsString());
        return view;
    }

    public static JsonNode sqs(Message message, String queueArn, String region) {
        ObjectNode view = MAPPER.createObjectNode();
        view.put("messageId", message.messageId());
        view.put("receiptHandle", message.receiptHandle());
        String body = message.body() == null ? "" : message.body();
        JsonNode parsed = jsonOrNull(body);
        if (parsed != null && (parsed.isObject() || parsed.isArray())) {
            view.set("body", parsed);
        } else {
            view.put("body", body);
        }
        ObjectNode attributes = view.putObject("attributes");
        for (Map.Entry<MessageSystemAttributeName, String> attribute : message.attributes().entrySet()) {
            attributes.put(attribute.getKey().toString(), attribute.getValue());
        }
        ObjectNode messageAttributes = view.putObject("messageAttributes");
        for (Map.Entry<String, MessageAttributeValue> attribute : message.messageAttributes().entrySet()) {
            messageAttributes.putObject(attribute.getKey())
                .put("stringValue", attribute.getValue().stringValue())
                .put("dataType", attribute.getValue().dataType());
        }
        view.put("md5OfBody", message.md5OfBody());
        view.put("eventSource", "aws:sqs");
        view.put("eventSourceARN", queueArn);
        view.put("awsRegion", region);
        return view;
    }

    /** An item image in DynamoDB JSON, as the stream record carries it. */
    static ObjectNode image(Map<String, AttributeValue> image) {
        ObjectNode node = MAPPER.createObjectNode();
        image.forEach((name, value) -> node.set(name, value(value)));
        return node;
    }

    private static ObjectNode value(AttributeValue value) {
        ObjectNode node = MAPPER.createObjectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case BOOL -> node.put("BOOL", value.bool());
            case NUL -> node.put("NULL", true);
            case M -> node.set("M", image(value.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                value.l().forEach(element -> list.add(value(element)));
            }
            case SS -> value.ss().forEach(node.putArray("SS")::add);
            case NS -> value.ns().forEach(node.putArray("NS")::add);
            case B -> node.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BS -> {
                ArrayNode list = node.putArray("BS");
                value.bs().forEach(bytes -> list.add(Base64.getEncoder().encodeToString(bytes.asByteArray())));
            }
            default -> throw new IllegalArgumentException("unsupported attribute type " + value.type());
        }
        return node;
    }

    /** A canonical text of an item's key, for ParallelizationFactor's per-item ordering. */
    static String itemKey(Map<String, AttributeValue> keys) {
        return new java.util.TreeMap<>(keys).entrySet().stream()
            .map(entry -> entry.getKey() + "=" + value(entry.getValue()))
            .reduce((a, b) -> a + "," + b).orElse("");
    }

    private static JsonNode jsonOrNull(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }
}
