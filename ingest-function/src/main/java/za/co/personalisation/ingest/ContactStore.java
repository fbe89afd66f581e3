package za.co.personalisation.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.ErasureTombstones;
import za.co.personalisation.core.event.ContactDetails;
import za.co.personalisation.core.event.ErasureEvent;

/**
 * Writes and deletes items of the contacts table (personal data), and keeps erased customers erased.
 *
 * <p>Ingest may put and delete contacts, never read them: the function's role allows exactly PutItem and DeleteItem
 * on the contacts table, with {@code dynamodb:ReturnValues} {@code NONE}, so not even the old item comes back.
 *
 * <p>A contact with a phone carries the phone's keyed hash ({@link ContactHashes}), the key by which an inbound SMS
 * (a STOP reply) finds the customer.
 *
 * <p>Erasure is sticky from the moment the API answers it: {@link #erase} writes the customer's tombstone
 * ({@link ErasureTombstones}) and deletes the contact in one transaction, and {@link #put} writes a contact only in a
 * transaction that checks there is no live tombstone. So a contact cannot be re-created for an erased id, not even
 * by a request racing the erasure, until the tombstone expires ({@code ERASURE_TOMBSTONE_TTL}). Every call is
 * idempotent: a retried request changes nothing more.
 */
final class ContactStore {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String erasuresTable;
    private final ErasureTombstones tombstones;
    private final Duration tombstoneTtl;
    private final ContactHashes hashes;

    ContactStore(DynamoDbClient dynamoDb, String table, String erasuresTable, ErasureTombstones tombstones,
        Duration tombstoneTtl, ContactHashes hashes) {
        this.hashes = hashes;
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.erasuresTable = erasuresTable;
        this.tombstones = tombstones;
        this.tombstoneTtl = tombstoneTtl;
    }

    /** The customer was erased: nothing was written. */
    static final class CustomerErased extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient Instant until;

        CustomerErased(Instant until) {
            super("the customer was erased");
            this.until = until;
        }

        /** When the tombstone expires, or {@code null} when not known. */
        Instant until() {
            return until;
        }
    }

    /**
     * Replaces the customer's contact item, unless the customer was erased.
     *
     * @throws CustomerErased when a live tombstone exists (under the keyed or the first layout's key)
     */
    void put(ContactDetails contact, Instant now) {
        List<Map<String, AttributeValue>> keys = tombstones.keys(contact.customerId());
        TransactWriteItem notErased = notErased(keys.get(0), now);
        TransactWriteItem notErasedBefore = notErased(keys.get(1), now);
        TransactWriteItem put = TransactWriteItem.builder().put(p -> p.tableName(table)
            .item(ContactItems.toItem(new ContactItems.Contact(contact.customerId(), contact.phone(),
                contact.email(), contact.locale(), contact.timeZone()), hashes))).build();
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(notErased, notErasedBefore, put));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            for (int i = 0; i < Math.min(2, reasons.size()); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    throw new CustomerErased(ErasureTombstones.expiresAt(reasons.get(i).item()));
                }
            }
            throw e;
        }
    }

    /**
     * Whether the customer has a live tombstone (strongly consistent reads of both keys).
     *
     * @throws CustomerErased when it has
     */
    void requireNotErased(String customerId, Instant now) {
        for (Map<String, AttributeValue> key : tombstones.keys(customerId)) {
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(erasuresTable).key(key)
                .consistentRead(true)).item();
            if (ErasureTombstones.isLive(item, now)) {
                throw new CustomerErased(ErasureTombstones.expiresAt(item));
            }
        }
    }

    /**
     * Writes the customer's tombstone and deletes their contact item, in one transaction. Erasing again renews the
     * tombstone; deleting a contact that is not there succeeds.
     */
    void erase(ErasureEvent erasure, Instant now) {
        TransactWriteItem tombstone = TransactWriteItem.builder().put(p -> p.tableName(erasuresTable)
            .item(tombstones.item(erasure.customerId(), erasure.occurredAt(), erasure.eventId(), now, tombstoneTtl)))
            .build();
        TransactWriteItem delete = TransactWriteItem.builder().delete(d -> d.tableName(table)
            .key(Map.of("customerId", AttributeValue.fromS(erasure.customerId())))).build();
        dynamoDb.transactWriteItems(b -> b.transactItems(tombstone, delete));
    }

    private TransactWriteItem notErased(Map<String, AttributeValue> key, Instant now) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(erasuresTable).key(key)
            .conditionExpression(ErasureTombstones.NOT_ERASED)
            .expressionAttributeValues(Map.of(":now", ErasureTombstones.epochSeconds(now)))
            // the tombstone holds no personal data: its expiry tells the caller when the id may be used again
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }
}
