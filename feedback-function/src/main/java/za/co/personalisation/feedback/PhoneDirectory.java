package za.co.personalisation.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.ContactItems;

/**
 * Which customers a phone number belongs to, through the contacts table's index of keyed phone hashes
 * ({@link ContactItems#PHONE_INDEX}, keys only). This function never reads a contact: the index answers customer ids
 * and hashes, nothing else, and its role may only Query that index.
 */
final class PhoneDirectory {

    private final DynamoDbClient dynamoDb;
    private final String contactsTable;
    private final ContactHashes hashes;

    PhoneDirectory(DynamoDbClient dynamoDb, String contactsTable, ContactHashes hashes) {
        this.dynamoDb = dynamoDb;
        this.contactsTable = contactsTable;
        this.hashes = hashes;
    }

    /** The customers whose contact has this phone number (several share a family phone), in no order; may be empty. */
    List<String> customers(String phone) {
        List<String> customers = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamoDb.query(b -> b.tableName(contactsTable).indexName(ContactItems.PHONE_INDEX)
                .keyConditionExpression("#hash = :hash")
                .expressionAttributeNames(Map.of("#hash", ContactItems.PHONE_HASH))
                .expressionAttributeValues(Map.of(":hash", AttributeValue.fromS(hashes.phone(phone))))
                .exclusiveStartKey(from));
            page.items().forEach(item -> customers.add(item.get("customerId").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return customers;
    }
}
