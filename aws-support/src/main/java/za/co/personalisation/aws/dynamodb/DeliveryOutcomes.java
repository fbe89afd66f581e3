package za.co.personalisation.aws.dynamodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import za.co.personalisation.core.notify.DeliveryOutcome;

/**
 * The delivery-feedback part of the {@code notifications} table: the outcome on each notification's entry and the
 * email suppressions, in the customer's partition like everything else (so erasure removes them too).
 *
 * <p>Outcome attributes on an entry: {@code delivery} (the {@link DeliveryOutcome}'s wire name), {@code deliveryRank}
 * (N, its rank: the condition that makes repeats and out-of-order events harmless), {@code deliveryAt} (when the
 * provider says it happened), {@code deliveryDetail} (the provider's classification, e.g. {@code Permanent/General}
 * or an SMS status; never an address), {@code deliveryRecordedAt}, and {@code deliveredAt} (the first time it was
 * known to have reached the customer).
 *
 * <p>Email suppressions: {@code notificationKey} = {@code suppression#email#<address hash>} ({@link ContactHashes}),
 * with {@code reason} ({@code bounced} or {@code complained}), {@code at}, {@code ledgerKey} (the notification whose
 * event caused it) and {@code detail}. No TTL: like SES's account-level suppression list, an address stays
 * suppressed until someone removes the item (or the customer is erased); a new address is not suppressed.
 *
 * <p>Entries are found by the provider's message id through the table's index {@value #MESSAGE_ID_INDEX} (keys
 * only), then read consistently from the table.
 */
public final class DeliveryOutcomes {

    public static final String MESSAGE_ID_INDEX = "providerMessageId-index";
    static final String SUPPRESSION_PREFIX = "suppression#";
    private static final String EMAIL_SUPPRESSION_PREFIX = SUPPRESSION_PREFIX + "email#";

    /** What {@link #record} did. */
    public enum Recorded {
        /** The outcome is now on the entry. */
        RECORDED,
        /** The entry already holds this outcome or a stronger one: a repeated or out-of-order event, no change. */
        SUPERSEDED,
        /** No entry with that key and provider message id (expired, erased, or never sent under that id). */
        MISSING
    }

    /** An address's suppression: why and since when. */
    public record Suppression(String reason, Instant at, String ledgerKey) {
    }

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DeliveryOutcomes(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /**
     * The entry whose message the provider knows by this id, or {@code null} when there is none (not recorded as
     * sent yet, expired, or erased). The index is eventually consistent; the entry itself is read consistently and
     * must still carry the id.
     */
    public LedgerEntry findByProviderMessageId(String providerMessageId) {
        Map<String, AttributeValue> item = itemByProviderMessageId(providerMessageId);
        return item == null ? null : LedgerEntry.from(item);
    }

    /** As {@link #findByProviderMessageId}, the entry's item as stored. */
    public Map<String, AttributeValue> itemByProviderMessageId(String providerMessageId) {
        QueryResponse page = dynamoDb.query(b -> b.tableName(table).indexName(MESSAGE_ID_INDEX)
            .keyConditionExpression("#id = :id")
            .expressionAttributeNames(Map.of("#id", LedgerEntry.PROVIDER_MESSAGE_ID))
            .expressionAttributeValues(Map.of(":id", s(providerMessageId))));
        for (Map<String, AttributeValue> key : page.items()) {
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("customerId", key.get("customerId"), "notificationKey", key.get("notificationKey"))))
                .item();
            if (item != null && !item.isEmpty() && LedgerEntry.isNotification(item)
                && providerMessageId.equals(LedgerEntry.from(item).providerMessageId())) {
                return item;
            }
        }
        return null;
    }

    /**
     * Records an outcome on the entry that was sent under {@code providerMessageId}, unless it holds this outcome or
     * a stronger one already. One conditional update: a repeat of the same event, or an event older in rank, changes
     * nothing however often it arrives.
     *
     * @param occurredAt when the provider says it happened
     * @param detail     the provider's classification, no personal data (empty when none)
     */
    public Recorded record(String customerId, String ledgerKey, String providerMessageId, DeliveryOutcome outcome,
        Instant occurredAt, String detail, Instant now) {
        Map<String, String> names = new HashMap<>();
        names.put("#outcome", LedgerEntry.OUTCOME);
        names.put("#rank", LedgerEntry.OUTCOME_RANK);
        names.put("#at", LedgerEntry.OUTCOME_AT);
        names.put("#detail", LedgerEntry.OUTCOME_DETAIL);
        names.put("#recorded", LedgerEntry.OUTCOME_RECORDED_AT);
        names.put("#id", LedgerEntry.PROVIDER_MESSAGE_ID);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":outcome", s(outcome.wireName()));
        values.put(":rank", AttributeValue.fromN(Integer.toString(outcome.rank())));
        values.put(":at", s(occurredAt.toString()));
        values.put(":detail", s(detail));
        values.put(":recorded", s(now.toString()));
        values.put(":id", s(providerMessageId));
        StringBuilder set = new StringBuilder(
            "SET #outcome = :outcome, #rank = :rank, #at = :at, #detail = :detail, #recorded = :recorded");
        if (outcome.delivered()) {
            names.put("#delivered", LedgerEntry.DELIVERED_AT);
            set.append(", #delivered = if_not_exists(#delivered, :at)");
        }
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(customerId, ledgerKey))
                .updateExpression(set.toString())
                .conditionExpression("#id = :id AND (attribute_not_exists(#rank) OR #rank < :rank)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
            return Recorded.RECORDED;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(customerId, ledgerKey))).item();
            boolean same = item != null && item.containsKey(LedgerEntry.PROVIDER_MESSAGE_ID)
                && providerMessageId.equals(item.get(LedgerEntry.PROVIDER_MESSAGE_ID).s());
            return same ? Recorded.SUPERSEDED : Recorded.MISSING;
        }
    }

    /**
     * Suppresses email to an address of a customer. The first reason is kept: a later complaint about an address
     * that bounced changes nothing.
     *
     * @return true when this call suppressed it, false when it was suppressed already
     */
    public boolean suppressEmail(String customerId, String addressHash, DeliveryOutcome outcome, String ledgerKey,
        String detail, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(key(customerId, EMAIL_SUPPRESSION_PREFIX + addressHash));
        item.put("reason", s(outcome.wireName()));
        item.put("at", s(at.toString()));
        item.put("ledgerKey", s(ledgerKey));
        item.put("detail", s(detail));
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(notificationKey)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The suppression of a customer's address (strongly consistent), or {@code null} when it is not suppressed. */
    public Suppression emailSuppression(String customerId, String addressHash) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
            .key(key(customerId, EMAIL_SUPPRESSION_PREFIX + addressHash))).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new Suppression(item.get("reason").s(), Instant.parse(item.get("at").s()),
            item.containsKey("ledgerKey") ? item.get("ledgerKey").s() : "");
    }

    /** Every notification entry of a customer (live and replayed), strongly consistent, in key order. */
    public List<LedgerEntry> entries(String customerId) {
        List<LedgerEntry> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamoDb.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("customerId = :id")
                .expressionAttributeValues(Map.of(":id", s(customerId)))
                .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                if (LedgerEntry.isNotification(item)) {
                    entries.add(LedgerEntry.from(item));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return entries;
    }

    private static Map<String, AttributeValue> key(String customerId, String notificationKey) {
        return Map.of("customerId", s(customerId), "notificationKey", s(notificationKey));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
