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
 * attributes the subscriptions filter on: {@code channel} (sms | email) and {@code replay} (true | false).
 */
final class SnsNotificationPublisher {

    static final int MAX_BATCH = 10;

    private final SnsClient sns;
    private final String topicArn;

    SnsNotificationPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    /** Publishes all; returns the indexes (into {@code notifications}) that SNS did not accept. */
    Set<Integer> publish(List<Notification> notifications) {
        Set<Integer> failed = new HashSet<>();
        for (int from = 0; from < notifications.size(); from += MAX_BATCH) {
            int to = Math.min(from + MAX_BATCH, notifications.size());
            List<PublishBatchRequestEntry> entries = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                Notification notification = notifications.get(i);
                entries.add(PublishBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .message(NotificationCodec.encode(notification))
                    .messageAttributes(Map.of(
                        "channel", attribute(notification.channel().wireName()),
                        "replay", attribute(Boolean.toString(notification.replay()))))
                    .build());
            }
            PublishBatchResponse response = sns.publishBatch(PublishBatchRequest.builder()
                .topicArn(topicArn)
                .publishBatchRequestEntries(entries)
                .build());
            if (response.hasFailed()) {
                for (BatchResultErrorEntry error : response.failed()) {
                    failed.add(Integer.parseInt(error.id()));
                }
            }
        }
        return failed;
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
