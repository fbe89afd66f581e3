package za.co.personalisation.enrich;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.profile.Profile;

/**
 * Profiles in DynamoDB with optimistic locking: every write is conditional on the version read, so two
 * invocations racing on one customer cannot lose each other's update; the loser re-reads and merges again.
 */
final class ProfileStore {

    /** The condition of every profile write: create only if absent, or replace only the version we read. */
    static final String CREATE_CONDITION = "attribute_not_exists(customerId)";
    static final String UPDATE_CONDITION = "version = :expected";

    private final DynamoDbClient dynamoDb;
    private final String table;

    ProfileStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** The stored profile, or an empty one (version 0) when the customer has none. */
    Profile load(String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder()
            .tableName(table)
            .key(Map.of(ProfileItems.KEY, AttributeValue.fromS(customerId)))
            .consistentRead(true)
            .build()).item();
        return item == null || item.isEmpty() ? Profile.empty(customerId) : ProfileItems.fromItem(item);
    }

    /**
     * Writes {@code merged} as version {@code merged.version() + 1}.
     *
     * @return false when someone else wrote the profile since it was read (nothing was written)
     */
    boolean save(Profile merged) {
        Profile next = merged.withVersion(merged.version() + 1);
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(ProfileItems.toItem(next));
        if (merged.isNew()) {
            put.conditionExpression(CREATE_CONDITION);
        } else {
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":expected", AttributeValue.fromN(Long.toString(merged.version())));
            put.conditionExpression(UPDATE_CONDITION).expressionAttributeValues(values);
        }
        try {
            dynamoDb.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
