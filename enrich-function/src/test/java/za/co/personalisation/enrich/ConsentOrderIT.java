package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CLOCK;
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
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Issue 12, item 4: consent ordering does not trust the client's clock. A revocation the API acknowledged wins over
 * any grant the API received before it, whatever occurredAt either carries; decisions are ordered by ingest's
 * receivedAt. Against the emulator with the real SDK, asserting the stored consent that deliver reads.
 */
@ExtendWith(MotoExtension.class)
class ConsentOrderIT {

    private EnrichFixture fixture;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
    }

    @Test
    void revocation_receivedAfterAGrantStampedMinutesAhead_wins() {
        Instant grantReceived = NOW.minus(Duration.ofMinutes(3));
        Instant revokeReceived = NOW.minus(Duration.ofMinutes(1));
        EnrichHandler handler = fixture.handler(CLOCK);

        handler.handleRequest(batch(fixture.records(List.of(
            decision("e-grant", Consent.State.GRANTED, grantReceived.plus(Duration.ofMinutes(5)), grantReceived)))),
            null);
        handler.handleRequest(batch(fixture.records(List.of(
            decision("e-revoke", Consent.State.REVOKED, revokeReceived, revokeReceived)))), null);

        assertThat(storedState("c-1")).isEqualTo("revoked");
    }

    @Test
    void revocation_stampedInThePastByTheClient_stillWinsOverAnEarlierReceivedGrant() {
        Instant grantReceived = NOW.minus(Duration.ofMinutes(3));
        Instant revokeReceived = NOW.minus(Duration.ofMinutes(1));

        fixture.handler(CLOCK).handleRequest(batch(fixture.records(List.of(
            decision("e-grant", Consent.State.GRANTED, grantReceived, grantReceived),
            decision("e-revoke", Consent.State.REVOKED, revokeReceived.minus(Duration.ofDays(6)), revokeReceived)))),
            null);

        assertThat(storedState("c-1")).isEqualTo("revoked");
    }

    @Test
    void grant_receivedBeforeARevocationButDeliveredLater_doesNotOverrideIt() {
        Instant grantReceived = NOW.minus(Duration.ofMinutes(3));
        Instant revokeReceived = NOW.minus(Duration.ofMinutes(1));
        EnrichHandler handler = fixture.handler(CLOCK);

        // ingest's write of the grant was slow: the revocation reached the stream first
        handler.handleRequest(batch(fixture.records(List.of(
            decision("e-revoke", Consent.State.REVOKED, revokeReceived, revokeReceived)))), null);
        handler.handleRequest(batch(fixture.records(List.of(
            decision("e-grant", Consent.State.GRANTED, grantReceived.plus(Duration.ofMinutes(5)), grantReceived)))),
            null);

        assertThat(storedState("c-1")).isEqualTo("revoked");
    }

    @Test
    void grant_receivedAfterARevocation_isHonoured() {
        Instant revokeReceived = NOW.minus(Duration.ofMinutes(3));
        Instant grantReceived = NOW.minus(Duration.ofMinutes(1));

        fixture.handler(CLOCK).handleRequest(batch(fixture.records(List.of(
            decision("e-revoke", Consent.State.REVOKED, revokeReceived.plus(Duration.ofMinutes(4)), revokeReceived),
            decision("e-grant", Consent.State.GRANTED, grantReceived.minus(Duration.ofMinutes(10)),
                grantReceived)))), null);

        assertThat(storedState("c-1")).isEqualTo("granted");
    }

    @Test
    void revocation_afterAGrantStoredInTodaysLayoutStampedAhead_wins() {
        // today's layout: consent {state, at} with at = the client's occurredAt, here 5 minutes ahead of its receipt
        Instant grantReceived = NOW.minus(Duration.ofMinutes(3));
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.profilesTable).item(Map.of(
            "customerId", AttributeValue.fromS("c-1"),
            "version", AttributeValue.fromN("3"),
            "updatedAt", AttributeValue.fromS(grantReceived.toString()),
            "interests", AttributeValue.fromM(Map.of()),
            "consent", AttributeValue.fromM(Map.of("sms", AttributeValue.fromM(Map.of(
                "state", AttributeValue.fromS("granted"),
                "at", AttributeValue.fromS(grantReceived.plus(Duration.ofMinutes(5)).toString()))))),
            "appliedEventIds", AttributeValue.fromL(List.of(AttributeValue.fromS("e-grant"))),
            "appliedEventTimes", AttributeValue.fromL(List.of(AttributeValue.fromN(
                Long.toString(grantReceived.plus(Duration.ofMinutes(5)).toEpochMilli())))))));
        Instant revokeReceived = NOW.minus(Duration.ofMinutes(1));

        fixture.handler(CLOCK).handleRequest(batch(fixture.records(List.of(
            decision("e-revoke", Consent.State.REVOKED, revokeReceived, revokeReceived)))), null);

        assertThat(storedState("c-1")).isEqualTo("revoked");
        assertThat(fixture.profile("c-1").consentFor(Channel.SMS).receivedAt()).isEqualTo(revokeReceived);
    }

    private static ConsentEvent decision(String eventId, Consent.State state, Instant occurredAt,
        Instant receivedAt) {
        return new ConsentEvent(eventId, "c-1", Channel.SMS, state, occurredAt, receivedAt, "", false);
    }

    private String storedState(String customerId) {
        Map<String, AttributeValue> item = fixture.dynamoDb.getItem(b -> b.tableName(fixture.profilesTable)
            .key(Map.of("customerId", AttributeValue.fromS(customerId))).consistentRead(true)).item();
        return item.get("consent").m().get("sms").m().get("state").s();
    }
}
