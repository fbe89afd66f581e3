package za.co.personalisation.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.core.notify.FrequencyCaps;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.core.offer.SmsText;

/**
 * deliver-function against the emulator: rendering per locale, provider throttling, provider refusals, transient
 * failures and poison messages, leases, replayed traffic and withdrawn offers. Notifications are queued here the way
 * notify-function queues them (ledger claim, then the message on the channel queue).
 */
@ExtendWith(MotoExtension.class)
class DeliverHandlerIT {

    private static final Instant MIDDAY = Instant.parse("2026-11-25T10:00:00Z");
    private static final TestClock CLOCK = new TestClock(MIDDAY);
    private static final SdkCalls SNS = new SdkCalls();
    private static OfferStack stack;
    private static DeliverHandler deliver;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = OfferStack.create(emulator);
        // No SDK retries: the test sees each throttled call once (the deployed client retries a few times first).
        SnsClient sns = stack.clients.configure(SnsClient.builder()).overrideConfiguration(o -> o
            .addExecutionInterceptor(SNS).retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        deliver = new DeliverHandler(stack.settings, stack.dynamoDb, sns, stack.ses, stack.sqs, CLOCK);
    }

    @BeforeEach
    void reset() {
        CLOCK.set(MIDDAY);
        SNS.reset();
        stack.drain(stack.smsQueue, stack.emailQueue, stack.deadLetterQueue);
    }

    @Test
    void email_isRenderedInTheCustomersLocale_withAnUnsubscribeLink() {
        stack.customer("dl-af", Consent.State.REVOKED, Consent.State.GRANTED, "af-ZA", "Africa/Johannesburg", MIDDAY);
        queue(notification("dl-af", "ELEC-CPT-01", Channel.EMAIL, false));

        assertThat(stack.deliver(deliver, stack.emailQueue, stack.receive(stack.emailQueue))).isEmpty();

        JsonNode email = stack.emailsSent().stream().filter(e -> e.path("destinations").path("ToAddresses")
            .toString().contains(OfferStack.email("dl-af"))).findFirst().orElseThrow();
        assertThat(email.path("subject").asText()).isEqualTo("Elektronika-week in Kaapstad");
        assertThat(email.path("body").asText()).startsWith("15% af op skootrekenaars")
            .endsWith("Unsubscribe: " + OfferStack.UNSUBSCRIBE_URL + "dl-af");
        Map<String, AttributeValue> entry = stack.ledgerEntry("dl-af", "ELEC-CPT-01#email");
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.SENT);
        assertThat(entry.get("locale").s()).isEqualTo("af-ZA");
        assertThat(entry.get("providerMessageId").s()).isEqualTo(email.path("messageId").asText());
    }

    @Test
    void sms_fitsOneSegment_andEndsWithTheOptOut() {
        stack.customer("dl-sms", Consent.State.GRANTED, Consent.State.REVOKED, "en-ZA", "Africa/Johannesburg",
            MIDDAY);
        queue(notification("dl-sms", "ELEC-CPT-01", Channel.SMS, false));

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        String text = sms("dl-sms").get(0).path("message").asText();
        assertThat(text).endsWith(SmsText.OPT_OUT);
        assertThat(SmsText.gsm7Septets(text)).isBetween(1, SmsText.SEGMENT);
    }

    @Test
    void throttlingProvider_backsOffTheRestOfTheBatch_andLosesNothing() {
        List<String> customers = List.of("dl-thr-1", "dl-thr-2", "dl-thr-3");
        for (String customer : customers) {
            stack.customer(customer, Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
                MIDDAY);
            queue(notification(customer, "ELEC-CPT-01", Channel.SMS, false));
        }
        SNS.failSns(request -> request instanceof PublishRequest, "Throttling");

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        // One call reached the provider; the other two messages backed off without trying.
        assertThat(SNS.count("Publish")).isEqualTo(1);
        int tried = 0;
        for (String customer : customers) {
            assertThat(sms(customer)).isEmpty();
            Map<String, AttributeValue> entry = stack.ledgerEntry(customer, "ELEC-CPT-01#sms");
            assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.QUEUED);
            tried += entry.containsKey("lastError") && entry.get("lastError").s().equals("throttled") ? 1 : 0;
        }
        assertThat(tried).isEqualTo(1);
        assertThat(stack.ledger().counted("dl-thr-1", capWindow())).isZero();

        SNS.reset();
        List<Message> retried = awaitMessages(stack.smsQueue, 3);
        assertThat(retried).allSatisfy(message -> assertThat(message.messageAttributes().get("throttled")
            .stringValue()).isEqualTo("1"));
        assertThat(stack.deliver(deliver, stack.smsQueue, retried)).isEmpty();
        for (String customer : customers) {
            assertThat(sms(customer)).hasSize(1);
        }
    }

    @Test
    void providerRefusal_isRecordedAsFailedWithTheReason_andNotRetried() {
        stack.customer("dl-refused", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY);
        queue(notification("dl-refused", "ELEC-CPT-01", Channel.SMS, false));
        SNS.failSns(request -> request instanceof PublishRequest, "InvalidParameter");

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        Map<String, AttributeValue> entry = stack.ledgerEntry("dl-refused", "ELEC-CPT-01#sms");
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.FAILED);
        assertThat(entry.get("reason").s()).isEqualTo("provider_rejected");
        assertThat(entry.get("providerError").s()).isEqualTo("InvalidParameter");
        assertThat(stack.ledger().counted("dl-refused", capWindow())).isZero();
        // only this test's customer: a copy another test re-queued with a delay can become visible in between
        assertThat(stack.receive(stack.smsQueue)).noneMatch(message -> message.body().contains("\"dl-refused\""));
    }

    @Test
    void poisonMessage_goesToTheDeadLetterQueueWithItsReason_andTheRestOfTheBatchIsDelivered() {
        stack.customer("dl-after-poison", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA",
            "Africa/Johannesburg", MIDDAY);
        stack.sqs.sendMessage(b -> b.queueUrl(stack.smsQueue).messageBody("{\"schema\":\"something-else/1\"}"));
        queue(notification("dl-after-poison", "ELEC-CPT-01", Channel.SMS, false));

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(sms("dl-after-poison")).hasSize(1);
        List<Message> dead = stack.receive(stack.deadLetterQueue);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).body()).isEqualTo("{\"schema\":\"something-else/1\"}");
        assertThat(dead.get(0).messageAttributes().get("reason").stringValue())
            .isEqualTo("not a offer-notification/1 message");
    }

    @Test
    void transientFailure_failsOnlyThatMessage_andAfterMaxReceivesDeadLettersItWithTheReason() {
        stack.customer("dl-transient", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY);
        stack.customer("dl-fine", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY);
        queue(notification("dl-transient", "ELEC-CPT-01", Channel.SMS, false));
        queue(notification("dl-fine", "BOOK-ZA-01", Channel.SMS, false));
        String transientPhone = OfferStack.phone("dl-transient");
        SNS.failSns(request -> request instanceof PublishRequest publish
            && transientPhone.equals(publish.phoneNumber()), "InternalError");
        SNS.failWithStatus(500);

        List<Message> received = stack.receive(stack.smsQueue);
        Set<String> failed = stack.deliver(deliver, stack.smsQueue, received);

        String transientId = received.stream().filter(m -> m.body().contains("dl-transient")).findFirst()
            .orElseThrow().messageId();
        assertThat(failed).containsExactly(transientId);
        assertThat(sms("dl-fine")).hasSize(1);
        assertThat(stack.ledgerEntry("dl-transient", "ELEC-CPT-01#sms").get("status").s())
            .isEqualTo(NotificationLedger.QUEUED);

        // The fourth receive of the same message: give up, with the reason, instead of the queue's silent redrive.
        Message again = received.stream().filter(m -> m.messageId().equals(transientId)).findFirst().orElseThrow();
        SQSEvent.SQSMessage fourth = OfferStack.sqsMessage(again, stack.smsQueue);
        fourth.getAttributes().put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString(), "4");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(fourth));
        SQSBatchResponse response = deliver.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sms("dl-transient")).isEmpty();
        List<Message> dead = stack.receive(stack.deadLetterQueue);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).messageAttributes().get("reason").stringValue())
            .startsWith("gave up after 4 receives: InternalErrorException");
        Map<String, AttributeValue> entry = stack.ledgerEntry("dl-transient", "ELEC-CPT-01#sms");
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.DEAD_LETTERED);
        assertThat(entry.get("reason").s()).isEqualTo("gave_up");
        stack.sqs.deleteMessage(b -> b.queueUrl(stack.smsQueue).receiptHandle(again.receiptHandle()));
    }

    @Test
    void claimHeldByALiveAttempt_isLeftAlone_butAnExpiredOneIsTakenOver() {
        stack.customer("dl-lease", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY);
        Notification notification = notification("dl-lease", "ELEC-CPT-01", Channel.SMS, false);
        queue(notification);
        // Another invocation claimed it a moment ago and is still sending.
        assertThat(stack.ledger().claimDelivery("dl-lease", notification.ledgerKey(), MIDDAY, Duration.ofMinutes(2)))
            .isEqualTo(NotificationLedger.DeliveryClaim.CLAIMED);

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(sms("dl-lease")).isEmpty();

        // That invocation crashed; its message comes back after the visibility timeout, past the lease.
        queue(notification);
        CLOCK.set(MIDDAY.plus(Duration.ofMinutes(3)));
        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(sms("dl-lease")).hasSize(1);
        assertThat(stack.ledgerEntry("dl-lease", notification.ledgerKey()).get("attempts").n()).isEqualTo("2");
    }

    @Test
    void replayedTrafficOnARealQueue_andWithdrawnOffers_areSuppressedWithTheirReasons() {
        stack.customer("dl-replay", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY);
        queue(notification("dl-replay", "ELEC-CPT-01", Channel.SMS, true));
        queue(notification("dl-replay", "GONE-01", Channel.SMS, false));

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(sms("dl-replay")).isEmpty();
        assertThat(stack.ledgerEntry("dl-replay", "replay#ELEC-CPT-01#sms").get("reason").s())
            .isEqualTo("replayed_traffic");
        assertThat(stack.ledgerEntry("dl-replay", "GONE-01#sms").get("reason").s()).isEqualTo("offer_withdrawn");
    }

    private static Notification notification(String customerId, String offerId, Channel channel, boolean replay) {
        return new Notification(customerId, offerId, channel, "ev-" + customerId + "-" + offerId, "electronics",
            "ZA/WC/cape-town", "test-1", "new_interest", replay, MIDDAY, "");
    }

    private static void queue(Notification notification) {
        stack.queue(notification, MIDDAY);
    }

    /** Today's SMS cap window (midday UTC is the same day in Johannesburg). */
    private static FrequencyCaps.Window capWindow() {
        return new FrequencyCaps.Window(Channel.SMS, FrequencyCaps.Period.DAY, "cap#sms#day#2026-11-25", 2,
            MIDDAY.plus(Duration.ofDays(1)));
    }

    private static List<JsonNode> sms(String customerId) {
        return stack.smsTo(customerId);
    }

    private static List<Message> awaitMessages(String queueUrl, int count) {
        return stack.await(queueUrl, count);
    }
}
