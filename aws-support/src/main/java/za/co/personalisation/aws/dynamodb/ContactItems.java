package za.co.personalisation.aws.dynamodb;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The {@code contacts} table (KMS-encrypted): {@code customerId S | phone S | email S | locale S | timeZone S |
 * phoneHash S}. {@code phoneHash} is the keyed hash of the phone ({@link ContactHashes#phone}), the key of the table's
 * index {@value #PHONE_INDEX}: it maps an inbound SMS to its customer without the number being readable there.
 * Personal data: only the customer endpoint that writes it and deliver-function may touch it, and it never goes
 * into a log line, a metric, a trace or a stream record.
 */
public final class ContactItems {

    public static final String KEY = "customerId";
    public static final String PHONE_INDEX = "phoneHash-index";
    public static final String PHONE_HASH = "phoneHash";

    private ContactItems() {
    }

    /** The key of a customer's contact item. */
    public static Map<String, AttributeValue> key(String customerId) {
        return Map.of(KEY, AttributeValue.fromS(customerId));
    }

    /** A customer's contact details, read strongly consistent; {@code null} when there are none. */
    public static Contact get(DynamoDbClient dynamoDb, String table, String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(customerId))
            .consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : fromItem(item);
    }

    /** A customer's contact details; {@code phone} (E.164) or {@code email} may be {@code null}. */
    public record Contact(String customerId, String phone, String email, String locale, String timeZone) {

        public Contact {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(locale, "locale");
            Objects.requireNonNull(timeZone, "timeZone");
        }

        @Override
        public String toString() {
            return "Contact[customerId=" + customerId + ", phone=" + (phone == null ? "none" : "***")
                + ", email=" + (email == null ? "none" : "***") + ", locale=" + locale + "]";
        }
    }

    /** The item with the phone's keyed hash, so an inbound SMS from that phone finds the customer. */
    public static Map<String, AttributeValue> toItem(Contact contact, ContactHashes hashes) {
        Map<String, AttributeValue> item = toItem(contact);
        if (contact.phone() != null) {
            item.put(PHONE_HASH, AttributeValue.fromS(hashes.phone(contact.phone())));
        }
        return item;
    }

    /** The item without the phone's hash: an inbound SMS from its phone maps to nobody. */
    public static Map<String, AttributeValue> toItem(Contact contact) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(contact.customerId()));
        if (contact.phone() != null) {
            item.put("phone", AttributeValue.fromS(contact.phone()));
        }
        if (contact.email() != null) {
            item.put("email", AttributeValue.fromS(contact.email()));
        }
        item.put("locale", AttributeValue.fromS(contact.locale()));
        item.put("timeZone", AttributeValue.fromS(contact.timeZone()));
        return item;
    }

    public static Contact fromItem(Map<String, AttributeValue> item) {
        return new Contact(item.get(KEY).s(), text(item, "phone"), text(item, "email"),
            Objects.requireNonNullElse(text(item, "locale"), "en-ZA"),
            Objects.requireNonNullElse(text(item, "timeZone"), "Africa/Johannesburg"));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
