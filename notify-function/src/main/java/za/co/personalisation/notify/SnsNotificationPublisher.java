package za.co.personalisation.notify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.notify.NotificationCodec;

/**
 * Publishes notifications to the offer-notifications topic with PublishBatch, ten a call, each with the message
 * attributes the subscriptions filter on: {@code channel} (sms | email) and {@code replay} (true | false). Entries
 * SNS fails for its own reasons (throttling, internal errors) are tried again, in batches, a few times.
 */
final class SnsNotificationPublisher {

    static final int MAX_BATCH = 10;
    private static final int ATTEMPTS = 3;

    private final SnsClient sns;
    private final String topicArn;

    /** The outcome: indexes (into the list published) that were not accepted, and the PublishBatch calls made. */
    record Result(Set<Integer> failed, int calls) {
    }

    SnsNotificationPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    Result publish(List<Notification> notifications) {
        List<Integer> pending = new ArrayList<>(notifications.size());
        for (int i = 0; i < notifications.size(); i++) {
            pending.add(i);
        }
        Set<Integer> failed = new HashSet<>();
        int calls = 0;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<Integer> retry = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += MAX_BATCH) {
                List<PublishBatchRequestEntry> entries = new ArrayList<>(MAX_BATCH);
                for (int index : pending.subList(from, Math.min(from + MAX_BATCH, pending.size()))) {
                    entries.add(entry(index, notifications.get(index)));
                }
                PublishBatchResponse response = sns.publishBatch(PublishBatchRequest.builder()
                    .topicArn(topicArn)
                    .publishBatchRequestEntries(entries)
                    .build());
                calls++;
                if (response.hasFailed()) {
                    for (BatchResultErrorEntry error : response.failed()) {
                        // A sender fault (a bad entry) will not go away by trying again.
                        (Boolean.TRUE.equals(error.senderFault()) ? failed : retry).add(Integer.parseInt(error.id()));
                    }
                }
            }
            if (!retry.isEmpty() && attempt == ATTEMPTS) {
                failed.addAll(retry);
                break;
            }
            if (!retry.isEmpty()) {
                pause(50L << attempt);
            }
            pending = retry;
        }
        return new Result(Set.copyOf(failed), calls);
    }

    private static PublishBatchRequestEntry entry(int index, Notification notification) {
        return PublishBatchRequestEntry.builder()
            .id(Integer.toString(index))
            .message(NotificationCodec.encode(notification))
            .messageAttributes(Map.of(
                "channel", attribute(notification.channel().wireName()),
                "replay", attribute(Boolean.toString(notification.replay()))))
            .build();
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
