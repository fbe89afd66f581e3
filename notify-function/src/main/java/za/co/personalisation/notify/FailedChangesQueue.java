package za.co.personalisation.notify;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.log.PersonalData;
import za.co.personalisation.aws.metrics.Metrics;

/**
 * Where a profile change that can never be processed goes (an image that does not fit the profile layout): the
 * notify failure queue, with the reason, the table key, the stream event id and sequence number, so an operator can
 * look at the profile and re-drive. The image itself is not copied.
 */
final class FailedChangesQueue {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final JsonLog log;

    /** @param queueUrl {@code null} when not configured: then such a record is failed back to Lambda */
    FailedChangesQueue(SqsClient sqs, String queueUrl, JsonLog log) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.log = log;
    }

    /** @return true when the record was parked with its reason; false when it must be failed instead */
    boolean send(DynamodbEvent.DynamodbStreamRecord record, String failure, Metrics.Unit unit) {
        String reason = PersonalData.scrub(String.valueOf(failure));
        String sequence = record.getDynamodb().getSequenceNumber();
        log.warn("profile_change.invalid").with("sequenceNumber", sequence).with("reason", reason).log();
        if (queueUrl == null) {
            return false;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("reason", reason);
        body.put("eventID", record.getEventID());
        body.put("eventName", record.getEventName());
        body.put("sequenceNumber", sequence);
        body.put("eventSourceARN", record.getEventSourceARN());
        ObjectNode keys = body.putObject("keys");
        if (record.getDynamodb().getKeys() != null) {
            record.getDynamodb().getKeys().forEach((name, value) -> keys.put(name, value.getS()));
        }
        try {
            sqs.sendMessage(SendMessageRequest.builder()
                .queueUrl(queueUrl)
                .messageBody(body.toString())
                .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String")
                    .stringValue(reason.length() > 256 ? reason.substring(0, 256) : reason).build()))
                .build());
            unit.count("ProfileChangesInvalid", 1);
            return true;
        } catch (SdkException e) {
            log.error("profile_change.park_failed").with("sequenceNumber", sequence).error(e).log();
            return false;
        }
    }
}
