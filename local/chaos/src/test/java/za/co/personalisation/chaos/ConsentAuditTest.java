package za.co.personalisation.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.profile.Consent;

class ConsentAuditTest {

    private static final Instant REQUESTED = Instant.parse("2026-12-06T10:00:00Z");
    private static final Instant RECEIVED = REQUESTED.plusMillis(5);
    private static final Instant ACKNOWLEDGED = REQUESTED.plusMillis(400);
    private static final Map<String, String> CONTACTS = Map.of("+27990000001", "c1", "c1@example.com", "c1");

    private static ConsentAudit.Result judge(Consent sms, List<ConsentAudit.Dispatch> dispatches,
        List<Revocation> revocations, int messages) {
        return new ConsentAudit(CONTACTS, Map.of("c1|sms", sms), Map.of("c1|sms", dispatches), revocations)
            .judge(Map.of("sms|+27990000001", messages));
    }

    private static ConsentAudit.Dispatch at(Instant dispatchedAt) {
        return new ConsentAudit.Dispatch("offer-1#sms", "sent", dispatchedAt);
    }

    private static Consent revoked() {
        return new Consent(Consent.State.REVOKED, RECEIVED, RECEIVED);
    }

    @Test
    void judge_whenDispatchBeganAfterTheAcknowledgement_countsItWithoutConsent() {
        Revocation acknowledged = new Revocation("c1", "sms", REQUESTED, ACKNOWLEDGED, 202, 1);

        ConsentAudit.Result result = judge(revoked(), List.of(at(ACKNOWLEDGED.plusMillis(1))), List.of(acknowledged),
            1);

        assertThat(result.withoutConsent()).isEqualTo(1);
        assertThat(result.inFlight()).isZero();
        assertThat(result.withoutConsentDetails()).singleElement().asString()
            .contains("dispatchedAt " + ACKNOWLEDGED.plusMillis(1)).contains("receivedAt " + RECEIVED)
            .contains("acknowledged " + ACKNOWLEDGED);
    }

    @Test
    void judge_whenDispatchBeganBetweenReceiptAndAcknowledgement_countsItInFlightOnly() {
        Revocation acknowledged = new Revocation("c1", "sms", REQUESTED, ACKNOWLEDGED, 202, 1);

        ConsentAudit.Result result = judge(revoked(),
            List.of(at(RECEIVED.plusMillis(100)), at(RECEIVED.minusMillis(1))), List.of(acknowledged), 2);

        assertThat(result.withoutConsent()).isZero();
        assertThat(result.inFlight()).isEqualTo(1);
        assertThat(result.inFlightDetails()).singleElement().asString().contains("dispatchedAt "
            + RECEIVED.plusMillis(100));
    }

    @Test
    void judge_whenTheRevocationWasNeverAcknowledged_countsFromItsReceipt() {
        Revocation timedOut = new Revocation("c1", "sms", REQUESTED, null, Revocation.NO_ANSWER, 20);

        ConsentAudit.Result result = judge(revoked(), List.of(at(RECEIVED.plusMillis(100))), List.of(timedOut), 1);

        assertThat(result.withoutConsent()).isEqualTo(1);
        assertThat(result.inFlight()).isZero();
        assertThat(result.withoutConsentDetails()).singleElement().asString().contains("never acknowledged");
    }

    @Test
    void judge_whenAnUnacknowledgedRevocationNeverReachedTheProfile_countsFromTheRequest() {
        Revocation failed = new Revocation("c1", "sms", REQUESTED, null, 503, 20);
        Consent granted = new Consent(Consent.State.GRANTED, REQUESTED.minusSeconds(60),
            REQUESTED.minusSeconds(60));

        ConsentAudit.Result result = judge(granted, List.of(at(REQUESTED.plusMillis(1)),
            at(REQUESTED.minusMillis(1))), List.of(failed), 2);

        assertThat(result.withoutConsent()).isEqualTo(1);
    }

    @Test
    void judge_countsNoMoreThanTheMessagesTheOutboxHolds() {
        Revocation acknowledged = new Revocation("c1", "sms", REQUESTED, ACKNOWLEDGED, 202, 1);

        // two entries marked dispatched after the 202 (one never reached the provider), one message
        ConsentAudit.Result result = judge(revoked(), List.of(at(ACKNOWLEDGED.plusSeconds(1)),
            at(ACKNOWLEDGED.plusSeconds(2))), List.of(acknowledged), 1);

        assertThat(result.withoutConsent()).isEqualTo(1);
    }

    @Test
    void judge_whenGrantedAndNeverRevoked_countsNothing_andWhenNeverGranted_countsEveryMessage() {
        Consent granted = new Consent(Consent.State.GRANTED, REQUESTED, REQUESTED);

        assertThat(judge(granted, List.of(at(ACKNOWLEDGED)), List.of(), 1).withoutConsent()).isZero();
        assertThat(judge(Consent.UNKNOWN, List.of(), List.of(), 2).withoutConsent()).isEqualTo(2);
    }

    @Test
    void judge_whenNoContactHoldsTheRecipient_countsItWithoutConsent() {
        ConsentAudit.Result result = new ConsentAudit(Map.of(), Map.of(), Map.of(), List.of())
            .judge(Map.of("email|someone@example.com", 1));

        assertThat(result.withoutConsent()).isEqualTo(1);
    }
}
