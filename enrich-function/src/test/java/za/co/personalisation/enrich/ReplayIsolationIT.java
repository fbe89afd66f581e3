package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CAPE_TOWN;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.DURBAN;
import static za.co.personalisation.enrich.Events.GEORGE;
import static za.co.personalisation.enrich.Events.NOW;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Issue 12, item 5, enrich's half of the rule in docs/replay.md: replayed traffic never changes a live customer
 * (consent, existence, interests, location) and is applied to shadow customers ({@code shadow-…}) only. Against
 * the emulator with the real SDK; asserts the stored profile and tombstone.
 */
@ExtendWith(MotoExtension.class)
class ReplayIsolationIT {

    private EnrichFixture fixture;
    private EnrichHandler handler;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
        handler = fixture.handler(CLOCK);
        // the live customer: an interest in Durban, SMS consent revoked an hour ago
        Instant hourAgo = NOW.minus(Duration.ofHours(1));
        handler.handleRequest(batch(fixture.records(List.of(
            new InterestEvent("live-1", "12345", "books", DURBAN, hourAgo, hourAgo, "", false),
            new ConsentEvent("live-2", "12345", Channel.SMS, Consent.State.REVOKED, hourAgo, hourAgo, "", false)))),
            null);
    }

    @Test
    void replayedGrant_shiftedToNow_doesNotChangeALiveCustomersConsent() {
        // --shift-to-now makes an old grant look newer than the live revocation
        Instant now = NOW.minusSeconds(10);
        handler.handleRequest(batch(fixture.records(List.of(
            new ConsentEvent("old-grant", "12345", Channel.SMS, Consent.State.GRANTED, now, now, "", true)))), null);

        assertThat(fixture.profile("12345").consentFor(Channel.SMS).state()).isEqualTo(Consent.State.REVOKED);
        assertThat(fixture.logs("event.replay_dropped")).singleElement()
            .satisfies(line -> assertThat(line.path("kind").asText()).isEqualTo("consent"));
    }

    @Test
    void replayedErasure_doesNotEraseALiveCustomer() {
        handler.handleRequest(batch(fixture.records(List.of(
            new ErasureEvent("old-erasure", "12345", NOW.minusSeconds(5), NOW.minusSeconds(5), "", true)))), null);

        assertThat(fixture.profile("12345")).isNotNull();
        assertThat(fixture.tombstone("12345")).isNull();
    }

    @Test
    void replayedInterests_doNotChangeALiveProfile_lateOrNew() {
        Profile before = fixture.profile("12345");

        handler.handleRequest(batch(fixture.records(List.of(
            // late: would add to the score without moving lastSeen; new: would move the location
            new InterestEvent("old-1", "12345", "books", CAPE_TOWN, NOW.minus(Duration.ofHours(3)),
                NOW.minus(Duration.ofHours(3)), "", true),
            new InterestEvent("old-2", "12345", "books", GEORGE, NOW.minusSeconds(30), NOW.minusSeconds(30), "",
                true)))), null);

        Profile after = fixture.profile("12345");
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.interests()).isEqualTo(before.interests());
        assertThat(after.location()).isEqualTo(DURBAN);
        assertThat(fixture.metric("ReplayDropped")).isEqualTo(2);
    }

    @Test
    void replayedTraffic_ofAShadowCustomer_isApplied_consentAndErasureIncluded() {
        String shadow = "shadow-12345";
        Instant at = NOW.minusSeconds(60);
        handler.handleRequest(batch(fixture.records(List.of(
            new ConsentEvent("s-1", shadow, Channel.SMS, Consent.State.GRANTED, at, at, "", true),
            new InterestEvent("s-2", shadow, "books", CAPE_TOWN, at, at, "", true)))), null);

        Profile profile = fixture.profile(shadow);
        assertThat(profile.consentFor(Channel.SMS).granted()).isTrue();
        assertThat(profile.interests()).containsKey("books");

        handler.handleRequest(batch(fixture.records(List.of(
            new ErasureEvent("s-3", shadow, NOW, NOW, "", true)))), null);
        assertThat(fixture.profile(shadow)).isNull();
        assertThat(fixture.profile("12345")).isNotNull();
        assertThat(fixture.logs("event.replay_dropped")).isEmpty();
    }

    @Test
    void liveTraffic_ofALiveCustomer_inTheSameBatchAsReplays_isStillApplied() {
        Instant at = NOW.minusSeconds(20);
        handler.handleRequest(batch(fixture.records(List.of(
            new ConsentEvent("old-grant", "12345", Channel.SMS, Consent.State.GRANTED, at, at, "", true),
            new InterestEvent("live-3", "12345", "sports", CAPE_TOWN, at, at, "", false)))), null);

        Map<String, AttributeValue> item = fixture.dynamoDb.getItem(b -> b.tableName(fixture.profilesTable)
            .key(Map.of("customerId", AttributeValue.fromS("12345"))).consistentRead(true)).item();
        assertThat(item.get("interests").m()).containsKey("sports");
        assertThat(item.get("consent").m().get("sms").m().get("state").s()).isEqualTo("revoked");
    }
}
