package za.co.personalisation.aws.dynamodb;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchWriteItem in calls of 25, retrying unprocessed items with exponential backoff. */
final class BatchWrites {

    static final int MAX_PER_CALL = 25;
    private static final int MAX_ATTEMPTS = 10;

    private BatchWrites() {
    }

    /** @return how many requests were written */
    static int write(DynamoDbClient dynamoDb, String table, List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += MAX_PER_CALL) {
            Map<String, List<WriteRequest>> pending = Map.of(table, requests.subList(from,
                Math.min(from + MAX_PER_CALL, requests.size())));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("DynamoDB kept items unprocessed in " + table + " after "
                        + MAX_ATTEMPTS + " attempts; try again later");
                }
                BatchWriteItemResponse response = dynamoDb.batchWriteItem(BatchWriteItemRequest.builder()
                    .requestItems(pending).build());
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    sleep(Math.min(5_000L, 50L << attempt));
                }
            }
        }
        return requests.size();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to DynamoDB", e);
        }
    }
}
