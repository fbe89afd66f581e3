package za.co.personalisation.enrich;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import za.co.personalisation.aws.dynamodb.ErasureTombstones;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.profile.AppliedEvents;
import za.co.personalisation.core.profile.Profile;

/**
 * Profiles in DynamoDB, and the erasure tombstones that keep erased customers erased.
 *
 * <p>Optimistic locking: an update is a put conditional on the version read, so two invocations racing on one customer
 * cannot lose each other's update; the loser re-reads and merges again. A new profile is created with a put
 * conditional on there being none, between two strongly consistent reads of the customer's tombstone: one before it,
 * and one after it ({@link #erasedAfterCreation}), after which the caller withdraws the profile when the customer
 * turns out to be erased. An erasure writes the tombstone and deletes the profile in one transaction, so an erasure
 * that lands between the first read and the write is seen by the second read, and one after the second read deletes
 * the profile. Together: no profile outlives an erasure, and no transaction is on the path of a new customer (a
 * transaction costs twice a plain write). Besides, the erasure event follows on the stream every earlier event of the
 * customer and deletes whatever profile they created (docs/privacy.md, section 7).
 *
 * <p>Tombstones ({@code erasures} table, layout owned by {@link ErasureTombstones}) are keyed by an HMAC of the
 * customer id under the stack's secret, so the table that outlives the erasure neither holds the id nor lets a
 * reader test guessed ids; they expire by TTL ({@code expiresAt}), and a tombstone whose {@code expiresAt} has
 * passed counts as gone even before DynamoDB's TTL sweep removes it. Tombstones of the first layout (plain SHA-256
 * keys) are still honoured: every check looks under both keys.
 */
final class ProfileStore {

    /** The condition of every profile update: replace only the version we read. */
    static final String UPDATE_CONDITION = "#version = :expected";
    /** The condition of a profile's creation: no profile yet. */
    static final String CREATE_CONDITION = "attribute_not_exists(customerId)";
    /** No live tombstone: none at all, or one whose TTL has passed. */
    static final String NOT_ERASED = ErasureTombstones.NOT_ERASED;

    static final String TOMBSTONE_KEY = ErasureTombstones.KEY;
    private static final int BATCH_GET_LIMIT = 100;

    /** A tombstone that had to be read could not be (DynamoDB left its key unprocessed after every retry). */
    static final class TombstoneUnread extends RuntimeException {

        private static final long serialVersionUID = 1L;

        TombstoneUnread() {
            super("the erasure tombstone could not be read (BatchGetItem left it unprocessed)");
        }
    }

    /** What became of a write. */
    enum SaveOutcome {
        SAVED,
        /** Someone else wrote the profile since we read it: nothing was written. */
        CONFLICT,
        /** The customer has a live tombstone: nothing was written, and nothing may be. */
        ERASED
    }

    private final DynamoDbClient dynamoDb;
    private final String profilesTable;
    private final String erasuresTable;
    private final Duration tombstoneTtl;
    private final DynamoDbRetry retry;
    private final ErasureTombstones tombstones;

    ProfileStore(DynamoDbClient dynamoDb, String profilesTable, String erasuresTable, Duration tombstoneTtl,
        DynamoDbRetry retry, ErasureTombstones tombstones) {
        this.dynamoDb = dynamoDb;
        this.tombstones = tombstones;
        this.profilesTable = profilesTable;
        this.erasuresTable = erasuresTable;
        this.tombstoneTtl = tombstoneTtl;
        this.retry = retry;
    }

    Duration tombstoneTtl() {
        return tombstoneTtl;
    }

    /**
     * Reads the profiles of many customers with strongly consistent BatchGetItem calls (100 keys a call).
     *
     * @return by customer id, an empty profile (version 0) for a customer who has none; customers whose read
     *     could not be completed, or whose item does not fit the layout, are missing from the map (the caller
     *     reads them one by one)
     */
    Map<String, Profile> loadAll(Collection<String> customerIds, Tally tally, long deadlineNanos) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(customerIds.size());
        customerIds.forEach(id -> keys.add(key(id)));
        Map<String, Profile> profiles = new HashMap<>();
        Set<String> unreadable = new HashSet<>();
        for (Map<String, AttributeValue> item : batchGet(profilesTable, keys, tally, deadlineNanos)) {
            try {
                Profile profile = ProfileItems.fromItem(item);
                profiles.put(profile.customerId(), profile);
            } catch (IllegalArgumentException e) {
                // left out: the customer's own read fails with this message, and only that customer fails
                unreadable.add(item.get(ProfileItems.KEY).s());
            }
        }
        for (Map<String, AttributeValue> key : keys) {
            String id = key.get(ProfileItems.KEY).s();
            if (!unreadable.contains(id)) {
                profiles.putIfAbsent(id, Profile.empty(id));
            }
        }
        return profiles;
    }

    /**
     * Which of these customers have a live tombstone, read in BatchGetItem calls. A customer whose tombstone could
     * not be read is left out: a creation checks the tombstone again after its write ({@link #erasedAfterCreation}), so
     * this read only spares erased customers a write that would be withdrawn.
     */
    Set<String> liveTombstones(Collection<String> customerIds, Instant now, Tally tally, long deadlineNanos) {
        return liveTombstones(customerIds, now, tally, deadlineNanos, false);
    }

    /** @param strict a tombstone that could not be read fails the call ({@link TombstoneUnread}) */
    private Set<String> liveTombstones(Collection<String> customerIds, Instant now, Tally tally, long deadlineNanos,
        boolean strict) {
        Map<String, String> idByHash = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>(customerIds.size());
        for (String id : customerIds) {
            for (Map<String, AttributeValue> key : tombstones.keys(id)) {
                idByHash.put(key.get(TOMBSTONE_KEY).s(), id);
                keys.add(key);
            }
        }
        Set<String> erased = new HashSet<>();
        int asked = keys.size();
        List<Map<String, AttributeValue>> items = batchGet(erasuresTable, keys, tally, deadlineNanos);
        if (strict && keys.size() < asked) {
            throw new TombstoneUnread();
        }
        for (Map<String, AttributeValue> item : items) {
            if (ErasureTombstones.isLive(item, now)) {
                erased.add(idByHash.get(item.get(TOMBSTONE_KEY).s()));
            }
        }
        return erased;
    }

    /**
     * Strongly consistent BatchGetItem of {@code keys} (100 a call), unprocessed keys retried with backoff.
     * {@code keys} is left holding the keys that were read (found or not); those still unprocessed when the
     * retries run out are removed from it.
     */
    private List<Map<String, AttributeValue>> batchGet(String table, List<Map<String, AttributeValue>> keys,
        Tally tally, long deadlineNanos) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> unread = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                .keys(keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT))).consistentRead(true).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = retry.call(DynamoDbRetry.Kind.READ, tally, deadlineNanos,
                    () -> dynamoDb.batchGetItem(b -> b.requestItems(pending)));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty() && !retry.backoff(attempt, DynamoDbRetry.Kind.READ, tally, deadlineNanos)) {
                    unread.addAll(request.get(table).keys());
                    break;
                }
            }
        }
        keys.removeAll(unread);
        return items;
    }

    /** The stored profile, or an empty one (version 0) when the customer has none. */
    Profile load(String customerId, Tally tally, long deadlineNanos) {
        Map<String, AttributeValue> item = retry.call(DynamoDbRetry.Kind.READ, tally, deadlineNanos,
            () -> dynamoDb.getItem(b -> b.tableName(profilesTable).key(key(customerId)).consistentRead(true)))
            .item();
        return item == null || item.isEmpty() ? Profile.empty(customerId) : ProfileItems.fromItem(item);
    }

    /**
     * The stored profile's consent and version only (a projection): what the consent path needs, readable even
     * when the rest of the item is not. Never write the result back whole: it lacks the interests.
     */
    Profile loadConsent(String customerId, Tally tally, long deadlineNanos) {
        Map<String, AttributeValue> item = retry.call(DynamoDbRetry.Kind.READ, tally, deadlineNanos,
            () -> dynamoDb.getItem(b -> b.tableName(profilesTable).key(key(customerId)).consistentRead(true)
                .projectionExpression("customerId, #version, consent, updatedAt")
                .expressionAttributeNames(Map.of("#version", ProfileItems.VERSION)))).item();
        return item == null || item.isEmpty() ? Profile.empty(customerId) : ProfileItems.fromItem(item);
    }

    /**
     * The stored profile's version only, with no consent: for a customer whose stored consent does not fit the
     * layout, so that new decisions can replace it (every channel not decided again becomes unknown: no consent).
     */
    Profile loadVersionOnly(String customerId, Tally tally, long deadlineNanos) {
        Map<String, AttributeValue> item = retry.call(DynamoDbRetry.Kind.READ, tally, deadlineNanos,
            () -> dynamoDb.getItem(b -> b.tableName(profilesTable).key(key(customerId)).consistentRead(true)
                .projectionExpression("customerId, #version")
                .expressionAttributeNames(Map.of("#version", ProfileItems.VERSION)))).item();
        return item == null || item.isEmpty() ? Profile.empty(customerId) : ProfileItems.fromItem(item);
    }

    /**
     * Writes the consent of {@code merged}, and nothing else of it, as version {@code merged.version() + 1}: an
     * update of the consent attribute conditional on the version read, so that it succeeds whatever the rest of
     * the item holds (docs/privacy.md, "Consent is applied on its own"). A customer without a profile gets one
     * holding only the consent, created as {@link #save} creates one (no live tombstone).
     */
    SaveOutcome saveConsent(Profile merged, Instant now, Tally tally, long deadlineNanos) {
        if (merged.isNew()) {
            return save(new Profile(merged.customerId(), 0, Map.of(), null, Instant.EPOCH, "", merged.consent(),
                AppliedEvents.NONE, now), now, tally, deadlineNanos);
        }
        tally.writes++;
        AttributeValue consent = ProfileItems.toItem(merged).get("consent");
        try {
            retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos, () -> dynamoDb.updateItem(b -> b
                .tableName(profilesTable)
                .key(key(merged.customerId()))
                .updateExpression("SET #consent = :consent, #version = :next, #updatedAt = :now")
                .conditionExpression(UPDATE_CONDITION)
                .expressionAttributeNames(Map.of("#version", ProfileItems.VERSION, "#consent", "consent",
                    "#updatedAt", "updatedAt"))
                .expressionAttributeValues(Map.of(
                    ":consent", consent,
                    ":next", AttributeValue.fromN(Long.toString(merged.version() + 1)),
                    ":now", AttributeValue.fromS(now.toString()),
                    ":expected", AttributeValue.fromN(Long.toString(merged.version()))))));
            return SaveOutcome.SAVED;
        } catch (ConditionalCheckFailedException e) {
            return SaveOutcome.CONFLICT;
        }
    }

    /** Writes {@code merged} as version {@code merged.version() + 1}: one write request (plus retries). */
    SaveOutcome save(Profile merged, Instant now, Tally tally, long deadlineNanos) {
        tally.writes++;
        Profile next = merged.withVersion(merged.version() + 1);
        Map<String, AttributeValue> item = ProfileItems.toItem(next);
        if (!merged.isNew()) {
            try {
                retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos, () -> dynamoDb.putItem(b -> b
                    .tableName(profilesTable)
                    .item(item)
                    .conditionExpression(UPDATE_CONDITION)
                    .expressionAttributeNames(Map.of("#version", ProfileItems.VERSION))
                    .expressionAttributeValues(Map.of(":expected",
                        AttributeValue.fromN(Long.toString(merged.version()))))));
                return SaveOutcome.SAVED;
            } catch (ConditionalCheckFailedException e) {
                return SaveOutcome.CONFLICT;
            }
        }
        try {
            retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos, () -> dynamoDb.putItem(b -> b
                .tableName(profilesTable)
                .item(item)
                .conditionExpression(CREATE_CONDITION)));
        } catch (ConditionalCheckFailedException e) {
            return SaveOutcome.CONFLICT;
        }
        return SaveOutcome.SAVED;
    }

    /**
     * The check after profiles were created: which of these customers have a live tombstone now, read strongly
     * consistently after the writes. The caller read the tombstones before the writes as well; this second read
     * closes the gap between that read and the write without a transaction (which DynamoDB bills at twice a plain
     * write, and the emulator pays for with a copy of every table it touches). An erasure writes its tombstone and
     * deletes the profile in one step: if it came before this read, the read sees the tombstone and the caller
     * withdraws the profile ({@link #delete}); if after, its own delete removes the profile.
     *
     * @throws TombstoneUnread when a tombstone could not be read: the caller cannot tell, and withdraws
     */
    Set<String> erasedAfterCreation(Collection<String> customerIds, Instant now, Tally tally, long deadlineNanos) {
        return liveTombstones(customerIds, now, tally, deadlineNanos, true);
    }

    /** Deletes a profile whatever its version: the customer is erased. */
    void delete(String customerId, Tally tally, long deadlineNanos) {
        tally.writes++;
        retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos,
            () -> dynamoDb.deleteItem(b -> b.tableName(profilesTable).key(key(customerId))));
    }

    /**
     * Deletes a profile this invocation created and could not check, unless something else wrote it since (those
     * events are applied, and are not ours to drop).
     *
     * @return whether it was deleted
     */
    boolean withdraw(String customerId, long version, Tally tally, long deadlineNanos) {
        tally.writes++;
        try {
            retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos, () -> dynamoDb.deleteItem(b -> b
                .tableName(profilesTable)
                .key(key(customerId))
                .conditionExpression(UPDATE_CONDITION)
                .expressionAttributeNames(Map.of("#version", ProfileItems.VERSION))
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(version))))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Writes the customer's tombstone and deletes their profile, in one transaction.
     *
     * @param profileExists whether a profile was read: when the customer turns out to be erased already, the
     *                      profile is deleted on its own should one exist anyway
     * @param knownErased   a live tombstone was read: no transaction is tried (a replayed erasure)
     * @return true when this call erased the customer, false when a live tombstone was there already
     */
    boolean erase(String customerId, ErasureEvent event, boolean profileExists, boolean knownErased, Instant now,
        Tally tally, long deadlineNanos) {
        if (!knownErased && eraseInTransaction(customerId, event, now, tally, deadlineNanos)) {
            return true;
        }
        if (profileExists) {
            tally.writes++;
            retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos,
                () -> dynamoDb.deleteItem(b -> b.tableName(profilesTable).key(key(customerId))));
        }
        return false;
    }

    /** @return false when the transaction was cancelled because a live tombstone exists */
    private boolean eraseInTransaction(String customerId, ErasureEvent event, Instant now, Tally tally,
        long deadlineNanos) {
        tally.writes++;
        Map<String, AttributeValue> tombstone = tombstones.item(customerId, event.occurredAt(), event.eventId(), now,
            tombstoneTtl);
        TransactWriteItem put = TransactWriteItem.builder().put(p -> p
            .tableName(erasuresTable)
            .item(tombstone)
            .conditionExpression(NOT_ERASED)
            .expressionAttributeValues(Map.of(":now", epochSeconds(now)))).build();
        TransactWriteItem delete = TransactWriteItem.builder().delete(d -> d
            .tableName(profilesTable)
            .key(key(customerId))).build();
        try {
            retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos,
                () -> dynamoDb.transactWriteItems(b -> b.transactItems(put, delete)));
            return true;
        } catch (TransactionCanceledException e) {
            if (!failedCondition(e, 0)) {
                throw e;
            }
            return false;
        }
    }

    /** The erasures table's key for a customer: the keyed hash of the id. */
    Map<String, AttributeValue> tombstoneKey(String customerId) {
        return tombstones.key(customerId);
    }

    private static boolean failedCondition(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static Map<String, AttributeValue> key(String customerId) {
        return Map.of(ProfileItems.KEY, AttributeValue.fromS(customerId));
    }

    private static AttributeValue epochSeconds(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.getEpochSecond()));
    }
}
