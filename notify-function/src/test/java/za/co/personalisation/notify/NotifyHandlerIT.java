package za.co.personalisation.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.notify.NotificationCodec;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.aws.testing.NotificationStack;
import za.co.personalisation.aws.testing.TestClock;

/**
 * notify-function against the emulator: which profile changes trigger matching, what the ledger keeps to explain a
 * decision, N offers per change, and a record that can never be processed, on the emulated stack notify and
 * deliver share ({@link NotificationStack}).
 */
@ExtendWith(MotoExtension.class)
class NotifyHandlerIT {

    private static final Instant MIDDAY = Instant.parse("2026-11-25T10:00:00Z");
    private static final String SAST = "Africa/Johannesburg";
    private static final TestClock CLOCK = new TestClock(MIDDAY);
    private static NotificationStack stack;
    private static NotifyHandler notify;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = NotificationStack.create(emulator);
        notify = new NotifyHandler(stack.settings, stack.dynamoDb, stack.sns, stack.sqs, CLOCK);
    }

    @BeforeEach
    void reset() {
        CLOCK.set(MIDDAY);
        stack.drain(stack.auditQueue, stack.smsQueue, stack.emailQueue, stack.sandboxQueue, stack.failedChangesQueue);
    }

    @Test
    void newInterest_isPublished_andTheLedgerExplainsTheDecision() {
        stack.customer("nt-new", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, MIDDAY);

        notify(stack.interest("nt-new", "electronics", "Kaapstad", "ev-new-1", MIDDAY, false));

        Notification published = single(stack.auditQueue);
        assertThat(published.offerId()).isEqualTo("ELEC-CPT-01");
        assertThat(published.channel()).isEqualTo(Channel.SMS);
        Map<String, AttributeValue> entry = stack.ledgerEntry("nt-new", "ELEC-CPT-01#sms");
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.QUEUED);
        assertThat(entry.get("interest").s()).isEqualTo("electronics");
        assertThat(entry.get("locationRule").s()).isEqualTo("ZA/WC/cape-town");
        assertThat(entry.get("catalogVersion").s()).isEqualTo("test-1");
        assertThat(entry.get("trigger").s()).isEqualTo("new_interest");
        assertThat(entry.get("eventId").s()).isEqualTo("ev-new-1");
        assertThat(Long.parseLong(entry.get("expiresAt").n())).isEqualTo(MIDDAY.plus(Duration.ofDays(90))
            .getEpochSecond());
    }

    @Test
    void repeatedInterest_andConsentChange_publishNothing_butAMovePublishesTheOfferOfTheNewPlace() {
        stack.customer("nt-move", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, MIDDAY);
        notify(stack.interest("nt-move", "electronics", "Cape Town", "ev-mv-1", MIDDAY, false));
        stack.drain(stack.auditQueue);

        CLOCK.advance(Duration.ofMinutes(1));
        notify(stack.interest("nt-move", "electronics", "Cape Town", "ev-mv-2", CLOCK.instant(), false));
        Map<String, AttributeValue> before = profileItem("nt-move");
        stack.consent("nt-move", Channel.EMAIL, Consent.State.REVOKED, CLOCK.instant());
        notify(stack.record(before, profileItem("nt-move")));
        assertThat(stack.receive(stack.auditQueue)).isEmpty();

        CLOCK.advance(Duration.ofMinutes(1));
        notify(stack.interest("nt-move", "electronics", "Stellenbosch", "ev-mv-3", CLOCK.instant(), false));

        Notification moved = single(stack.auditQueue);
        assertThat(moved.offerId()).isEqualTo("ELEC-WC-01");
        assertThat(moved.channel()).isEqualTo(Channel.SMS);
        assertThat(moved.trigger()).isEqualTo("location_change");
        assertThat(moved.locationRule()).isEqualTo("ZA/WC");
    }

    @Test
    void interestCrossingTheScoreThreshold_triggersMatching() {
        stack.customer("nt-score", Consent.State.REVOKED, Consent.State.REVOKED, "en-ZA", SAST, MIDDAY);
        // Without consent the first (new interest) match is suppressed; consent comes later.
        notify(stack.interest("nt-score", "books", "Durban", "ev-sc-0", MIDDAY, false));
        stack.consent("nt-score", Channel.SMS, Consent.State.GRANTED, MIDDAY);
        notify(stack.interest("nt-score", "books", "Durban", "ev-sc-1", MIDDAY, false));
        assertThat(stack.receive(stack.auditQueue)).isEmpty();

        // Three events at one instant score 3.0: the default threshold.
        notify(stack.interest("nt-score", "books", "Durban", "ev-sc-2", MIDDAY, false));

        Notification crossed = single(stack.auditQueue);
        assertThat(crossed.offerId()).isEqualTo("BOOK-ZA-01");
        assertThat(crossed.trigger()).isEqualTo("score_threshold");
        assertThat(crossed.eventId()).isEqualTo("ev-sc-2");
    }

    @Test
    void maxOffersPerChange_isConfigurable() {
        NotifyHandler two = new NotifyHandler(stack.settings.with(Map.of("MAX_OFFERS_PER_CHANGE", "2")),
            stack.dynamoDb, stack.sns, stack.sqs, CLOCK);
        stack.customer("nt-two", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, MIDDAY);

        StreamsEventResponse response = two.handleRequest(NotificationStack.batch(List.of(stack.interest("nt-two",
            "electronics", "Cape Town", "ev-two-1", MIDDAY, false))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stack.receive(stack.auditQueue)).extracting(m -> NotificationCodec.decode(m.body()).offerId())
            .containsExactlyInAnyOrder("ELEC-CPT-01", "ELEC-WC-01");
    }

    @Test
    void recordThatCannotBeRead_isParkedWithItsReason_andTheRestOfTheBatchGoesOn() {
        stack.customer("nt-good", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, MIDDAY);
        Map<String, AttributeValue> broken = new HashMap<>(profileItem("nt-good"));
        broken.put("customerId", AttributeValue.fromS("nt-broken"));
        broken.put("consent", AttributeValue.fromM(Map.of("fax", AttributeValue.fromM(Map.of(
            "state", AttributeValue.fromS("granted"), "at", AttributeValue.fromS(MIDDAY.toString()))))));
        DynamodbEvent.DynamodbStreamRecord bad = stack.record(null, broken);
        DynamodbEvent.DynamodbStreamRecord removal = stack.record(profileItem("nt-good"), null);

        notify(bad, removal, stack.interest("nt-good", "garden", "Durban", "ev-good-1", MIDDAY, false));

        assertThat(single(stack.auditQueue).offerId()).isEqualTo("GARD-ZA-01");
        List<Message> parked = stack.receive(stack.failedChangesQueue);
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).body()).contains("\"sequenceNumber\":\"" + bad.getDynamodb().getSequenceNumber()
            + "\"").contains("\"customerId\":\"nt-broken\"").doesNotContain("interests");
        assertThat(parked.get(0).messageAttributes().get("reason").stringValue())
            .contains("unknown channel 'fax'");
    }

    private static Map<String, AttributeValue> profileItem(String customerId) {
        return stack.dynamoDb.getItem(b -> b.tableName("profiles-test").key(Map.of("customerId",
            AttributeValue.fromS(customerId))).consistentRead(true)).item();
    }

    private static Notification single(String queueUrl) {
        List<Message> messages = stack.receive(queueUrl);
        assertThat(messages).hasSize(1);
        return NotificationCodec.decode(messages.get(0).body());
    }

    private static void notify(DynamodbEvent.DynamodbStreamRecord... records) {
        assertThat(notify.handleRequest(NotificationStack.batch(List.of(records)), null).getBatchItemFailures())
            .isEmpty();
    }
}
