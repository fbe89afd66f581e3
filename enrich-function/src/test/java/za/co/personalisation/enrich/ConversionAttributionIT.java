package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.NOW;
import static za.co.personalisation.enrich.Events.erasure;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Conversions through enrich against the emulator: credited to the most recent delivered (for now: sent) or
 * held-out matching entry within the attribution window, once per eventId however often it comes, never when
 * replayed, and gone with the customer's erasure. The ledger entries are written by the real NotificationLedger.
 */
@ExtendWith(MotoExtension.class)
class ConversionAttributionIT {

    private EnrichFixture fixture;
    private EnrichHandler handler;
    private NotificationLedger ledger;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
        handler = fixture.handler(CLOCK);
        ledger = new NotificationLedger(fixture.dynamoDb, fixture.notificationsTable, Duration.ofDays(90));
    }

    private static Notification notification(String customerId, String offerId, String interest, Instant at) {
        return new Notification(customerId, offerId, Channel.SMS, "e-" + offerId, interest, "ZA", "v1",
            "new_interest", false, at, "");
    }

    private void sent(String customerId, String offerId, String interest, Instant at) {
        Notification notification = notification(customerId, offerId, interest, at.minusSeconds(5));
        assertThat(ledger.claim(notification)).isEqualTo(NotificationLedger.Claim.CLAIMED);
        assertThat(ledger.transition(customerId, notification.ledgerKey(), List.of(NotificationLedger.PENDING),
            NotificationLedger.SENT, at, Map.of("sentAt", at.toString()))).isTrue();
    }

    private static ConversionEvent conversion(String customerId, String eventId, String interest, Instant at,
        boolean replay) {
        return new ConversionEvent(eventId, customerId, interest, "", new BigDecimal("499.90"), "ZAR", at,
            at.plusMillis(200), "", replay);
    }

    private Map<String, Map<String, AttributeValue>> conversions(String customerId) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        fixture.dynamoDb.queryPaginator(b -> b.tableName(fixture.notificationsTable)
            .keyConditionExpression("customerId = :c AND begins_with(notificationKey, :p)")
            .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(customerId),
                ":p", AttributeValue.fromS("conversion#"))).consistentRead(true))
            .items().forEach(item -> found.put(item.get("notificationKey").s(), item));
        return found;
    }

    @Test
    void conversionWithinTheWindow_isCreditedToTheMostRecentMatchingSend_onceHoweverOftenItComes() {
        sent("c-1", "ELEC-1", "electronics", NOW.minus(Duration.ofDays(3)));
        sent("c-1", "ELEC-2", "electronics", NOW.minus(Duration.ofDays(1)));
        sent("c-1", "BOOK-1", "books", NOW.minus(Duration.ofHours(1)));
        ConversionEvent bought = conversion("c-1", "order-1", "electronics", NOW.minusSeconds(60), false);

        handler.handleRequest(batch(fixture.records(List.of(bought, bought))), null);
        handler.handleRequest(batch(fixture.records(List.of(bought))), null);

        Map<String, Map<String, AttributeValue>> recorded = conversions("c-1");
        assertThat(recorded).containsOnlyKeys("conversion#order-1");
        Map<String, AttributeValue> item = recorded.get("conversion#order-1");
        assertThat(item.get("group").s()).isEqualTo("sent");
        assertThat(item.get("creditedKey").s()).isEqualTo("ELEC-2#sms");
        assertThat(item.get("value").n()).isEqualTo("499.90");
        assertThat(fixture.metric("ConversionsRecorded")).isEqualTo(1.0);
    }

    @Test
    void conversionAfterTheWindow_orBeforeTheSend_isCreditedToNothing() {
        sent("c-2", "ELEC-1", "electronics", NOW.minus(Duration.ofDays(7)).minusSeconds(61));
        sent("c-2", "ELEC-2", "electronics", NOW);

        handler.handleRequest(batch(fixture.records(List.of(
            conversion("c-2", "order-2", "electronics", NOW.minusSeconds(60), false)))), null);

        assertThat(conversions("c-2").get("conversion#order-2").get("group").s()).isEqualTo("none");
        assertThat(conversions("c-2").get("conversion#order-2").get("creditedKey").s()).isEmpty();
    }

    @Test
    void conversionOfAHeldOutCustomer_countsAgainstControl() {
        Notification held = notification("c-3", "ELEC-1", "electronics", NOW.minus(Duration.ofDays(2)));
        assertThat(ledger.holdOut(held)).isEqualTo(NotificationLedger.Claim.CLAIMED);
        assertThat(ledger.holdOut(held)).isEqualTo(NotificationLedger.Claim.DUPLICATE);
        assertThat(ledger.claim(held)).isEqualTo(NotificationLedger.Claim.DUPLICATE);

        handler.handleRequest(batch(fixture.records(List.of(
            conversion("c-3", "order-3", "electronics", NOW.minusSeconds(60), false)))), null);

        Map<String, AttributeValue> item = conversions("c-3").get("conversion#order-3");
        assertThat(item.get("group").s()).isEqualTo("control");
        assertThat(item.get("creditedKey").s()).isEqualTo("ELEC-1#sms");
    }

    @Test
    void replayedConversionOfALiveCustomer_andAnyConversionOfAShadowCustomer_areNeverRecorded() {
        sent("c-4", "ELEC-1", "electronics", NOW.minus(Duration.ofDays(1)));
        sent("shadow-c-4", "ELEC-1", "electronics", NOW.minus(Duration.ofDays(1)));

        handler.handleRequest(batch(fixture.records(List.of(
            conversion("c-4", "order-4:r2", "electronics", NOW.minusSeconds(60), true),
            conversion("shadow-c-4", "order-4", "electronics", NOW.minusSeconds(60), false),
            conversion("shadow-c-4", "order-5", "electronics", NOW.minusSeconds(60), true)))), null);

        assertThat(conversions("c-4")).isEmpty();
        assertThat(conversions("shadow-c-4")).isEmpty();
        assertThat(fixture.metric("ConversionsNotCounted")).isEqualTo(2.0);
        assertThat(fixture.metric("ReplayDropped")).isEqualTo(1.0);
    }

    @Test
    void erasure_deletesTheCustomersConversions_andAConversionAfterItIsDropped() {
        sent("c-5", "ELEC-1", "electronics", NOW.minus(Duration.ofDays(1)));
        handler.handleRequest(batch(fixture.records(List.of(
            conversion("c-5", "order-6", "electronics", NOW.minusSeconds(600), false)))), null);
        assertThat(conversions("c-5")).containsOnlyKeys("conversion#order-6");

        handler.handleRequest(batch(fixture.records(List.of(erasure("c-5", "x-1", 5),
            conversion("c-5", "order-7", "electronics", NOW.minusSeconds(60), false)))), null);
        handler.handleRequest(batch(fixture.records(List.of(
            conversion("c-5", "order-8", "electronics", NOW.minusSeconds(30), false)))), null);

        assertThat(fixture.ledgerKeys("c-5")).isEmpty();
    }
}
