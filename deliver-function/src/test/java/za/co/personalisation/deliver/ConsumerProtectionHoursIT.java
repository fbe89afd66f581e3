package za.co.personalisation.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
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

/**
 * Issue 12, item 9, against the emulator: no direct marketing on a Sunday, a public holiday or a Saturday afternoon;
 * the message waits on its queue and is sent at the next permitted instant; and no setting of a deployed stage can
 * switch this off. Fixed instants in Africa/Johannesburg (2026-11-28 is a Saturday, 2026-11-29 a Sunday).
 */
@ExtendWith(MotoExtension.class)
class ConsumerProtectionHoursIT {

    private static final ZoneId SAST = ZoneId.of("Africa/Johannesburg");
    private static final TestClock CLOCK = new TestClock(local("2026-11-29T10:00"));
    private static OfferStack stack;
    private static DeliverHandler deliver;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = OfferStack.create(emulator);
        // the stage name changes nothing: "local" was the stage exempt from quiet hours before
        deliver = new DeliverHandler(stack.settings.with(Map.of("STAGE", "local")), stack.dynamoDb, stack.sns,
            stack.ses, stack.sqs, CLOCK);
    }

    @BeforeEach
    void drain() {
        stack.drain(stack.smsQueue, stack.deadLetterQueue);
    }

    @Test
    void sundayMorning_isDeferredToMondayEight_thenSent() {
        assertDeferredThenSent("cpa-sunday", local("2026-11-29T10:00"), local("2026-11-30T08:00"));
    }

    @Test
    void saturdayAfternoon_isDeferredOverSundayToMondayEight() {
        assertDeferredThenSent("cpa-saturday", local("2026-11-28T13:00"), local("2026-11-30T08:00"));
    }

    @Test
    void christmasEve_evening_isDeferredOverChristmasAndTheDayOfGoodwill() {
        assertDeferredThenSent("cpa-christmas", local("2026-12-24T20:15"), local("2026-12-28T08:00"));
    }

    @Test
    void settingsThatWouldSwitchQuietHoursOff_stopTheFunctionAtStartUp() {
        for (Map<String, String> attempt : List.of(Map.of("QUIET_HOURS", "off"),
            Map.of("QUIET_HOURS_EXEMPT_STAGES", "local"), Map.of("QUIET_HOURS", "00:00-00:00"))) {
            assertThatThrownBy(() -> new DeliverHandler(stack.settings.with(attempt), stack.dynamoDb, stack.sns,
                stack.ses, stack.sqs, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(attempt.keySet().iterator().next() + " is set")
                .hasMessageContaining("Consumer Protection Act");
        }
        assertThatThrownBy(() -> new DeliverHandler(stack.settings.with(Map.of("EXTRA_PUBLIC_HOLIDAYS", "tomorrow")),
            stack.dynamoDb, stack.sns, stack.ses, stack.sqs, CLOCK))
            .hasMessageContaining("EXTRA_PUBLIC_HOLIDAYS").hasMessageContaining("'tomorrow'");
    }

    @Test
    void aDayDeclaredInTheSettings_isKeptFreeToo() {
        DeliverHandler declared = new DeliverHandler(stack.settings.with(Map.of("EXTRA_PUBLIC_HOLIDAYS",
            "2026-12-01")), stack.dynamoDb, stack.sns, stack.ses, stack.sqs, CLOCK);
        CLOCK.set(local("2026-12-01T10:00"));
        stack.customer("cpa-declared", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST.getId(),
            CLOCK.instant());
        queue(notification("cpa-declared"));

        stack.deliver(declared, stack.smsQueue, stack.receive(stack.smsQueue));

        assertThat(sms("cpa-declared")).isEmpty();
        assertThat(stack.ledgerEntry("cpa-declared", "ELEC-CPT-01#sms").get("deferredUntil").s())
            .isEqualTo(local("2026-12-02T08:00").toString());
    }

    private static void assertDeferredThenSent(String customerId, Instant at, Instant allowed) {
        CLOCK.set(at);
        stack.customer(customerId, Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST.getId(), at);
        queue(notification(customerId));

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(sms(customerId)).isEmpty();
        Map<String, AttributeValue> deferred = stack.ledgerEntry(customerId, "ELEC-CPT-01#sms");
        assertThat(deferred.get("status").s()).isEqualTo(NotificationLedger.DEFERRED);
        assertThat(deferred.get("reason").s()).isEqualTo("quiet_hours");
        assertThat(deferred.get("deferredUntil").s()).isEqualTo(allowed.toString());

        // one second before the window opens the re-queued copy goes round again; at the opening it is sent
        CLOCK.set(allowed.minusSeconds(1));
        assertThat(stack.deliver(deliver, stack.smsQueue, await(1))).isEmpty();
        assertThat(sms(customerId)).isEmpty();
        CLOCK.set(allowed);
        assertThat(stack.deliver(deliver, stack.smsQueue, await(1))).isEmpty();
        assertThat(sms(customerId)).hasSize(1);
        assertThat(stack.ledgerEntry(customerId, "ELEC-CPT-01#sms").get("sentAt").s()).isEqualTo(allowed.toString());
    }

    private static Notification notification(String customerId) {
        return new Notification(customerId, "ELEC-CPT-01", Channel.SMS, "ev-" + customerId, "electronics",
            "ZA/WC/cape-town", "test-1", "new_interest", false, CLOCK.instant(), "");
    }

    private static void queue(Notification notification) {
        stack.ledger().claim(notification);
        stack.ledger().transition(notification.customerId(), notification.ledgerKey(),
            List.of(NotificationLedger.PENDING), NotificationLedger.QUEUED, CLOCK.instant(), Map.of());
        stack.sqs.sendMessage(b -> b.queueUrl(stack.smsQueue).messageBody(NotificationCodec.encode(notification)));
    }

    private static List<JsonNode> sms(String customerId) {
        String phone = OfferStack.phone(customerId);
        return stack.smsSent().stream().filter(sms -> sms.path("phoneNumber").asText().equals(phone)).toList();
    }

    private static List<Message> await(int count) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            messages.addAll(stack.receive(stack.smsQueue));
        }
        assertThat(messages).as("the re-queued message within 30 s").hasSize(count);
        return messages;
    }

    private static Instant local(String dateTime) {
        return LocalDateTime.parse(dateTime).atZone(SAST).toInstant();
    }
}
