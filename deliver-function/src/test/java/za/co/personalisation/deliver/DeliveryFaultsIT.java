package za.co.personalisation.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.core.notify.FrequencyCaps;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.notify.NotificationCodec;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.FaultProxy;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * deliver-function against a failing provider and a failing ledger (issue 13): the function's DynamoDB, SNS and
 * SES clients are the production ones ({@link AwsClients#dynamoDb()}, {@link AwsClients#snsSender()},
 * {@link AwsClients#sesV2Sender()}, SDK retries and timeouts included) pointed at a {@link FaultProxy} in front of
 * the emulator, which loses responses after the emulator applied the call or answers with server errors.
 * The promise under test: no customer gets a message twice, and nothing is silently lost; an unknown outcome is
 * recorded as {@code unknown}, never resent.
 */
@ExtendWith(MotoExtension.class)
class DeliveryFaultsIT {

    private static final Instant MIDDAY = Instant.parse("2026-11-25T10:00:00Z");
    private static final TestClock CLOCK = new TestClock(MIDDAY);
    private static final SdkCalls SNS = new SdkCalls();
    private static OfferStack stack;
    private static FaultProxy proxy;
    private static DeliverHandler deliver;
    /** How many attempts the production DynamoDB client makes for one call that keeps failing. */
    private static int dynamoDbAttempts;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) throws IOException {
        stack = OfferStack.create(emulator);
        proxy = new FaultProxy(emulator.endpoint().toString());
        Map<String, String> environment = new HashMap<>(emulator.environment());
        environment.put(AwsClients.ENDPOINT_URL, proxy.endpoint());
        AwsClients faulty = new AwsClients(Settings.of(environment));
        DynamoDbClient dynamoDb = faulty.dynamoDb();
        deliver = new DeliverHandler(stack.settings, dynamoDb, faulty.snsSender(List.of(SNS)), faulty.sesV2Sender(),
            stack.sqs, CLOCK);
        proxy.inject(call -> call.operation().equals("GetItem") && call.contains("calibration"),
            FaultProxy.Fault.SERVER_ERROR, Integer.MAX_VALUE);
        try {
            dynamoDb.getItem(b -> b.tableName("notifications-test").key(Map.of(
                "customerId", AttributeValue.fromS("calibration"), "notificationKey", AttributeValue.fromS("x"))));
        } catch (SdkException expected) {
            dynamoDbAttempts = proxy.injected().size();
        }
        assertThat(dynamoDbAttempts).as("attempts of the production DynamoDB client").isPositive();
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void reset() {
        CLOCK.set(MIDDAY);
        SNS.reset();
        proxy.clear();
        // copies an earlier test re-queued with a delay are waited for and removed too
        stack.drain(stack.smsQueue, stack.emailQueue, stack.deadLetterQueue);
    }

    // 1. SDK retries resend messages

    @Test
    void sms_whoseResponseIsLostAfterTheProviderAccepted_isSentOnce_andRecordedUnknown() {
        customer("fx-lost-sms");
        Notification notification = notification("fx-lost-sms", "ELEC-CPT-01", Channel.SMS);
        queue(notification);
        proxy.inject(call -> call.contains("Action=Publish"), FaultProxy.Fault.DROP_RESPONSE, 1);

        List<Message> received = stack.receive(stack.smsQueue);
        assertThat(stack.deliver(deliver, stack.smsQueue, received)).isEmpty();

        assertThat(proxy.injected()).hasSize(1);
        assertThat(sms("fx-lost-sms")).as("one SMS, not one per SDK attempt").hasSize(1);
        Map<String, AttributeValue> entry = entry(notification);
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.UNKNOWN);
        assertThat(entry.get("reason").s()).isEqualTo("send_outcome_unknown");
        assertThat(stack.ledger().counted("fx-lost-sms", dayWindow()))
            .as("it may have been sent: it keeps its cap slot").isEqualTo(1);

        // The same message again (SNS delivered it twice, or a redrive): still one SMS.
        queue(notification);
        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(sms("fx-lost-sms")).hasSize(1);
        assertThat(entry(notification).get("status").s()).isEqualTo(NotificationLedger.UNKNOWN);
    }

    @Test
    void email_whoseResponseIsLostAfterTheProviderAccepted_isSentOnce_andRecordedUnknown() {
        customer("fx-lost-email");
        Notification notification = notification("fx-lost-email", "BOOK-ZA-01", Channel.EMAIL);
        queue(notification);
        proxy.inject(call -> call.path().contains("/v2/email/outbound-emails"), FaultProxy.Fault.DROP_RESPONSE, 1);

        assertThat(stack.deliver(deliver, stack.emailQueue, stack.receive(stack.emailQueue))).isEmpty();

        assertThat(proxy.injected()).hasSize(1);
        assertThat(stack.emailsSent().stream().filter(email -> email.path("destinations").toString()
            .contains(OfferStack.email("fx-lost-email")))).hasSize(1);
        assertThat(entry(notification).get("status").s()).isEqualTo(NotificationLedger.UNKNOWN);
    }

    // 2. A failed sent write resends and leaks the cap

    @Test
    void sentThatCannotBeRecorded_isNeverResent_keepsItsCapSlot_andIsDeadLetteredWithTheProviderId() {
        customer("fx-unrecorded");
        Notification notification = notification("fx-unrecorded", "ELEC-CPT-01", Channel.SMS);
        queue(notification);
        proxy.inject(call -> call.operation().equals("UpdateItem") && call.contains("{\"S\":\"sent\"}"),
            FaultProxy.Fault.SERVER_ERROR, Integer.MAX_VALUE);

        List<Message> received = stack.receive(stack.smsQueue);
        assertThat(stack.deliver(deliver, stack.smsQueue, received)).isEmpty();

        assertThat(proxy.injected()).as("the sent write was tried more than once").hasSizeGreaterThan(1);
        assertThat(sms("fx-unrecorded")).hasSize(1);
        Map<String, AttributeValue> entry = entry(notification);
        assertThat(entry.get("status").s()).as("not back to queued").isEqualTo(NotificationLedger.SENDING);
        assertThat(entry).containsKey("dispatchedAt");
        assertThat(stack.ledger().counted("fx-unrecorded", dayWindow())).isEqualTo(1);
        List<Message> dead = stack.receive(stack.deadLetterQueue);
        assertThat(dead).hasSize(1);
        String providerId = sms("fx-unrecorded").get(0).path("messageId").asText();
        assertThat(dead.get(0).messageAttributes().get("reason").stringValue())
            .startsWith("sent but not recorded").contains(providerId);

        // SQS hands the message over again, now and after the lease: never a second SMS; then it is unknown.
        proxy.clear();
        assertThat(deliver.handleRequest(event(received, stack.smsQueue), null).getBatchItemFailures()).isEmpty();
        CLOCK.advance(Duration.ofMinutes(3));
        queue(notification);
        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(sms("fx-unrecorded")).hasSize(1);
        assertThat(entry(notification).get("status").s()).isEqualTo(NotificationLedger.UNKNOWN);
        assertThat(entry(notification).get("reason").s()).isEqualTo("lease_expired_after_dispatch");
    }

    // 3. A function timeout mid-batch

    @Test
    void batch_stopsSendingWhenTooLittleTimeIsLeft_andHandsTheRestBackUnstarted() {
        List<String> customers = List.of("fx-time-1", "fx-time-2", "fx-time-3");
        for (String customer : customers) {
            customer(customer);
            queue(notification(customer, "ELEC-CPT-01", Channel.SMS));
        }
        List<Message> received = stack.receive(stack.smsQueue);
        assertThat(received).hasSize(3);
        // A 30 s invocation in which every send takes 12 s: after two there are 6 s left, below the 10 s reserve.
        Context context = context(() -> 30_000 - 12_000 * SNS.count("Publish"));

        SQSBatchResponse response = deliver.handleRequest(event(received, stack.smsQueue), context);

        assertThat(SNS.count("Publish")).isEqualTo(2);
        assertThat(response.getBatchItemFailures()).hasSize(1);
        String handedBack = response.getBatchItemFailures().get(0).getItemIdentifier();
        Message last = received.stream().filter(m -> m.messageId().equals(handedBack)).findFirst().orElseThrow();
        String customer = NotificationCodec.decode(last.body()).customerId();
        assertThat(sms(customer)).isEmpty();
        Map<String, AttributeValue> entry = stack.ledgerEntry(customer, "ELEC-CPT-01#sms");
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.QUEUED);
        assertThat(entry).as("never claimed").doesNotContainKey("leaseUntil");
        received.stream().filter(m -> !m.messageId().equals(handedBack)).forEach(m -> stack.sqs.deleteMessage(
            b -> b.queueUrl(stack.smsQueue).receiptHandle(m.receiptHandle())));
    }

    @Test
    void functionDyingAfterTheProviderAccepted_isNotSentAgainWhenTheLeaseRunsOut_butRecordedUnknown() {
        customer("fx-died");
        Notification notification = notification("fx-died", "ELEC-CPT-01", Channel.SMS);
        queue(notification);
        List<Message> received = stack.receive(stack.smsQueue);
        // The sandbox dies (out of memory, killed at its timeout) the moment SNS has accepted the SMS.
        SNS.dieAfter(request -> request instanceof PublishRequest);

        assertThatThrownBy(() -> deliver.handleRequest(event(received, stack.smsQueue), null))
            .isInstanceOf(Error.class);
        SNS.reset();
        assertThat(sms("fx-died")).hasSize(1);
        assertThat(entry(notification).get("status").s()).isEqualTo(NotificationLedger.SENDING);

        // Lambda returns the whole batch; the message comes back after the visibility timeout, past the lease.
        CLOCK.advance(Duration.ofMinutes(3));
        assertThat(deliver.handleRequest(event(received, stack.smsQueue), null).getBatchItemFailures()).isEmpty();

        assertThat(sms("fx-died")).as("not sent again").hasSize(1);
        Map<String, AttributeValue> entry = entry(notification);
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.UNKNOWN);
        assertThat(entry.get("reason").s()).isEqualTo("lease_expired_after_dispatch");
    }

    // 4. A claim retried by the SDK; a failed release on the throttled path

    @Test
    void claimRetriedByTheSdkAfterItsResponseWasLost_recognisesItsOwnLease_andSends() {
        customer("fx-claim");
        Notification notification = notification("fx-claim", "ELEC-CPT-01", Channel.SMS);
        queue(notification);
        proxy.inject(call -> call.operation().equals("UpdateItem") && call.contains("leaseOwner")
            && call.contains("fx-claim"), FaultProxy.Fault.DROP_RESPONSE, 1);

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(proxy.injected()).hasSize(1);
        assertThat(sms("fx-claim")).hasSize(1);
        assertThat(entry(notification).get("status").s()).isEqualTo(NotificationLedger.SENT);
    }

    @Test
    void throttledRelease_thatFailsAtFirst_isTriedAgain_andTheRequeuedCopyIsSentLater() {
        customer("fx-release");
        Notification notification = notification("fx-release", "ELEC-CPT-01", Channel.SMS);
        queue(notification);
        SNS.failSns(request -> request instanceof PublishRequest, "Throttling");
        // Every attempt of the first release call fails, and the first attempt of the next one.
        proxy.inject(call -> call.operation().equals("UpdateItem") && call.contains("throttled")
            && call.contains("fx-release"), FaultProxy.Fault.SERVER_ERROR, dynamoDbAttempts + 1);

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(proxy.injected()).hasSize(dynamoDbAttempts + 1);
        Map<String, AttributeValue> entry = entry(notification);
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.QUEUED);
        assertThat(entry).doesNotContainKey("dispatchedAt");
        assertThat(stack.ledger().counted("fx-release", dayWindow())).isZero();

        SNS.reset();
        List<Message> copy = awaitMessages(stack.smsQueue, 1);
        assertThat(stack.deliver(deliver, stack.smsQueue, copy)).isEmpty();
        assertThat(sms("fx-release")).hasSize(1);
        assertThat(entry(notification).get("status").s()).isEqualTo(NotificationLedger.SENT);
    }

    @Test
    void copyOfANotificationHeldByAnotherAttempt_isRequeuedUntilTheLeaseEnds_notDeleted() {
        customer("fx-held");
        Notification notification = notification("fx-held", "ELEC-CPT-01", Channel.SMS);
        queue(notification);
        // An attempt claimed it and died before reaching the provider (or could not release it).
        assertThat(stack.ledger().claimDelivery("fx-held", notification.ledgerKey(), "someone-else", MIDDAY,
            Duration.ofMinutes(2))).isEqualTo(NotificationLedger.DeliveryClaim.CLAIMED);

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(sms("fx-held")).isEmpty();
        List<Message> copy = awaitMessages(stack.smsQueue, 1);
        assertThat(copy.get(0).messageAttributes().get("notBefore").stringValue())
            .isEqualTo(MIDDAY.plus(Duration.ofMinutes(2)).toString());
        CLOCK.advance(Duration.ofMinutes(3));
        assertThat(stack.deliver(deliver, stack.smsQueue, copy)).isEmpty();
        assertThat(sms("fx-held")).as(entry(notification).toString()).hasSize(1);
    }

    // 5. Give-up is recoverable: the runbook's redrive delivers it

    @Test
    void gaveUp_isDeadLetteredWithItsReasonAndChannel_andTheRunbooksRedriveDeliversIt() {
        customer("fx-redrive");
        Notification notification = notification("fx-redrive", "ELEC-CPT-01", Channel.SMS);
        queue(notification);
        SNS.failSns(request -> request instanceof PublishRequest, "InternalError");
        SNS.failWithStatus(500);
        Message received = stack.receive(stack.smsQueue).get(0);
        SQSEvent.SQSMessage fourth = OfferStack.sqsMessage(received, stack.smsQueue);
        fourth.getAttributes().put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString(), "4");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(fourth));

        assertThat(deliver.handleRequest(event, null).getBatchItemFailures()).isEmpty();
        stack.sqs.deleteMessage(b -> b.queueUrl(stack.smsQueue).receiptHandle(received.receiptHandle()));

        Map<String, AttributeValue> entry = entry(notification);
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.DEAD_LETTERED);
        assertThat(entry.get("reason").s()).isEqualTo("gave_up");
        assertThat(sms("fx-redrive")).isEmpty();

        // The provider is healthy again; the operator redrives as docs/runbook.md (delivery-dlq) says.
        SNS.reset();
        redriveDeliveryDeadLetters();

        assertThat(stack.receive(stack.deadLetterQueue)).isEmpty();
        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(sms("fx-redrive")).hasSize(1);
        assertThat(entry(notification).get("status").s()).isEqualTo(NotificationLedger.SENT);
    }

    @Test
    void movedByTheQueuesRedrivePolicy_hasNoReason_andTheRunbooksLoopWithoutTheMoveTaskDeliversIt() {
        customer("fx-moved");
        Notification notification = notification("fx-moved", "ELEC-CPT-01", Channel.SMS);
        queue(notification);
        Message queued = stack.receive(stack.smsQueue).get(0);
        stack.sqs.deleteMessage(b -> b.queueUrl(stack.smsQueue).receiptHandle(queued.receiptHandle()));
        // A queue with the template's kind of redrive policy (maxReceiveCount 2 here, 5 in the template): moto moves
        // a message past it to the dead-letter queue, as SQS does, keeping its attributes and adding no reason.
        String dlqArn = stack.sqs.getQueueAttributes(b -> b.queueUrl(stack.deadLetterQueue)
            .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String policy = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}";
        String source = stack.sqs.createQueue(b -> b.queueName("fx-moved-source").attributes(Map.of(
            QueueAttributeName.REDRIVE_POLICY, policy))).queueUrl();
        stack.sqs.sendMessage(b -> b.queueUrl(source).messageBody(queued.body())
            .messageAttributes(queued.messageAttributes()));
        for (int receive = 0; receive < 3; receive++) {
            stack.sqs.receiveMessage(b -> b.queueUrl(source).visibilityTimeout(0).waitTimeSeconds(0));
        }

        List<Message> dead = stack.receive(stack.deadLetterQueue);
        assertThat(dead).singleElement().satisfies(message -> assertThat(message.messageAttributes())
            .containsKey("channel").doesNotContainKey("reason"));

        // No move task in the emulator (moto 5.2.5): docs/runbook.md's loop for messages without a reason.
        redriveMovedDeadLetters();

        assertThat(stack.receive(stack.deadLetterQueue)).isEmpty();
        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(sms("fx-moved")).hasSize(1);
        assertThat(entry(notification).get("status").s()).isEqualTo(NotificationLedger.SENT);
    }

    /**
     * The runbook's redrive of messages the queues' redrive policy moved (no {@code reason}; SQS's move task is the
     * first choice on AWS, this loop the alternative): each goes to the queue its {@code channel} names.
     */
    private static void redriveMovedDeadLetters() {
        for (Message message : stack.receive(stack.deadLetterQueue)) {
            MessageAttributeValue channel = message.messageAttributes().get("channel");
            if (channel == null || message.messageAttributes().containsKey("reason")) {
                continue;
            }
            String queue = "sms".equals(channel.stringValue()) ? stack.smsQueue : stack.emailQueue;
            stack.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(message.body())
                .messageAttributes(message.messageAttributes()));
            stack.sqs.deleteMessage(b -> b.queueUrl(stack.deadLetterQueue).receiptHandle(message.receiptHandle()));
        }
    }

    /**
     * The runbook's redrive of messages deliver-function gave up on (SQS's move task cannot send those back to a
     * source queue, and the emulator has no move task): each message with a {@code channel} attribute and a
     * {@code reason} starting "gave up" goes to the queue its channel names, then leaves the dead-letter queue.
     * Poison and sent-but-not-recorded messages stay.
     */
    private static void redriveDeliveryDeadLetters() {
        for (Message message : stack.receive(stack.deadLetterQueue)) {
            MessageAttributeValue channel = message.messageAttributes().get("channel");
            MessageAttributeValue reason = message.messageAttributes().get("reason");
            if (channel == null || reason == null || !reason.stringValue().startsWith("gave up")) {
                continue;
            }
            String queue = "sms".equals(channel.stringValue()) ? stack.smsQueue : stack.emailQueue;
            stack.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(message.body()));
            stack.sqs.deleteMessage(b -> b.queueUrl(stack.deadLetterQueue).receiptHandle(message.receiptHandle()));
        }
    }

    private static void customer(String customerId) {
        stack.customer(customerId, Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY);
    }

    private static Notification notification(String customerId, String offerId, Channel channel) {
        return new Notification(customerId, offerId, channel, "ev-" + customerId + "-" + offerId, "electronics",
            "ZA/WC/cape-town", "test-1", "new_interest", false, MIDDAY, "");
    }

    private static void queue(Notification notification) {
        stack.queue(notification, MIDDAY);
    }

    private static Map<String, AttributeValue> entry(Notification notification) {
        return stack.ledgerEntry(notification.customerId(), notification.ledgerKey());
    }

    private static FrequencyCaps.Window dayWindow() {
        return new FrequencyCaps.Window(Channel.SMS, FrequencyCaps.Period.DAY, "cap#sms#day#2026-11-25", 2,
            MIDDAY.plus(Duration.ofDays(1)));
    }

    private static List<JsonNode> sms(String customerId) {
        return stack.smsTo(customerId);
    }

    private static SQSEvent event(List<Message> messages, String queueUrl) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        messages.forEach(message -> records.add(OfferStack.sqsMessage(message, queueUrl)));
        event.setRecords(records);
        return event;
    }

    private static List<Message> awaitMessages(String queueUrl, int count) {
        return stack.await(queueUrl, count);
    }

    /**
     * The Lambda context of an invocation whose remaining time the test decides (the only thing deliver reads from
     * it; every other method answers null or 0).
     */
    private static Context context(IntSupplier remainingMillis) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
            (proxy, method, arguments) -> switch (method.getName()) {
                case "getRemainingTimeInMillis" -> remainingMillis.getAsInt();
                case "getMemoryLimitInMB" -> 0;
                default -> null;
            });
    }
}
