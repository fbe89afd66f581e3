package za.co.personalisation.local.esm;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Builds the {@code aws-lambda-java-events} objects Lambda passes to a handler from what the emulator's APIs
 * return, field by field as Lambda fills them in.
 */
public final class EventConverters {

    private EventConverters() {
    }

    public static KinesisEvent kinesis(List<software.amazon.awssdk.services.kinesis.model.Record> records,
        String shardId, String streamArn, String region, String functionArn) {
        List<KinesisEvent.KinesisEventRecord> converted = new ArrayList<>(records.size());
        for (software.amazon.awssdk.services.kinesis.model.Record record : records) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion("1.0");
            kinesis.setPartitionKey(record.partitionKey());
            kinesis.setSequenceNumber(record.sequenceNumber());
            kinesis.setData(record.data().asByteBuffer());
            if (record.approximateArrivalTimestamp() != null) {
                kinesis.setApproximateArrivalTimestamp(Date.from(record.approximateArrivalTimestamp()));
            }
            kinesis.setEncryptionType(record.encryptionTypeAsString());
            KinesisEvent.KinesisEventRecord eventRecord = new KinesisEvent.KinesisEventRecord();
            eventRecord.setKinesis(kinesis);
            eventRecord.setEventSource("aws:kinesis");
            eventRecord.setEventVersion("1.0");
            eventRecord.setEventID(shardId + ":" + record.sequenceNumber());
            eventRecord.setEventName("aws:kinesis:record");
            eventRecord.setInvokeIdentityArn(functionArn);
            eventRecord.setAwsRegion(region);
            eventRecord.setEventSourceARN(streamArn);
            converted.add(eventRecord);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(converted);
        return event;
    }

    public static DynamodbEvent dynamoDb(List<Record> records, String streamArn, String region) {
        List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>(records.size());
        for (Record record : records) {
            var source = record.dynamodb();
            StreamRecord stream = new StreamRecord();
            stream.setKeys(image(source.keys()));
            stream.setNewImage(source.hasNewImage() ? image(source.newImage()) : null);
            stream.setOldImage(source.hasOldImage() ? image(source.oldImage()) : null);
            stream.setSequenceNumber(source.sequenceNumber());
            stream.setSizeBytes(source.sizeBytes());
            if (source.streamViewTypeAsString() != null) {
                stream.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType
                    .fromValue(source.streamViewTypeAsString()));
            }
            if (source.approximateCreationDateTime() != null) {
                stream.setApproximateCreationDateTime(Date.from(source.approximateCreationDateTime()));
            }
            DynamodbEvent.DynamodbStreamRecord eventRecord = new DynamodbEvent.DynamodbStreamRecord();
            eventRecord.setEventID(record.eventID());
            eventRecord.setEventName(record.eventNameAsString());
            eventRecord.setEventVersion(record.eventVersion() == null ? "1.1" : record.eventVersion());
            eventRecord.setEventSource("aws:dynamodb");
            eventRecord.setAwsRegion(region);
            eventRecord.setEventSourceARN(streamArn);
            eventRecord.setDynamodb(stream);
            converted.add(eventRecord);
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(converted);
        return event;
    }

    public static SQSEvent sqs(List<Message> messages, String queueArn, String region) {
        List<SQSEvent.SQSMessage> converted = new ArrayList<>(messages.size());
        for (Message message : messages) {
            SQSEvent.SQSMessage sqs = new SQSEvent.SQSMessage();
            sqs.setMessageId(message.messageId());
            sqs.setReceiptHandle(message.receiptHandle());
            sqs.setBody(message.body());
            sqs.setMd5OfBody(message.md5OfBody());
            sqs.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
            Map<String, String> attributes = new HashMap<>();
            for (Map.Entry<MessageSystemAttributeName, String> attribute : message.attributes().entrySet()) {
                attributes.put(attribute.getKey().toString(), attribute.getValue());
            }
            sqs.setAttributes(attributes);
            Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
            for (Map.Entry<String, MessageAttributeValue> attribute : message.messageAttributes().entrySet()) {
                SQSEvent.MessageAttribute value = new SQSEvent.MessageAttribute();
                value.setDataType(attribute.getValue().dataType());
                value.setStringValue(attribute.getValue().stringValue());
                messageAttributes.put(attribute.getKey(), value);
            }
            sqs.setMessageAttributes(messageAttributes);
            sqs.setEventSource("aws:sqs");
            sqs.setEventSourceArn(queueArn);
            sqs.setAwsRegion(region);
            converted.add(sqs);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(converted);
        return event;
    }

    static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image(
        Map<String, AttributeValue> image) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> converted =
            new HashMap<>();
        image.forEach((name, value) -> converted.put(name, value(value)));
        return converted;
    }

    static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue value(AttributeValue value) {
        var converted = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (value.type()) {
            case S -> converted.setS(value.s());
            case N -> converted.setN(value.n());
            case BOOL -> converted.setBOOL(value.bool());
            case NUL -> converted.setNULL(value.nul());
            case M -> converted.setM(image(value.m()));
            case L -> {
                List<com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> list =
                    new ArrayList<>();
                value.l().forEach(element -> list.add(value(element)));
                converted.setL(list);
            }
            case SS -> converted.setSS(value.ss());
            case NS -> converted.setNS(value.ns());
            case B -> converted.setB(value.b().asByteBuffer());
            case BS -> {
                List<java.nio.ByteBuffer> buffers = new ArrayList<>();
                value.bs().forEach(bytes -> buffers.add(bytes.asByteBuffer()));
                converted.setBS(buffers);
            }
            default -> throw new IllegalArgumentException("unsupported attribute type " + value.type());
        }
        return converted;
    }
}
