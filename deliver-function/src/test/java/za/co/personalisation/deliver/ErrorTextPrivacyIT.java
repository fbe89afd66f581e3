package za.co.personalisation.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.log.LogSink;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.notify.NotificationCodec;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Issue 12, item 6: a provider error that names the customer's phone number (SNS's AuthorizationError) goes
 * through deliver-function's retry and dead-letter paths; neither a log line, the dead-letter {@code reason}
 * attribute nor the ledger entry holds the number.
 */
@ExtendWith(MotoExtension.class)
class ErrorTextPrivacyIT {

    private static final Instant MIDDAY = Instant.parse("2026-11-25T10:00:00Z");
    private static final SdkCalls SNS = new SdkCalls();
    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private static OfferStack stack;
    private static DeliverHandler deliver;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = OfferStack.create(emulator);
        deliver = stack.deliverHandler(SNS, new TestClock(MIDDAY));
        JsonLog.setDefaultSink(LINES::add);
    }

    @AfterAll
    static void restoreLog() {
        JsonLog.setDefaultSink(LogSink.stdout());
    }

    @Test
    void authorizationErrorNamingThePhone_isRetriedAndDeadLettered_withoutTheNumberAnywhere() {
        stack.customer("pii-err", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY);
        String phone = OfferStack.phone("pii-err");
        String digits = phone.substring(3);
        Notification notification = new Notification("pii-err", "ELEC-CPT-01", Channel.SMS, "ev-pii-err",
            "electronics", "ZA/WC/cape-town", "test-1", "new_interest", false, MIDDAY, "");
        stack.ledger().claim(notification);
        stack.ledger().transition("pii-err", notification.ledgerKey(), List.of(NotificationLedger.PENDING),
            NotificationLedger.QUEUED, MIDDAY, Map.of());
        stack.sqs.sendMessage(b -> b.queueUrl(stack.smsQueue).messageBody(NotificationCodec.encode(notification)));
        // What SNS answers a publisher whose role may not publish to this number (HTTP 403): it names the number.
        SNS.failSns(request -> request instanceof PublishRequest publish && phone.equals(publish.phoneNumber()),
            "AuthorizationError");
        SNS.failWithStatus(403);
        SNS.failWithMessage("User: arn:aws:sts::123456789012:assumed-role/deliver/fn is not authorized to perform:"
            + " SNS:Publish on resource: " + phone);

        List<Message> received = stack.receive(stack.smsQueue);
        assertThat(stack.deliver(deliver, stack.smsQueue, received)).hasSize(1);
        SQSEvent.SQSMessage last = OfferStack.sqsMessage(received.get(0), stack.smsQueue);
        last.getAttributes().put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString(), "4");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(last));
        assertThat(deliver.handleRequest(event, null).getBatchItemFailures()).isEmpty();

        List<Message> dead = stack.receive(stack.deadLetterQueue);
        assertThat(dead).hasSize(1);
        String reason = dead.get(0).messageAttributes().get("reason").stringValue();
        assertThat(reason).startsWith("gave up after 4 receives: AuthorizationErrorException")
            .contains("on resource: [phone]").doesNotContain(digits);
        assertThat(LINES).anySatisfy(line -> assertThat(line).contains("delivery.retry").contains("[phone]"))
            .anySatisfy(line -> assertThat(line).contains("delivery.dead_lettered"))
            .allSatisfy(line -> assertThat(line).doesNotContain(digits));
        Map<String, AttributeValue> entry = stack.ledgerEntry("pii-err", notification.ledgerKey());
        // given up, not finished: a redrive of the dead-lettered message delivers it (issue 13)
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.DEAD_LETTERED);
        assertThat(entry.toString()).doesNotContain(digits);
        stack.sqs.deleteMessage(b -> b.queueUrl(stack.smsQueue).receiptHandle(received.get(0).receiptHandle()));
    }
}
