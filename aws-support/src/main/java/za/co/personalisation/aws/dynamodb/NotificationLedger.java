package za.co.personalisation.aws.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import za.co.personalisation.core.notify.FrequencyCaps;
import za.co.personalisation.core.notify.Notification;

/**
 * The {@code notifications} table, partitioned by customer (so erasing a customer is one Query and its deletes).
 *
 * <p>Ledger entries: one item per customer × offer × channel (key {@code customerId}, {@code notificationKey} =
 * {@code offerId#channel}, or {@code replay#offerId#channel} for replayed traffic), expiring by TTL
 * ({@code expiresAt}, epoch seconds). A put conditional on absence is what makes "at most once per customer per
 * offer per channel" true under retries, parallel invocations and replays; conditional status transitions make
 * delivery happen once. Each entry explains its decision: {@code interest}, {@code locationRule},
 * {@code catalogVersion}, {@code trigger}, {@code eventId}; then the outcome: {@code reason}, {@code locale},
 * {@code providerMessageId}, {@code deferredUntil}, {@code lastError}.
 *
 * <p>Status: {@code pending} (claimed by notify, not yet confirmed published) → {@code queued} (published) →
 * {@code sending} (claimed by deliver, with a lease) → {@code sent} | {@code failed} | {@code suppressed}; or
 * {@code sending} → {@code deferred} (quiet hours) → {@code sending} again at the allowed time.
 *
 * <p>Frequency-cap counters: one item per customer × channel × window ({@code notificationKey} =
 * {@code cap#sms#day#2026-11-26}, {@code cap#sms#week#2026-W48}) holding the set of ledger keys counted in it
 * ({@code keys} SS). Reserving adds the notification's key only while the set is below the limit, so a retry of
 * the same notification never counts twice and two parallel deliveries never pass the limit together.
 */
public final class NotificationLedger {

    public static final String PENDING = "pending";
    public static final String QUEUED = "queued";
    public static final String SENDING = "sending";
    public static final String DEFERRED = "deferred";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String SUPPRESSED = "suppressed";

    /** The outcome of notify's claim. */
    public enum Claim {
        /** A new ledger entry: publish it. */
        CLAIMED,
        /** Claimed before but not confirmed published (a retry after a crash): publish it again. */
        UNCONFIRMED,
        /** Already published or delivered: a duplicate, do nothing. */
        DUPLICATE
    }

    /** The outcome of deliver's claim. */
    public enum DeliveryClaim {
        /** This invocation may send it now. */
        CLAIMED,
        /** Another invocation holds an unexpired lease on it. */
        IN_PROGRESS,
        /** Sent, failed or suppressed already: a duplicate message. */
        FINISHED,
        /** No ledger entry: it expired or the customer was erased. */
        MISSING
    }

    private static final String KEYS = "keys";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration retention;

    public NotificationLedger(DynamoDbClient dynamoDb, String table, Duration retention) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.retention = retention;
    }

    /** Claims the notification's ledger entry with a put conditional on its absence. */
    public Claim claim(Notification notification) {
        Map<String, AttributeValue> item = new HashMap<>(key(notification.customerId(), notification.ledgerKey()));
        item.put("status", s(PENDING));
        item.put("offerId", s(notification.offerId()));
        item.put("channel", s(notification.channel().wireName()));
        item.put("eventId", s(notification.eventId()));
        item.put("interest", s(notification.interest()));
        item.put("locationRule", s(notification.locationRule()));
        item.put("catalogVersion", s(notification.catalogVersion()));
        item.put("trigger", s(notification.trigger()));
        item.put("replay", AttributeValue.fromBool(notification.replay()));
        item.put("traceId", s(notification.traceId()));
        item.put("createdAt", s(notification.createdAt().toString()));
        item.put("updatedAt", s(notification.createdAt().toString()));
        item.put("expiresAt", n(notification.createdAt().plus(retention).getEpochSecond()));
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(customerId)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build());
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            return PENDING.equals(status(existing(e, notification.customerId(), notification.ledgerKey())))
                ? Claim.UNCONFIRMED : Claim.DUPLICATE;
        }
    }

    /**
     * Claims an entry for sending: from pending, queued or deferred, or from sending when the lease of the
     * invocation that held it has run out (it crashed or timed out before recording an outcome).
     */
    public DeliveryClaim claimDelivery(String customerId, String ledgerKey, Instant now, Duration lease) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pending", s(PENDING));
        values.put(":queued", s(QUEUED));
        values.put(":deferred", s(DEFERRED));
        values.put(":sending", s(SENDING));
        values.put(":now", s(now.toString()));
        values.put(":nowMillis", n(now.toEpochMilli()));
        values.put(":lease", n(now.plus(lease).toEpochMilli()));
        values.put(":zero", n(0));
        values.put(":one", n(1));
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(customerId, ledgerKey))
                .updateExpression("SET #status = :sending, leaseUntil = :lease, updatedAt = :now,"
                    + " attempts = if_not_exists(attempts, :zero) + :one")
                .conditionExpression("#status IN (:pending, :queued, :deferred)"
                    + " OR (#status = :sending AND leaseUntil < :nowMillis)")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build());
            return DeliveryClaim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = existing(e, customerId, ledgerKey);
            if (existing == null) {
                return DeliveryClaim.MISSING;
            }
            return SENDING.equals(status(existing)) ? DeliveryClaim.IN_PROGRESS : DeliveryClaim.FINISHED;
        }
    }

    /** Moves an entry from one of {@code from} to {@code to}; false when it was in none of them. */
    public boolean transition(String customerId, String ledgerKey, List<String> from, String to, Instant now,
        Map<String, String> details) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        names.put("#status", "status");
        StringBuilder set = new StringBuilder("SET #status = :to, updatedAt = :now");
        values.put(":to", s(to));
        values.put(":now", s(now.toString()));
        StringBuilder condition = new StringBuilder("#status IN (");
        for (int i = 0; i < from.size(); i++) {
            condition.append(i == 0 ? "" : ", ").append(":from").append(i);
            values.put(":from" + i, s(from.get(i)));
        }
        condition.append(')');
        int n = 0;
        for (Map.Entry<String, String> detail : details.entrySet()) {
            names.put("#d" + n, detail.getKey());
            values.put(":d" + n, s(detail.getValue()));
            set.append(", #d").append(n).append(" = :d").append(n);
            n++;
        }
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(customerId, ledgerKey))
                .updateExpression(set.toString())
                .conditionExpression(condition.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Counts a notification in its frequency-cap windows, all or none (one transaction). Idempotent: a
     * notification already counted in a window passes again.
     *
     * <p>The transaction also checks that the notification's own entry is still there and being sent. An erasure
     * deletes every item of the customer; without this check a delivery that read the profile just before could
     * create cap counters after it, which would outlive the erasure.
     *
     * @return {@code null} when counted, or the first window that is full
     * @throws EntryGone when the notification's entry is gone or no longer being sent (the customer was erased)
     */
    public FrequencyCaps.Window reserve(String customerId, String ledgerKey, List<FrequencyCaps.Window> windows) {
        if (windows.isEmpty()) {
            return null;
        }
        List<TransactWriteItem> updates = new ArrayList<>(windows.size() + 1);
        for (FrequencyCaps.Window window : windows) {
            updates.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(key(customerId, window.key()))
                .updateExpression("ADD #keys :member SET expiresAt = :expires, #limit = :limit")
                .conditionExpression("attribute_not_exists(#keys) OR contains(#keys, :key) OR size(#keys) < :limit")
                .expressionAttributeNames(Map.of("#keys", KEYS, "#limit", "limit"))
                .expressionAttributeValues(Map.of(
                    ":member", AttributeValue.fromSs(List.of(ledgerKey)),
                    ":key", s(ledgerKey),
                    ":limit", n(window.limit()),
                    ":expires", n(window.endsAt().plus(Duration.ofDays(1)).getEpochSecond())))
                .build()).build());
        }
        updates.add(TransactWriteItem.builder().conditionCheck(c -> c
            .tableName(table)
            .key(key(customerId, ledgerKey))
            .conditionExpression("#status = :sending")
            .expressionAttributeNames(Map.of("#status", "status"))
            .expressionAttributeValues(Map.of(":sending", s(SENDING)))).build());
        try {
            dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(updates).build());
            return null;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (reasons.size() > windows.size()
                && "ConditionalCheckFailed".equals(reasons.get(windows.size()).code())) {
                throw new EntryGone(customerId, ledgerKey);
            }
            for (int i = 0; i < reasons.size() && i < windows.size(); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    return windows.get(i);
                }
            }
            throw e;
        }
    }

    /**
     * Takes a notification out of its cap windows again (it was never sent). Only from counters that exist: an
     * update of a missing item would create it (with no expiry), so a release after an erasure would leave a
     * counter of an erased customer behind for good.
     */
    public void release(String customerId, String ledgerKey, List<FrequencyCaps.Window> windows) {
        for (FrequencyCaps.Window window : windows) {
            try {
                dynamoDb.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(customerId, window.key()))
                    .updateExpression("DELETE #keys :member")
                    .conditionExpression("attribute_exists(notificationKey)")
                    .expressionAttributeNames(Map.of("#keys", KEYS))
                    .expressionAttributeValues(Map.of(":member", AttributeValue.fromSs(List.of(ledgerKey))))
                    .build());
            } catch (ConditionalCheckFailedException e) {
                // the counter is gone (erased, or expired): nothing to take the notification out of
            }
        }
    }

    /** The notification's ledger entry is gone or no longer being sent: the customer was erased meanwhile. */
    public static final class EntryGone extends RuntimeException {

        private static final long serialVersionUID = 1L;

        EntryGone(String customerId, String ledgerKey) {
            super("the ledger entry " + ledgerKey + " of customer " + customerId + " is gone or no longer being sent");
        }
    }

    /**
     * Deletes the entry of a notification this invocation is sending, whose customer has no profile any more (they
     * were erased after notify read their profile change): the erasure's deletes have run already, so the entry
     * would otherwise stay behind for its whole retention. Conditional on the entry being sent, so that nothing
     * else is ever deleted.
     *
     * @return false when the entry was not there or not being sent
     */
    public boolean forget(String customerId, String ledgerKey) {
        try {
            dynamoDb.deleteItem(DeleteItemRequest.builder()
                .tableName(table)
                .key(key(customerId, ledgerKey))
                .conditionExpression("#status = :sending")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":sending", s(SENDING)))
                .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** How many notifications a cap window has counted (0 when none). */
    public int counted(String customerId, FrequencyCaps.Window window) {
        Map<String, AttributeValue> item = get(customerId, window.key());
        return item == null || !item.containsKey(KEYS) ? 0 : item.get(KEYS).ss().size();
    }

    /** The entry, or {@code null}. */
    public Map<String, AttributeValue> get(String customerId, String ledgerKey) {
        Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder().tableName(table)
            .key(key(customerId, ledgerKey)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /**
     * Deletes every item of a customer (ledger entries and cap counters), for erasure.
     *
     * @return how many items were deleted
     */
    public int deleteAll(String customerId) {
        int deleted = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamoDb.query(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("customerId = :id")
                .expressionAttributeValues(Map.of(":id", s(customerId)))
                .projectionExpression("customerId, notificationKey")
                .consistentRead(true)
                .exclusiveStartKey(start)
                .build());
            List<WriteRequest> deletes = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(item).build()).build());
            }
            deleted += BatchWrites.write(dynamoDb, table, deletes);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return deleted;
    }

    private Map<String, AttributeValue> existing(ConditionalCheckFailedException e, String customerId,
        String ledgerKey) {
        return e.hasItem() && !e.item().isEmpty() ? e.item() : get(customerId, ledgerKey);
    }

    private static String status(Map<String, AttributeValue> item) {
        return item == null || !item.containsKey("status") ? "" : item.get("status").s();
    }

    private static Map<String, AttributeValue> key(String customerId, String ledgerKey) {
        return Map.of("customerId", s(customerId), "notificationKey", s(ledgerKey));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
