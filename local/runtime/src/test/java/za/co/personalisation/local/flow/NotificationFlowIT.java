package za.co.personalisation.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.notify.NotifyHandler;
import za.co.personalisation.aws.testing.TestClock;
import za.co.personalisation.deliver.DeliverHandler;
import za.co.personalisation.deliver.OfferStack;
import za.co.personalisation.deliver.SdkCalls;
import za.co.personalisation.notify.NotifyHandlers;

/**
 * The promises, end to end against the emulator with the real SDK: a profile change (as enrich writes it)
 * → notify-function → SNS (PublishBatch, filter policies from template.yaml) → the channel queues → deliver-function
 * → the emulator's SMS and email record. The clock is the test's: 10:00 UTC is midday in Johannesburg.
 */
@ExtendWith(MotoExtension.class)
class NotificationFlowIT {

    private static final Instant MIDDAY = Instant.parse("2026-11-25T10:00:00Z");
    private static final String SAST = "Africa/Johannesburg";

    private static OfferStack stack;
    private static final TestClock CLOCK = new TestClock(MIDDAY);
    private static final SdkCalls SNS_CALLS = new SdkCalls();
    private static NotifyHandler notify;
    private static DeliverHandler deliver;
    private static ExecutorService threads;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = OfferStack.create(emulator);
        SnsClient countedSns = stack.clients.configure(SnsClient.builder())
            .overrideConfiguration(o -> o.addExecutionInterceptor(SNS_CALLS)).build();
        notify = NotifyHandlers.onStack(stack, countedSns, CLOCK);
        deliver = stack.deliverHandler(CLOCK);
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopThreads() {
        threads.shutdownNow();
    }

    @BeforeEach
    void middayAndEmptyQueues() {
        CLOCK.set(MIDDAY);
        SNS_CALLS.reset();
        stack.drain(stack.smsQueue, stack.emailQueue, stack.auditQueue, stack.sandboxQueue, stack.deadLetterQueue);
    }

    @Test
    void drain_removesDelayedCopiesToo_soNoTestReceivesAnEarlierTestsMessage() throws InterruptedException {
        // what deliver does when another attempt holds the entry's lease: re-queue the copy with a delay
        stack.sqs.sendMessage(b -> b.queueUrl(stack.smsQueue).messageBody("{\"late\":true}").delaySeconds(1));

        stack.drain(stack.smsQueue);
        Thread.sleep(1_500);

        assertThat(stack.receive(stack.smsQueue)).isEmpty();
    }

    @Test
    void consentRevokedBeforeMatching_nothingIsPublishedOrSent() {
        stack.customer("flow-no-consent", Consent.State.REVOKED, Consent.State.REVOKED, "en-ZA", SAST, MIDDAY);

        notify(stack.interest("flow-no-consent", "electronics", "Cape Town", "ev-nc-1", MIDDAY, false));

        assertThat(stack.receive(stack.auditQueue)).isEmpty();
        assertThat(stack.receive(stack.smsQueue)).isEmpty();
        assertThat(stack.ledgerEntry("flow-no-consent", "ELEC-CPT-01#sms")).isNull();
        assertThat(smsTo("flow-no-consent")).isEmpty();
    }

    @Test
    void consentRevokedAfterMatching_isHonouredAtSendTime() {
        stack.customer("flow-opt-out", Consent.State.GRANTED, Consent.State.REVOKED, "en-ZA", SAST, MIDDAY);
        notify(stack.interest("flow-opt-out", "electronics", "Cape Town", "ev-oo-1", MIDDAY, false));
        List<Message> queued = stack.receive(stack.smsQueue);
        assertThat(queued).hasSize(1);

        stack.consent("flow-opt-out", Channel.SMS, Consent.State.REVOKED, MIDDAY.plusSeconds(5));
        assertThat(stack.deliver(deliver, stack.smsQueue, queued)).isEmpty();

        assertThat(smsTo("flow-opt-out")).isEmpty();
        Map<String, AttributeValue> entry = stack.ledgerEntry("flow-opt-out", "ELEC-CPT-01#sms");
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.SUPPRESSED);
        assertThat(entry.get("reason").s()).isEqualTo("no_consent");
    }

    @Test
    void sameStreamRecordTwice_inParallel_andReplayed_reachesTheCustomerOnce() throws Exception {
        stack.customer("flow-once", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, MIDDAY);
        DynamodbEvent.DynamodbStreamRecord change = stack.interest("flow-once", "electronics", "Cape Town",
            "ev-once-1", MIDDAY, false);

        notify(change, change);
        notify(change);
        List<Future<StreamsEventResponse>> parallel = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            parallel.add(threads.submit((Callable<StreamsEventResponse>) () -> notify.handleRequest(
                OfferStack.batch(List.of(change)), null)));
        }
        for (Future<StreamsEventResponse> result : parallel) {
            assertThat(result.get().getBatchItemFailures()).isEmpty();
        }
        // The analysts replay the same customer's traffic: marked replay=true, it goes to the sandbox only.
        notify(stack.interest("flow-once", "books", "Cape Town", "ev-once-replayed", MIDDAY.plusSeconds(1), true));
        List<Message> smsQueued = stack.receive(stack.smsQueue);
        List<Future<java.util.Set<String>>> deliveries = new ArrayList<>();
        for (Message message : smsQueued) {
            deliveries.add(threads.submit(() -> stack.deliver(deliver, stack.smsQueue, List.of(message))));
        }
        for (Future<java.util.Set<String>> delivery : deliveries) {
            assertThat(delivery.get()).isEmpty();
        }

        assertThat(smsTo("flow-once")).hasSize(1);
        assertThat(smsTo("flow-once").get(0).path("message").asText()).startsWith("Electronics week");
        List<Message> sandbox = stack.receive(stack.sandboxQueue);
        assertThat(sandbox).hasSize(1);
        assertThat(sandbox.get(0).body()).contains("\"offerId\":\"BOOK-ZA-01\"").contains("\"replay\":true");
        assertThat(stack.ledgerEntry("flow-once", "replay#BOOK-ZA-01#sms").get("status").s())
            .isEqualTo(NotificationLedger.QUEUED);
        assertThat(stack.ledgerEntry("flow-once", "ELEC-CPT-01#sms").get("status").s())
            .isEqualTo(NotificationLedger.SENT);
    }

    @Test
    void quietHours_deferTheMessageToEightInTheMorning_thenItIsSent() {
        Instant evening = Instant.parse("2026-11-25T19:30:00Z");
        Instant eight = Instant.parse("2026-11-26T06:00:00Z");
        CLOCK.set(evening);
        stack.customer("flow-night", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, evening);
        notify(stack.interest("flow-night", "electronics", "Cape Town", "ev-night-1", evening, false));

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(smsTo("flow-night")).isEmpty();
        Map<String, AttributeValue> deferred = stack.ledgerEntry("flow-night", "ELEC-CPT-01#sms");
        assertThat(deferred.get("status").s()).isEqualTo(NotificationLedger.DEFERRED);
        assertThat(deferred.get("reason").s()).isEqualTo("quiet_hours");
        assertThat(deferred.get("deferredUntil").s()).isEqualTo(eight.toString());

        // Still night when the re-queued copy comes back: it goes round again, untouched.
        CLOCK.set(Instant.parse("2026-11-25T23:00:00Z"));
        List<Message> early = awaitMessages(stack.smsQueue);
        assertThat(early).hasSize(1);
        assertThat(early.get(0).messageAttributes().get("notBefore").stringValue()).isEqualTo(eight.toString());
        assertThat(stack.deliver(deliver, stack.smsQueue, early)).isEmpty();
        assertThat(smsTo("flow-night")).isEmpty();

        CLOCK.set(eight.plusSeconds(30));
        List<Message> morning = awaitMessages(stack.smsQueue);
        assertThat(morning).hasSize(1);
        assertThat(stack.deliver(deliver, stack.smsQueue, morning)).isEmpty();

        assertThat(smsTo("flow-night")).hasSize(1);
        Map<String, AttributeValue> sent = stack.ledgerEntry("flow-night", "ELEC-CPT-01#sms");
        assertThat(sent.get("status").s()).isEqualTo(NotificationLedger.SENT);
        assertThat(sent.get("sentAt").s()).isEqualTo(eight.plusSeconds(30).toString());
    }

    @Test
    void capReached_theThirdSmsOfTheDayWaitsForTheNextDay_andItsMorning_thenIsSent() {
        stack.customer("flow-capped", Consent.State.GRANTED, Consent.State.REVOKED, "en-ZA", SAST, MIDDAY);
        String[] interests = {"books", "garden", "toys"};
        for (int i = 0; i < interests.length; i++) {
            CLOCK.set(MIDDAY.plus(Duration.ofMinutes(10L * i)));
            notify(stack.interest("flow-capped", interests[i], "Durban", "ev-cap-" + i, CLOCK.instant(), false));
            assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        }

        assertThat(smsTo("flow-capped")).hasSize(2);
        Instant midnight = Instant.parse("2026-11-25T22:00:00Z");
        Map<String, AttributeValue> third = stack.ledgerEntry("flow-capped", "TOYS-ZA-01#sms");
        assertThat(third.get("status").s()).isEqualTo(NotificationLedger.DEFERRED);
        assertThat(third.get("reason").s()).isEqualTo("capped");
        assertThat(third.get("cap").s()).isEqualTo("cap#sms#day#2026-11-25");
        assertThat(third.get("deferredUntil").s()).as("midnight in Johannesburg").isEqualTo(midnight.toString());

        // The new day begins at night: quiet hours keep it until eight.
        CLOCK.set(midnight.plusSeconds(30));
        assertThat(stack.deliver(deliver, stack.smsQueue, awaitMessages(stack.smsQueue))).isEmpty();
        assertThat(smsTo("flow-capped")).hasSize(2);
        Instant eight = Instant.parse("2026-11-26T06:00:00Z");
        assertThat(stack.ledgerEntry("flow-capped", "TOYS-ZA-01#sms").get("reason").s()).isEqualTo("quiet_hours");

        CLOCK.set(eight.plusSeconds(30));
        assertThat(stack.deliver(deliver, stack.smsQueue, awaitMessages(stack.smsQueue))).isEmpty();
        assertThat(smsTo("flow-capped")).hasSize(3);
        assertThat(stack.ledgerEntry("flow-capped", "TOYS-ZA-01#sms").get("status").s())
            .isEqualTo(NotificationLedger.SENT);
    }

    @Test
    void capReached_whenTheOfferEndsBeforeTheNextWindow_theSmsIsSuppressedAsCapped() {
        // 11:00 on the offers' last day in Honolulu; their day ends after the offers (23:59:59 UTC) do.
        Instant lastDay = Instant.parse("2027-12-31T21:00:00Z");
        stack.customer("flow-capped-end", Consent.State.GRANTED, Consent.State.REVOKED, "en-ZA", "Pacific/Honolulu",
            lastDay);
        String[] interests = {"books", "garden", "toys"};
        for (int i = 0; i < interests.length; i++) {
            CLOCK.set(lastDay.plus(Duration.ofMinutes(10L * i)));
            notify(stack.interest("flow-capped-end", interests[i], "Durban", "ev-cap-end-" + i, CLOCK.instant(),
                false));
            assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        }

        assertThat(smsTo("flow-capped-end")).hasSize(2);
        Map<String, AttributeValue> third = stack.ledgerEntry("flow-capped-end", "TOYS-ZA-01#sms");
        assertThat(third.get("status").s()).isEqualTo(NotificationLedger.SUPPRESSED);
        assertThat(third.get("reason").s()).isEqualTo("capped");
        assertThat(third.get("cap").s()).isEqualTo("cap#sms#day#2027-12-31");
        assertThat(third.get("capLimit").s()).isEqualTo("2");
    }

    @Test
    void erasedCustomer_nothingIsSent_andNoContactIsLeftToRead() {
        stack.customer("flow-erased", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, MIDDAY);
        stack.customer("flow-erased-2", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, MIDDAY);
        notify(stack.interest("flow-erased", "electronics", "Cape Town", "ev-er-1", MIDDAY, false),
            stack.interest("flow-erased-2", "electronics", "Cape Town", "ev-er-2", MIDDAY, false));
        // only this test's customers: a copy another test re-queued with a delay can become visible in between
        List<Message> queued = stack.receive(stack.smsQueue).stream()
            .filter(message -> message.body().matches("(?s).*\"customerId\"\\s*:\\s*\"flow-erased.*")).toList();
        assertThat(queued).hasSize(2);

        // Erasure (built by the customer endpoints and enrich): profile and contact gone; for the second
        // customer the ledger too.
        for (String customer : List.of("flow-erased", "flow-erased-2")) {
            stack.dynamoDb.deleteItem(b -> b.tableName("profiles-test").key(key(customer)));
            stack.dynamoDb.deleteItem(b -> b.tableName("contacts-test").key(key(customer)));
        }
        assertThat(stack.ledger().deleteAll("flow-erased-2")).isEqualTo(1);
        assertThat(stack.deliver(deliver, stack.smsQueue, queued)).isEmpty();

        assertThat(smsTo("flow-erased")).isEmpty();
        assertThat(smsTo("flow-erased-2")).isEmpty();
        assertThat(stack.dynamoDb.getItem(b -> b.tableName("contacts-test").key(key("flow-erased"))).hasItem())
            .isFalse();
        // the entry notify claimed before the erasure is not kept either (issue 12, item 7)
        assertThat(stack.ledgerEntry("flow-erased", "ELEC-CPT-01#sms")).isNull();
        assertThat(stack.ledgerEntry("flow-erased-2", "ELEC-CPT-01#sms")).isNull();
    }

    @Test
    void thirtyNotificationsReady_takeThreePublishBatchCalls() {
        List<DynamodbEvent.DynamodbStreamRecord> changes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String customer = "flow-batch-" + i;
            stack.customer(customer, Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", SAST, MIDDAY);
            changes.add(stack.interest(customer, "electronics", "Cape Town", "ev-batch-" + i, MIDDAY, false));
        }

        notify(changes.toArray(DynamodbEvent.DynamodbStreamRecord[]::new));

        int calls = SNS_CALLS.count("PublishBatch") + SNS_CALLS.count("Publish");
        assertThat(calls).isEqualTo(3);
        assertThat((double) calls / 30).isLessThanOrEqualTo(0.1);
        // only this test's customers: a message another test re-queued with a delay, or received without deleting,
        // can become visible again in between, whatever the order the tests run in
        List<Message> sms = ofThisTest(stack.receive(stack.smsQueue));
        assertThat(sms).hasSize(30);
        assertThat(sms.get(0).messageAttributes().get("channel").stringValue()).isEqualTo("sms");
        assertThat(sms.get(0).messageAttributes().get("replay").stringValue()).isEqualTo("false");
        assertThat(ofThisTest(stack.receive(stack.auditQueue))).hasSize(30);
        assertThat(ofThisTest(stack.receive(stack.sandboxQueue))).isEmpty();
    }

    private static List<Message> ofThisTest(List<Message> messages) {
        return messages.stream()
            .filter(message -> message.body().matches("(?s).*\"customerId\"\\s*:\\s*\"flow-batch-.*")).toList();
    }

    private static void notify(DynamodbEvent.DynamodbStreamRecord... records) {
        StreamsEventResponse response = notify.handleRequest(OfferStack.batch(List.of(records)), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    private static List<JsonNode> smsTo(String customerId) {
        String phone = stack.dynamoDb.getItem(b -> b.tableName("contacts-test").key(key(customerId))).hasItem()
            ? stack.dynamoDb.getItem(b -> b.tableName("contacts-test").key(key(customerId))).item().get("phone").s()
            : OfferStack.phone(customerId);
        return stack.smsSent().stream().filter(sms -> sms.path("phoneNumber").asText().equals(phone)).toList();
    }

    private static Map<String, AttributeValue> key(String customerId) {
        return Map.of("customerId", AttributeValue.fromS(customerId));
    }

    /** Polls a queue until a re-queued (delayed) message is visible; the machine may be slow. */
    private static List<Message> awaitMessages(String queueUrl) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> messages = stack.receive(queueUrl);
            if (!messages.isEmpty()) {
                return messages;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("no message became visible on " + queueUrl + " within 30 s");
    }
}
