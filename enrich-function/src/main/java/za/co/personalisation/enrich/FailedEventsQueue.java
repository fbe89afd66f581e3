package za.co.personalisation.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The failed-events queue: stream records that can never be applied (not JSON, wrong schema, invalid fields) go
 * here with the raw record, the reason, the shard and the sequence number, and the shard moves on.
 */
final class FailedEventsQueue {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;

    FailedEventsQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    void send(byte[] rawRecord, String reason, String shardId, String sequenceNumber, Instant now) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("reason", reason);
        body.put("shardId", shardId);
        body.put("sequenceNumber", sequenceNumber);
        body.put("failedAt", now.toString());
        body.put("rawRecordBase64", Base64.getEncoder().encodeToString(rawRecord));
        sqs.sendMessage(SendMessageRequest.builder()
            .queueUrl(queueUrl)
            .messageBody(body.toString())
            .messageAttributes(java.util.Map.of("reason", MessageAttributeValue.builder().dataType("String")
                .stringValue(reason.length() > 256 ? reason.substring(0, 256) : reason).build()))
            .build());
    }
}
