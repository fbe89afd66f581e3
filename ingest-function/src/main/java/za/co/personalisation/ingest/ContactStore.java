package za.co.personalisation.ingest;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.core.event.ContactDetails;

/**
 * Writes and deletes items of the contacts table (personal data). Ingest may put and delete, never read: the
 * function's role allows exactly dynamodb:PutItem and dynamodb:DeleteItem. Both are idempotent, so a retried
 * request changes nothing more.
 */
final class ContactStore {

    private final DynamoDbClient dynamoDb;
    private final String table;

    ContactStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Replaces the customer's contact item. */
    void put(ContactDetails contact) {
        dynamoDb.putItem(b -> b.tableName(table).item(ContactItems.toItem(new ContactItems.Contact(
            contact.customerId(), contact.phone(), contact.email(), contact.locale(), contact.timeZone()))));
    }

    /** Deletes the customer's contact item; deleting one that is not there succeeds. */
    void delete(String customerId) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of("customerId", AttributeValue.fromS(customerId))));
    }
}
