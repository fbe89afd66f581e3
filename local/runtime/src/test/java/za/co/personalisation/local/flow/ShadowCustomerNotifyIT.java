package za.co.personalisation.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.notify.NotifyHandler;
import za.co.personalisation.aws.testing.TestClock;
import za.co.personalisation.deliver.DeliverHandler;
import za.co.personalisation.deliver.OfferStack;
import za.co.personalisation.notify.NotifyHandlers;

/**
 * Issue 12, item 5, the notify and deliver half of the rule in docs/replay.md: whatever changed a shadow customer's
 * profile, and even when the profile credits a live (replay=false) event and the shadow customer has consent and
 * contact details, the notification is replayed traffic: sandbox only, never an SMS or email. Against the emulator
 * with the real SDK (notify → SNS filter policies → queues → deliver → the emulator's SMS record).
 */
@ExtendWith(MotoExtension.class)
class ShadowCustomerNotifyIT {

    private static final Instant MIDDAY = Instant.parse("2026-11-25T10:00:00Z");

    private static OfferStack stack;
    private static NotifyHandler notify;
    private static DeliverHandler deliver;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        TestClock clock = new TestClock(MIDDAY);
        stack = OfferStack.create(emulator);
        notify = NotifyHandlers.onStack(stack, stack.sns, clock);
        deliver = stack.deliverHandler(clock);
    }

    @Test
    void shadowCustomer_withConsentAndContact_isNotifiedOnlyInTheSandbox() {
        String shadow = "shadow-12345";
        stack.customer(shadow, Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg", MIDDAY);

        StreamsEventResponse response = notify.handleRequest(OfferStack.batch(List.of(
            stack.interest(shadow, "electronics", "Cape Town", "ev-shadow-1", MIDDAY, false))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        List<Message> sandbox = stack.receive(stack.sandboxQueue);
        assertThat(sandbox).singleElement().satisfies(message -> assertThat(message.body())
            .contains("\"customerId\":\"" + shadow + "\"").contains("\"replay\":true"));
        List<Message> sms = stack.receive(stack.smsQueue);
        List<Message> email = stack.receive(stack.emailQueue);
        assertThat(sms).isEmpty();
        assertThat(email).isEmpty();
        assertThat(stack.ledgerEntry(shadow, "ELEC-CPT-01#sms")).isNull();
        assertThat(stack.smsSent()).noneMatch(message -> message.path("phoneNumber").asText()
            .equals(OfferStack.phone(shadow)));
    }

    @Test
    void shadowCustomersNotification_thatReachesADeliveryQueueUnmarked_isSuppressed() {
        String shadow = "shadow-23456";
        stack.customer(shadow, Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg", MIDDAY);
        // a notification that claims to be live (replay=false), with its ledger entry, put straight on the SMS queue
        String body = "{\"schema\":\"offer-notification/1\",\"customerId\":\"" + shadow + "\",\"offerId\":"
            + "\"ELEC-CPT-01\",\"channel\":\"sms\",\"eventId\":\"ev-forged\",\"interest\":\"electronics\","
            + "\"locationRule\":\"ZA/WC/cape-town\",\"catalogVersion\":\"1\",\"trigger\":\"new_interest\","
            + "\"replay\":false,\"createdAt\":\"" + MIDDAY + "\"}";
        stack.ledger().claim(za.co.personalisation.core.notify.NotificationCodec.decode(body));
        stack.sqs.sendMessage(b -> b.queueUrl(stack.smsQueue).messageBody(body));

        List<Message> queued = stack.receive(stack.smsQueue);
        assertThat(queued).hasSize(1);
        assertThat(stack.deliver(deliver, stack.smsQueue, queued)).isEmpty();

        assertThat(stack.smsSent()).noneMatch(message -> message.path("phoneNumber").asText()
            .equals(OfferStack.phone(shadow)));
        Map<String, AttributeValue> entry = stack.ledgerEntry(shadow, "ELEC-CPT-01#sms");
        assertThat(entry.get("reason").s()).isEqualTo("replayed_traffic");
    }
}
