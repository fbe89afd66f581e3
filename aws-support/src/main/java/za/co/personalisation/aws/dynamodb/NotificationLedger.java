package za.co.personalisation.aws.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.outcome.DeliveryStates;

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
 * {@code sending} (claimed by deliver, with a lease held by one receive of one message: {@code leaseUntil},
 * {@code leaseOwner}) → {@code sent} | {@code failed} | {@code suppressed} | {@code unknown}; or {@code sending} →
 * {@code deferred} (quiet hours, or a full frequency cap) → {@code sending} again at the allowed time; or
 * {@code sending} → {@code dead_lettered} (deliver gave up; the message waits in the dead-letter queue) →
 * {@code sending} again when it is redriven.
 *
 * <p>Before the provider is called, the entry is marked {@code dispatchedAt} in the same transaction that counts it
 * in its caps. From then on it is never claimed again by anyone: when its attempt ends without recording an outcome
 * (a crash, a timeout, a lost response), the entry becomes {@code unknown}, for a person to settle, rather than
 * being sent a second time. Only an attempt that knows the provider did not take the message (an error response)
 * releases it, clearing the mark.
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
    /** Deliver gave up after its retries; the message is in the dead-letter queue and may be redriven. */
    public static final String DEAD_LETTERED = "dead_lettered";
    /** The provider may or may not have taken the message: never sent again automatically. */
    public static final String UNKNOWN = "unknown";
    /** In the offer's control group: never published, never sent (core's DeliveryStates.HELD_OUT). */
    public static final String HELD_OUT = DeliveryStates.HELD_OUT;

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
        /** The entry is {@code unknown}: a send was started and its outcome never learnt. Not sent again. */
        UNKNOWN,
        /**
         * The attempt that held the entry reached the provider and its lease ran out without an outcome: the entry
         * has just been made {@code unknown} by this claim. Not sent again.
         */
        ABANDONED,
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

    /** The customers' latest consent statements, kept in this table ({@link ConsentStatements}). */
    public ConsentStatements consentStatements() {
        return new ConsentStatements(dynamoDb, table);
    }

    /** Claims the notification's ledger entry with a put conditional on its absence. */
    public Claim claim(Notification notification) {
        return claim(notification, PENDING);
    }

    /**
     * Records that the customer is in the offer's control group: the entry is created {@code held_out} and nothing
     * is published (docs/offers.md, "Holdouts"). Conditional on absence like a claim, so it happens once; no
     * delivery claim ever takes a held-out entry.
     *
     * @return {@link Claim#CLAIMED} when recorded now, {@link Claim#DUPLICATE} when the entry exists
     */
    public Claim holdOut(Notification notification) {
        return claim(notification, HELD_OUT) == Claim.CLAIMED ? Claim.CLAIMED : Claim.DUPLICATE;
    }

    private Claim claim(Notification notification, String status) {
        Map<String, AttributeValue> item = new HashMap<>(key(notification.customerId(), notification.ledgerKey()));
        item.put("status", s(status));
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

    /** {@link #claimDelivery(String, String, String, Instant, Duration)} with an owner no retry can repeat. */
    public DeliveryClaim claimDelivery(String customerId, String ledgerKey, Instant now, Duration lease) {
        return claimDelivery(customerId, ledgerKey, UUID.randomUUID().toString(), now, lease);
    }

    /**
     * Claims an entry for sending: from pending, queued, deferred or dead_lettered; from sending when the lease is
     * already {@code owner}'s (the SDK retried this very claim after its response was lost); or from sending when
     * the lease of the attempt that held it has run out before that attempt reached the provider (it crashed or
     * timed out early). An expired claim that had reached the provider ({@code dispatchedAt}) is not taken over:
     * the entry becomes {@code unknown} and the answer is {@link DeliveryClaim#ABANDONED}.
     *
     * @param owner identifies this attempt: one receive of one message (its receipt handle)
     */
    public DeliveryClaim claimDelivery(String customerId, String ledgerKey, String owner, Instant now,
        Duration lease) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pending", s(PENDING));
        values.put(":queued", s(QUEUED));
        values.put(":deferred", s(DEFERRED));
        values.put(":deadLettered", s(DEAD_LETTERED));
        values.put(":sending", s(SENDING));
        values.put(":owner", s(owner));
        values.put(":now", s(now.toString()));
        values.put(":nowMillis", n(now.toEpochMilli()));
        values.put(":lease", n(now.plus(lease).toEpochMilli()));
        values.put(":zero", n(0));
        values.put(":one", n(1));
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(customerId, ledgerKey))
                .updateExpression("SET #status = :sending, leaseUntil = :lease, leaseOwner = :owner,"
                    + " updatedAt = :now, attempts = if_not_exists(attempts, :zero) + :one")
                .conditionExpression("#status IN (:pending, :queued, :deferred, :deadLettered)"
                    + " OR (#status = :sending AND attribute_not_exists(dispatchedAt)"
                    + " AND (leaseOwner = :owner OR leaseUntil < :nowMillis))")
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
            String status = status(existing);
            if (UNKNOWN.equals(status)) {
                return DeliveryClaim.UNKNOWN;
            }
            if (!SENDING.equals(status)) {
                return DeliveryClaim.FINISHED;
            }
            boolean expired = existing.containsKey("leaseUntil")
                && Long.parseLong(existing.get("leaseUntil").n()) < now.toEpochMilli();
            if (existing.containsKey("dispatchedAt") && expired) {
                return abandon(customerId, ledgerKey, now) ? DeliveryClaim.ABANDONED
                    : claimDelivery(customerId, ledgerKey, owner, now, lease);
            }
            return DeliveryClaim.IN_PROGRESS;
        }
    }

    /**
     * An attempt reached the provider and ended without recording an outcome: {@code sending} → {@code unknown}.
     *
     * @return false when the entry was no longer an expired, dispatched {@code sending} (someone else settled it)
     */
    private boolean abandon(String customerId, String ledgerKey, Instant now) {
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(customerId, ledgerKey))
                .updateExpression("SET #status = :unknown, updatedAt = :now, reason = :reason")
                .conditionExpression("#status = :sending AND attribute_exists(dispatchedAt)"
                    + " AND leaseUntil < :nowMillis")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":unknown", s(UNKNOWN), ":sending", s(SENDING),
                    ":now", s(now.toString()), ":nowMillis", n(now.toEpochMilli()),
                    ":reason", s("lease_expired_after_dispatch")))
                .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Starts a send: counts the notification in its frequency-cap windows and marks the entry
     * {@code dispatchedAt}, all or nothing (one transaction), only while {@code owner} holds the lease. Idempotent
     * for the same owner, so an SDK retry of a transaction whose response was lost passes again.
     *
     * @return {@code null} when the send may go ahead, or the first window that is full (nothing was written)
     * @throws LeaseLostException when the entry is no longer {@code sending} under {@code owner}'s lease
     * @throws EntryGone          when the entry is not there any more (the customer was erased meanwhile)
     */
    public FrequencyCaps.Window beginSend(String customerId, String ledgerKey, Channel channel, String owner,
        List<FrequencyCaps.Window> windows, Instant now) {
        List<TransactWriteItem> updates = new ArrayList<>(2);
        updates.add(TransactWriteItem.builder().update(Update.builder()
            .tableName(table)
            .key(key(customerId, ledgerKey))
            .updateExpression("SET dispatchedAt = :now")
            .conditionExpression("#status = :sending AND leaseOwner = :owner")
            .expressionAttributeNames(Map.of("#status", "status"))
            .expressionAttributeValues(Map.of(":now", s(now.toString()), ":sending", s(SENDING),
                ":owner", s(owner)))
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build()).build());
        // The latest consent statement, in the same transaction: a revocation acknowledged after deliver's read of
        // it, and before this mark, still stops the send.
        updates.add(TransactWriteItem.builder().conditionCheck(check -> check
            .tableName(table)
            .key(key(customerId, ConsentStatements.key(channel)))
            .conditionExpression("attribute_not_exists(#state) OR #state <> :revoked")
            .expressionAttributeNames(Map.of("#state", "state"))
            .expressionAttributeValues(Map.of(":revoked", s(Consent.State.REVOKED.wireName())))).build());
        return count(customerId, ledgerKey, updates, windows);
    }

    /** The customer's latest consent statement for the channel revoked it after deliver's checks: nothing was sent. */
    public static final class ConsentRevoked extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConsentRevoked(String ledgerKey) {
            super("consent for " + ledgerKey + " was revoked before the send began");
        }
    }

    /** This attempt's lease on an entry is gone: another attempt took it over. */
    public static final class LeaseLostException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        LeaseLostException(String ledgerKey) {
            super("the lease on " + ledgerKey + " is no longer this attempt's");
        }
    }

    /**
     * Ends {@code owner}'s claim on an entry that was certainly not sent (an error response, a failure before the
     * provider was called): takes it out of its cap windows, moves it to {@code to} with these details and clears
     * the lease and the dispatch mark, so that it can be claimed again.
     *
     * @return false when the entry was not {@code sending} under {@code owner}'s lease (nothing changed)
     */
    public boolean releaseClaim(String customerId, String ledgerKey, String owner, List<FrequencyCaps.Window> windows,
        String to, Instant now, Map<String, String> details) {
        release(customerId, ledgerKey, windows);
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        String set = setStatus(to, now, details, names, values);
        values.put(":sending", s(SENDING));
        values.put(":owner", s(owner));
        return update(customerId, ledgerKey, set + " REMOVE dispatchedAt, leaseUntil, leaseOwner",
            "#status = :sending AND leaseOwner = :owner", names, values);
    }

    /** Moves an entry from one of {@code from} to {@code to}; false when it was in none of them. */
    public boolean transition(String customerId, String ledgerKey, List<String> from, String to, Instant now,
        Map<String, String> details) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        String set = setStatus(to, now, details, names, values);
        StringBuilder condition = new StringBuilder("#status IN (");
        for (int i = 0; i < from.size(); i++) {
            condition.append(i == 0 ? "" : ", ").append(":from").append(i);
            values.put(":from" + i, s(from.get(i)));
        }
        condition.append(')');
        return update(customerId, ledgerKey, set, condition.toString(), names, values);
    }

    /** A conditional update of one item: false when the condition did not hold (nothing changed). */
    private boolean update(String customerId, String ledgerKey, String expression, String condition,
        Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(customerId, ledgerKey))
                .updateExpression(expression)
                .conditionExpression(condition)
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
        return count(customerId, ledgerKey, List.of(TransactWriteItem.builder().conditionCheck(check -> check
            .tableName(table)
            .key(key(customerId, ledgerKey))
            .conditionExpression("#status = :sending")
            .expressionAttributeNames(Map.of("#status", "status"))
            .expressionAttributeValues(Map.of(":sending", s(SENDING)))).build()), windows);
    }

    /**
     * Runs {@code first} (the ledger entry's own condition or update) and the counting in each window as one
     * transaction.
     *
     * @throws EntryGone          when {@code first} failed on an entry that is not there (the customer was erased)
     *                            or, without the entry's old image, is no longer being sent
     * @throws LeaseLostException when {@code first} failed on an entry that is there (its old image returned): it is
     *                            no longer this attempt's
     */
    private FrequencyCaps.Window count(String customerId, String ledgerKey, List<TransactWriteItem> first,
        List<FrequencyCaps.Window> windows) {
        int offset = first.size();
        List<TransactWriteItem> updates = new ArrayList<>(first);
        for (FrequencyCaps.Window window : windows) {
            updates.add(capUpdate(customerId, ledgerKey, window));
        }
        try {
            dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(updates).build());
            return null;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            for (int i = 0; i < reasons.size() && i < updates.size(); i++) {
                CancellationReason reason = reasons.get(i);
                if ("ConditionalCheckFailed".equals(reason.code())) {
                    if (i >= offset) {
                        return windows.get(i - offset);
                    }
                    if (updates.get(i).conditionCheck() != null && updates.get(i).conditionCheck().key()
                        .get("notificationKey").s().startsWith(ConsentStatements.KEY_PREFIX)) {
                        throw new ConsentRevoked(ledgerKey);
                    }
                    if (reason.hasItem() && !reason.item().isEmpty()) {
                        throw new LeaseLostException(ledgerKey);
                    }
                    throw new EntryGone(customerId, ledgerKey);
                }
            }
            throw e;
        }
    }

    /** The SET clause of a status change with its details; fills in the names and values it uses. */
    private static String setStatus(String to, Instant now, Map<String, String> details, Map<String, String> names,
        Map<String, AttributeValue> values) {
        names.put("#status", "status");
        StringBuilder set = new StringBuilder("SET #status = :to, updatedAt = :now");
        values.put(":to", s(to));
        values.put(":now", s(now.toString()));
        int n = 0;
        for (Map.Entry<String, String> detail : details.entrySet()) {
            names.put("#d" + n, detail.getKey());
            values.put(":d" + n, s(detail.getValue()));
            set.append(", #d").append(n).append(" = :d").append(n);
            n++;
        }
        return set.toString();
    }

    private TransactWriteItem capUpdate(String customerId, String ledgerKey, FrequencyCaps.Window window) {
        return TransactWriteItem.builder().update(Update.builder()
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
            .build()).build();
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
