package za.co.personalisation.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import za.co.personalisation.aws.log.PersonalData;

/**
 * The failed-events queue: stream records that can never be applied (not JSON, an unknown schema, a missing or
 * invalid field) go here, and the shard moves on. The message body (JSON):
 *
 * <pre>{"reason":"…","shardId":"shardId-000000000000","sequenceNumber":"…","partitionKey":"…",
 *  "eventSourceArn":"…","approximateArrivalTimestamp":"…","failedAt":"…",
 *  "rawRecordBase64":"…","rawRecordBytes":123,"rawRecordSha256":"…","rawRecordTruncated":false}</pre>
 *
 * A Kinesis record may hold up to 1 MiB but an SQS message only 256 KiB, so a raw record larger than
 * {@value #MAX_RAW_BYTES} bytes is cut there ({@code rawRecordTruncated}); its size and SHA-256 identify the
 * whole record, which stays readable in the stream for its retention. Delivery is at least once: a retried batch
 * can queue the same record again, with the same shard id and sequence number to de-duplicate on.
 */
final class FailedEventsQueue {

    static final int MAX_RAW_BYTES = 150 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;

    FailedEventsQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Where a failed record came from. */
    record Source(String shardId, String sequenceNumber, String partitionKey, String eventSourceArn,
        Instant approximateArrival) {
    }

    void send(byte[] rawRecord, String failure, Source source, Instant now) {
        String reason = PersonalData.scrub(String.valueOf(failure));
        ObjectNode body = MAPPER.createObjectNode();
        body.put("reason", reason);
        body.put("shardId", source.shardId());
        body.put("sequenceNumber", source.sequenceNumber());
        body.put("partitionKey", source.partitionKey());
        body.put("eventSourceArn", source.eventSourceArn());
        body.put("approximateArrivalTimestamp", source.approximateArrival() == null ? null
            : source.approximateArrival().toString());
        body.put("failedAt", now.toString());
        boolean truncated = rawRecord.length > MAX_RAW_BYTES;
        body.put("rawRecordBase64", Base64.getEncoder().encodeToString(truncated
            ? Arrays.copyOf(rawRecord, MAX_RAW_BYTES) : rawRecord));
        body.put("rawRecordBytes", rawRecord.length);
        body.put("rawRecordSha256", Sha256.hex(rawRecord));
        body.put("rawRecordTruncated", truncated);
        sqs.sendMessage(b -> b
            .queueUrl(queueUrl)
            .messageBody(body.toString())
            .messageAttributes(Map.of(
                "reason", text(reason.length() > 256 ? reason.substring(0, 256) : reason),
                "shardId", text(source.shardId()),
                "sequenceNumber", text(source.sequenceNumber()))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value.isEmpty() ? "-" : value).build();
    }
}
