package za.co.personalisation.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * The reads the items classes own, against the emulator: a profile or contact by customer id (null when there is
 * none), and a profile's consent alone.
 */
@ExtendWith(MotoExtension.class)
class ItemReadsIT {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    private static int tables;

    private DynamoDbClient dynamoDb;
    private String profiles;
    private String contacts;

    @BeforeEach
    void tables(MotoExtension.Emulator emulator) {
        dynamoDb = new AwsClients(Settings.of(emulator.environment())).dynamoDb();
        int n = ++tables;
        profiles = "profiles-reads-" + n;
        contacts = "contacts-reads-" + n;
        for (String table : new String[] {profiles, contacts}) {
            dynamoDb.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("customerId").attributeType("S"))
                .keySchema(k -> k.attributeName("customerId").keyType("HASH")));
        }
    }

    @Test
    void profileGet_returnsTheItemThatMapsBack_andNullForACustomerWithout() {
        dynamoDb.putItem(b -> b.tableName(profiles).item(ProfileItems.toItem(Profile.empty("c-1"))));

        Map<String, AttributeValue> item = ProfileItems.get(dynamoDb, profiles, "c-1");

        assertThat(ProfileItems.fromItem(item).customerId()).isEqualTo("c-1");
        assertThat(ProfileItems.get(dynamoDb, profiles, "c-unknown")).isNull();
    }

    @Test
    void consentOf_readsEachChannelsState_andLeavesOutAnEntryThatDoesNotFit() {
        Map<String, AttributeValue> item = new HashMap<>(ProfileItems.toItem(Profile.empty("c-2")));
        item.put("consent", AttributeValue.fromM(Map.of(
            "sms", AttributeValue.fromM(Map.of("state", AttributeValue.fromS("granted"),
                "at", AttributeValue.fromS(AT.toString()), "receivedAt", AttributeValue.fromS(AT.toString()))),
            "email", AttributeValue.fromM(Map.of("state", AttributeValue.fromS("revoked"),
                "at", AttributeValue.fromS(AT.toString()))),
            "fax", AttributeValue.fromM(Map.of("state", AttributeValue.fromS("granted"),
                "at", AttributeValue.fromS(AT.toString()))))));
        dynamoDb.putItem(b -> b.tableName(profiles).item(item));

        Map<Channel, Consent> consent = ProfileItems.consentOf(ProfileItems.get(dynamoDb, profiles, "c-2"));

        assertThat(consent).containsOnlyKeys(Channel.SMS, Channel.EMAIL);
        assertThat(consent.get(Channel.SMS).state()).isEqualTo(Consent.State.GRANTED);
        assertThat(consent.get(Channel.EMAIL).state()).isEqualTo(Consent.State.REVOKED);
    }

    @Test
    void contactGet_returnsTheContact_andNullForACustomerWithout() {
        ContactItems.Contact written = new ContactItems.Contact("c-3", "+27821234567", null, "af-ZA",
            "Africa/Johannesburg");
        dynamoDb.putItem(b -> b.tableName(contacts).item(ContactItems.toItem(written)));

        assertThat(ContactItems.get(dynamoDb, contacts, "c-3")).isEqualTo(written);
        assertThat(ContactItems.get(dynamoDb, contacts, "c-unknown")).isNull();
    }
}
