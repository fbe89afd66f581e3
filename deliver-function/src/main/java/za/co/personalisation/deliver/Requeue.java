package za.co.personalisation.deliver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Messages of one invocation that go back onto their channel queue with a delay (deferred by quiet hours, or
 * backing off from a throttling provider), sent with SendMessageBatch, ten a call, when the batch is done. The
 * original message is then deleted by Lambda (it is not reported as failed) unless its copy could not be queued.
 *
 * <p>SQS delays a message by at most 15 minutes; a longer wait is a chain of re-queues, each carrying the instant
 * before which the message is not to be processed ({@value #NOT_BEFORE}), so an early copy is re-queued again
 * without reading anything.
 */
final class Requeue {

    static final String NOT_BEFORE = "notBefore";
    static final String DEFERRALS = "deferrals";
    /** Why the copy was deferred ({@code quiet_hours}, {@code capped}): a new reason is counted again. */
    static final String DEFERRED_FOR = "deferredFor";
    static final String THROTTLED = "throttled";
    private static final int MAX_BATCH = 10;

    private record Entry(String sourceMessageId, String body, Map<String, String> attributes, int delaySeconds) {
    }

    private final SqsClient sqs;
    private final Map<String, List<Entry>> byQueue = new LinkedHashMap<>();

    Requeue(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** Queues a copy of a message, with these attributes, visible after {@code delay} (at most 15 minutes). */
    void add(String queueUrl, String sourceMessageId, String body, Map<String, String> attributes, Duration delay) {
        long seconds = Math.max(0, Math.min(DeliverySettings.SQS_MAX_DELAY.toSeconds(), delay.toSeconds()));
        byQueue.computeIfAbsent(queueUrl, key -> new ArrayList<>()).add(new Entry(sourceMessageId, body,
            Map.copyOf(attributes), (int) seconds));
    }

    boolean isEmpty() {
        return byQueue.isEmpty();
    }

    /** Sends everything added; returns the source message ids whose copy could not be queued. */
    List<String> flush() {
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, List<Entry>> queue : byQueue.entrySet()) {
            List<Entry> entries = queue.getValue();
            for (int from = 0; from < entries.size(); from += MAX_BATCH) {
                List<Entry> chunk = entries.subList(from, Math.min(from + MAX_BATCH, entries.size()));
                List<SendMessageBatchRequestEntry> requests = new ArrayList<>(chunk.size());
                for (int i = 0; i < chunk.size(); i++) {
                    Entry entry = chunk.get(i);
                    Map<String, MessageAttributeValue> attributes = new HashMap<>();
                    entry.attributes().forEach((name, value) -> attributes.put(name, MessageAttributeValue.builder()
                        .dataType("String").stringValue(value).build()));
                    requests.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(entry.body())
                        .delaySeconds(entry.delaySeconds())
                        .messageAttributes(attributes)
                        .build());
                }
                try {
                    SendMessageBatchResponse response = sqs.sendMessageBatch(SendMessageBatchRequest.builder()
                        .queueUrl(queue.getKey()).entries(requests).build());
                    if (response.hasFailed()) {
                        for (BatchResultErrorEntry error : response.failed()) {
                            failed.add(chunk.get(Integer.parseInt(error.id())).sourceMessageId());
                        }
                    }
                } catch (SdkException e) {
                    chunk.forEach(entry -> failed.add(entry.sourceMessageId()));
                }
            }
        }
        byQueue.clear();
        return failed;
    }
}
