package za.co.personalisation.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.notify.DeliveryOutcome;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.local.emulator.MotoExtension;

/** Delivery outcomes and email suppressions on the notification ledger, through the real SDK against the emulator. */
@ExtendWith(MotoExtension.class)
class DeliveryOutcomesIT {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static int tables;

    private DynamoDbClient dynamoDb;
    private String table;
    private NotificationLedger ledger;
    private DeliveryOutcomes outcomes;

    @BeforeEach
    void ledger(MotoExtension.Emulator emulator) {
        dynamoDb = new AwsClients(Settings.of(emulator.environment())).dynamoDb();
        table = "notifications-outcomes-" + (++tables);
        dynamoDb.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
            .attributeDefinitions(a -> a.attributeName("customerId").attributeType("S"),
                a -> a.attributeName("notificationKey").attributeType("S"),
                a -> a.attributeName("providerMessageId").attributeType("S"))
            .keySchema(k -> k.attributeName("customerId").keyType("HASH"),
                k -> k.attributeName("notificationKey").keyType("RANGE"))
            .globalSecondaryIndexes(i -> i.indexName(DeliveryOutcomes.MESSAGE_ID_INDEX)
                .keySchema(k -> k.attributeName("providerMessageId").keyType("HASH"))
                .projection(p -> p.projectionType("KEYS_ONLY"))));
        ledger = new NotificationLedger(dynamoDb, table, Duration.ofDays(90));
        outcomes = new DeliveryOutcomes(dynamoDb, table);
    }

    private String sent(String customerId, String offerId, Channel channel, String providerMessageId) {
        Notification notification = new Notification(customerId, offerId, channel, "ev-" + customerId, "electronics",
            "ZA/WC/cape-town", "2026-11-25.2", "new_interest", false, NOW.minusSeconds(60), "");
        ledger.claim(notification);
        String key = notification.ledgerKey();
        assertThat(ledger.claimDelivery(customerId, key, "owner", NOW, Duration.ofMinutes(2)))
            .isEqualTo(NotificationLedger.DeliveryClaim.CLAIMED);
        assertThat(ledger.transition(customerId, key, java.util.List.of(NotificationLedger.SENDING),
            NotificationLedger.SENT, NOW, Map.of("providerMessageId", providerMessageId, "locale", "en-ZA",
                "sentAt", NOW.toString()))).isTrue();
        return key;
    }

    @Test
    void findByProviderMessageId_findsTheSentEntry_andNothingForAnUnknownId() {
        String key = sent("c-1", "ELEC-CPT-01", Channel.EMAIL, "ses-1");

        LedgerEntry entry = outcomes.findByProviderMessageId("ses-1");

        assertThat(entry.customerId()).isEqualTo("c-1");
        assertThat(entry.ledgerKey()).isEqualTo(key);
        assertThat(entry.sent()).isTrue();
        assertThat(entry.outcome()).isNull();
        assertThat(entry.sentAt()).isEqualTo(NOW);
        assertThat(outcomes.findByProviderMessageId("ses-unknown")).isNull();
    }

    @Test
    void record_whenRepeated_changesNothing() {
        String key = sent("c-2", "ELEC-CPT-01", Channel.SMS, "sns-2");
        Instant delivered = NOW.plusSeconds(5);

        assertThat(outcomes.record("c-2", key, "sns-2", DeliveryOutcome.DELIVERED, delivered, "DELIVERED",
            NOW.plusSeconds(6))).isEqualTo(DeliveryOutcomes.Recorded.RECORDED);
        Map<String, AttributeValue> first = ledger.get("c-2", key);
        assertThat(outcomes.record("c-2", key, "sns-2", DeliveryOutcome.DELIVERED, delivered, "DELIVERED",
            NOW.plusSeconds(60))).isEqualTo(DeliveryOutcomes.Recorded.SUPERSEDED);

        assertThat(ledger.get("c-2", key)).isEqualTo(first);
        LedgerEntry entry = LedgerEntry.from(first);
        assertThat(entry.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(entry.deliveredAt()).isEqualTo(delivered);
        assertThat(entry.delivered()).isTrue();
    }

    @Test
    void record_whenDeliveryArrivesAfterTheComplaint_keepsTheComplaint() {
        String key = sent("c-3", "ELEC-CPT-01", Channel.EMAIL, "ses-3");

        assertThat(outcomes.record("c-3", key, "ses-3", DeliveryOutcome.COMPLAINED, NOW.plusSeconds(90),
            "abuse", NOW.plusSeconds(91))).isEqualTo(DeliveryOutcomes.Recorded.RECORDED);
        assertThat(outcomes.record("c-3", key, "ses-3", DeliveryOutcome.DELIVERED, NOW.plusSeconds(2), "",
            NOW.plusSeconds(92))).isEqualTo(DeliveryOutcomes.Recorded.SUPERSEDED);

        LedgerEntry entry = LedgerEntry.from(ledger.get("c-3", key));
        assertThat(entry.outcome()).isEqualTo(DeliveryOutcome.COMPLAINED);
        assertThat(entry.outcomeDetail()).isEqualTo("abuse");
        assertThat(entry.delivered()).isTrue();
    }

    @Test
    void record_whenComplaintFollowsDelivery_upgradesAndKeepsTheFirstDeliveryTime() {
        String key = sent("c-4", "ELEC-CPT-01", Channel.EMAIL, "ses-4");
        outcomes.record("c-4", key, "ses-4", DeliveryOutcome.DELIVERED, NOW.plusSeconds(2), "", NOW.plusSeconds(3));

        assertThat(outcomes.record("c-4", key, "ses-4", DeliveryOutcome.COMPLAINED, NOW.plusSeconds(90), "abuse",
            NOW.plusSeconds(91))).isEqualTo(DeliveryOutcomes.Recorded.RECORDED);

        LedgerEntry entry = LedgerEntry.from(ledger.get("c-4", key));
        assertThat(entry.outcome()).isEqualTo(DeliveryOutcome.COMPLAINED);
        assertThat(entry.deliveredAt()).isEqualTo(NOW.plusSeconds(2));
    }

    @Test
    void record_forAnotherMessageIdOrAMissingEntry_isMissingAndCreatesNothing() {
        String key = sent("c-5", "ELEC-CPT-01", Channel.EMAIL, "ses-5");

        assertThat(outcomes.record("c-5", key, "ses-other", DeliveryOutcome.BOUNCED, NOW, "Permanent", NOW))
            .isEqualTo(DeliveryOutcomes.Recorded.MISSING);
        assertThat(outcomes.record("c-nobody", key, "ses-5", DeliveryOutcome.BOUNCED, NOW, "Permanent", NOW))
            .isEqualTo(DeliveryOutcomes.Recorded.MISSING);

        assertThat(LedgerEntry.from(ledger.get("c-5", key)).outcome()).isNull();
        assertThat(ledger.get("c-nobody", key)).isNull();
    }

    @Test
    void suppressEmail_keepsTheFirstReason_andIsPerAddress() {
        ContactHashes hashes = new ContactHashes("a-secret-of-at-least-thirty-two-characters!");
        String address = hashes.email("Someone@Example.com");

        assertThat(outcomes.suppressEmail("c-6", address, DeliveryOutcome.BOUNCED, "X#email", "Permanent/General",
            NOW)).isTrue();
        assertThat(outcomes.suppressEmail("c-6", address, DeliveryOutcome.COMPLAINED, "Y#email", "abuse",
            NOW.plusSeconds(5))).isFalse();

        assertThat(outcomes.emailSuppression("c-6", hashes.email(" someone@example.com ")))
            .isEqualTo(new DeliveryOutcomes.Suppression("bounced", NOW, "X#email"));
        assertThat(outcomes.emailSuppression("c-6", hashes.email("new-address@example.com"))).isNull();
        assertThat(outcomes.emailSuppression("c-other", address)).isNull();
    }

    @Test
    void entries_listNotificationsOnly_andErasureRemovesSuppressions() {
        sent("c-7", "ELEC-CPT-01", Channel.EMAIL, "ses-7");
        sent("c-7", "FASH-JHB-01", Channel.SMS, "sns-7");
        outcomes.suppressEmail("c-7", "hash", DeliveryOutcome.BOUNCED, "ELEC-CPT-01#email", "", NOW);

        assertThat(outcomes.entries("c-7")).extracting(LedgerEntry::offerId)
            .containsExactlyInAnyOrder("ELEC-CPT-01", "FASH-JHB-01");

        ledger.deleteAll("c-7");
        assertThat(outcomes.entries("c-7")).isEmpty();
        assertThat(outcomes.emailSuppression("c-7", "hash")).isNull();
    }
}
