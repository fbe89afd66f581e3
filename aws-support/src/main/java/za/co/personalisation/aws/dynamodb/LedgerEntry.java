package za.co.personalisation.aws.dynamodb;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.core.notify.DeliveryOutcome;

/**
 * One notification's ledger entry as readers outside the delivery path see it: why it exists, how far sending got
 * and what the delivery events said. {@link #from} is the one mapping from the item; code that needs the ledger's
 * contents (the feedback function, reports, attribution) reads entries through it rather than attributes by name.
 *
 * @param ledgerKey         {@code offerId#channel}, or {@code replay#offerId#channel} for replayed traffic
 * @param status            the sending status ({@link NotificationLedger#SENT} and the others)
 * @param createdAt         when notify decided
 * @param sentAt            when the provider accepted it, or {@code null}
 * @param providerMessageId the SNS or SES message id, or {@code null} before it was sent
 * @param outcome           what the delivery events said, or {@code null} while none has arrived
 * @param outcomeAt         when the provider says the outcome happened, or {@code null}
 * @param deliveredAt       when it was first known to have reached the customer, or {@code null}
 * @param outcomeDetail     the provider's classification (a bounce type, an SMS status), never personal data
 */
public record LedgerEntry(String customerId, String ledgerKey, String offerId, String channel, String status,
    boolean replay, String eventId, String interest, Instant createdAt, Instant sentAt, String providerMessageId,
    DeliveryOutcome outcome, Instant outcomeAt, Instant deliveredAt, String outcomeDetail) {

    /** Attribute names of the delivery outcome, written only by {@link DeliveryOutcomes}. */
    static final String OUTCOME = "delivery";
    static final String OUTCOME_RANK = "deliveryRank";
    static final String OUTCOME_AT = "deliveryAt";
    static final String OUTCOME_DETAIL = "deliveryDetail";
    static final String OUTCOME_RECORDED_AT = "deliveryRecordedAt";
    static final String DELIVERED_AT = "deliveredAt";
    static final String PROVIDER_MESSAGE_ID = "providerMessageId";

    /** Whether an item of the notifications table is a notification's entry (not a cap counter or a suppression). */
    public static boolean isNotification(Map<String, AttributeValue> item) {
        AttributeValue key = item.get("notificationKey");
        return key != null && key.s() != null && item.containsKey("offerId") && item.containsKey("channel")
            && !key.s().startsWith("cap#") && !key.s().startsWith(DeliveryOutcomes.SUPPRESSION_PREFIX);
    }

    /** The entry of an item of the notifications table that {@link #isNotification} accepts. */
    public static LedgerEntry from(Map<String, AttributeValue> item) {
        return new LedgerEntry(text(item, "customerId"), text(item, "notificationKey"), text(item, "offerId"),
            text(item, "channel"), text(item, "status"),
            item.containsKey("replay") && Boolean.TRUE.equals(item.get("replay").bool()),
            text(item, "eventId"), text(item, "interest"), instant(item, "createdAt"), instant(item, "sentAt"),
            text(item, PROVIDER_MESSAGE_ID), DeliveryOutcome.fromWire(text(item, OUTCOME)),
            instant(item, OUTCOME_AT), instant(item, DELIVERED_AT), text(item, OUTCOME_DETAIL));
    }

    /** Sent to the provider (it answered with a message id). */
    public boolean sent() {
        return NotificationLedger.SENT.equals(status);
    }

    /** Known to have reached the customer: a delivery receipt, a complaint or a STOP reply. */
    public boolean delivered() {
        return outcome != null && outcome.delivered();
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = text(item, name);
        return value == null || value.isEmpty() ? null : Instant.parse(value);
    }
}
