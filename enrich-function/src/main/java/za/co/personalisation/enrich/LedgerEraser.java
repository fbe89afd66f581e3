package za.co.personalisation.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Deletes an erased customer's entries from the notifications ledger ({@code customerId} hash key,
 * {@code notificationKey} range key; see aws-support's NotificationLedger): a strongly consistent Query for their
 * keys, then BatchWriteItem deletes, 25 a call, with unprocessed items retried. Idempotent: running it again finds
 * nothing left to delete.
 *
 * <p>A delivery in flight may count the notification in its cap windows between our Query and the delete of its
 * entry (deliver's reservation is conditional on that entry, so it cannot after). So the customer's partition is
 * queried again after each pass that deleted something, until a pass finds it empty (at most {@value #PASSES}).
 */
final class LedgerEraser {

    static final String HASH_KEY = "customerId";
    static final String RANGE_KEY = "notificationKey";
    private static final int BATCH_WRITE_LIMIT = 25;
    static final int PASSES = 3;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final DynamoDbRetry retry;

    LedgerEraser(DynamoDbClient dynamoDb, String table, DynamoDbRetry retry) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.retry = retry;
    }

    /**
     * @return how many entries were deleted
     * @throws software.amazon.awssdk.core.exception.SdkException when a call fails for good or deletes stay
     *     unprocessed after the retries: the erasure is then retried as a whole, which is safe
     */
    int erase(String customerId, Tally tally, long deadlineNanos) {
        int deleted = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            int thisPass = erasePass(customerId, tally, deadlineNanos);
            deleted += thisPass;
            if (thisPass == 0) {
                break;
            }
        }
        tally.ledgerEntriesDeleted += deleted;
        return deleted;
    }

    private int erasePass(String customerId, Tally tally, long deadlineNanos) {
        int deleted = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = retry.call(DynamoDbRetry.Kind.READ, tally, deadlineNanos, () -> dynamoDb.query(q -> q
                .tableName(table)
                .keyConditionExpression("#c = :c")
                .expressionAttributeNames(Map.of("#c", HASH_KEY, "#n", RANGE_KEY))
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(customerId)))
                .projectionExpression("#c, #n")
                .consistentRead(true)
                .exclusiveStartKey(from)));
            List<WriteRequest> deletes = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(Map.of(
                    HASH_KEY, item.get(HASH_KEY), RANGE_KEY, item.get(RANGE_KEY)))).build());
            }
            for (int i = 0; i < deletes.size(); i += BATCH_WRITE_LIMIT) {
                delete(deletes.subList(i, Math.min(deletes.size(), i + BATCH_WRITE_LIMIT)), tally, deadlineNanos);
            }
            deleted += deletes.size();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return deleted;
    }

    private void delete(List<WriteRequest> requests, Tally tally, long deadlineNanos) {
        List<WriteRequest> pending = requests;
        for (int attempt = 1; ; attempt++) {
            List<WriteRequest> batch = pending;
            tally.writes++;
            BatchWriteItemResponse response = retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos,
                () -> dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(table, batch))));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of())
                : List.of();
            if (pending.isEmpty()) {
                return;
            }
            if (!retry.backoff(attempt, DynamoDbRetry.Kind.WRITE, tally, deadlineNanos)) {
                throw new LedgerNotErased(pending.size());
            }
        }
    }

    /** Deletes stayed unprocessed (throttling) through every retry. */
    static final class LedgerNotErased extends RuntimeException {

        private static final long serialVersionUID = 1L;

        LedgerNotErased(int pending) {
            super(pending + " ledger deletes stayed unprocessed after the retries");
        }
    }
}
