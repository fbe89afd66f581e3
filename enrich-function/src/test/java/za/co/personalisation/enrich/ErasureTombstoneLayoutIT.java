package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.DURBAN;
import static za.co.personalisation.enrich.Events.NOW;
import static za.co.personalisation.enrich.Events.consent;
import static za.co.personalisation.enrich.Events.erasure;
import static za.co.personalisation.enrich.Events.interest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ErasureTombstones;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Issue 12, item 7, on enrich's side: the tombstone that ingest writes when it answers {@code DELETE} (before the
 * erasure event reaches enrich) does not stop enrich from removing the profile and every notifications item; and a
 * tombstone of the first layout (plain SHA-256 key) still keeps the customer erased.
 */
@ExtendWith(MotoExtension.class)
class ErasureTombstoneLayoutIT {

    private EnrichFixture fixture;
    private EnrichHandler handler;
    private ErasureTombstones tombstones;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
        handler = fixture.handler(CLOCK);
        tombstones = ErasureTombstones.from(fixture.settings);
    }

    @Test
    void erasureEvent_afterIngestWroteTheTombstone_stillDeletesProfileLedgerAndCapCounters() {
        handler.handleRequest(batch(fixture.records(List.of(interest("t-1", "e-1", "books", DURBAN, 90),
            consent("t-1", "k-1", Channel.SMS, Consent.State.GRANTED, 80)))), null);
        fixture.putLedgerEntry("t-1", "OFFER-1#sms");
        fixture.putLedgerEntry("t-1", "cap#sms#day#2026-11-25");
        // what ingest does when it answers DELETE /customers/t-1
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.erasuresTable)
            .item(tombstones.item("t-1", NOW.minusSeconds(1800), "x-1", NOW, Duration.ofDays(90))));

        handler.handleRequest(batch(fixture.records(List.of(erasure("t-1", "x-1", 30),
            interest("t-1", "e-2", "books", DURBAN, 1)))), null);

        assertThat(fixture.profile("t-1")).isNull();
        assertThat(fixture.ledgerKeys("t-1")).isEmpty();
        assertThat(fixture.tombstone("t-1")).isNotNull();
    }

    @Test
    void tombstoneOfTheFirstLayout_keepsTheCustomerErased() {
        Map<String, AttributeValue> legacy = new HashMap<>(ErasureTombstones.legacyKey("t-2"));
        legacy.put("erasedAt", AttributeValue.fromS(NOW.minus(Duration.ofDays(10)).toString()));
        legacy.put("eventId", AttributeValue.fromS("x-old"));
        legacy.put("expiresAt", AttributeValue.fromN(Long.toString(NOW.plus(Duration.ofDays(80)).getEpochSecond())));
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.erasuresTable).item(legacy));

        handler.handleRequest(batch(fixture.records(List.of(interest("t-2", "e-1", "books", DURBAN, 5),
            consent("t-2", "k-1", Channel.SMS, Consent.State.GRANTED, 4)))), null);

        assertThat(fixture.profile("t-2")).isNull();
    }
}
