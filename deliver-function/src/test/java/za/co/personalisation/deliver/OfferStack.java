package za.co.personalisation.deliver;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import za.co.personalisation.aws.testing.NotificationStack;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * The shared {@link NotificationStack} with deliver-function on it: a deliver handler built on the stack, and what
 * the SQS event source mapping does for it. Public for the notification flow tests in local/runtime, which run
 * notify and deliver on one stack.
 */
public final class OfferStack extends NotificationStack {

    private OfferStack(MotoExtension.Emulator emulator) {
        super(emulator);
    }

    /** Creates the resources in a freshly reset emulator (one stack per test class) and loads the test catalog. */
    public static OfferStack create(MotoExtension.Emulator emulator) {
        OfferStack stack = new OfferStack(emulator);
        stack.loadCatalog("/test-catalog.json");
        return stack;
    }

    /**
     * A deliver handler on this stack whose SNS client passes through {@code sns} (to fail chosen calls) and does not
     * retry, so that a test sees each failed call once (the deployed client retries a few times first).
     */
    public DeliverHandler deliverHandler(SdkCalls sns, Clock clock) {
        SnsClient client = clients.configure(SnsClient.builder()).overrideConfiguration(o -> o
            .addExecutionInterceptor(sns)
            .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())).build();
        return new DeliverHandler(settings, dynamoDb, client, ses, sqs, clock);
    }

    /** A deliver handler on this stack, with the stack's clients. */
    public DeliverHandler deliverHandler(Clock clock) {
        return new DeliverHandler(settings, dynamoDb, sns, ses, sqs, clock);
    }

    /**
     * What the SQS event source mapping does: hands the messages to the function in batches of ten and deletes
     * those the function did not report as failed.
     *
     * @return the ids of the messages reported as failed
     */
    public Set<String> deliver(DeliverHandler handler, String queueUrl, List<Message> messages) {
        Set<String> failed = new HashSet<>();
        for (int from = 0; from < messages.size(); from += 10) {
            List<Message> chunk = messages.subList(from, Math.min(from + 10, messages.size()));
            SQSEvent event = new SQSEvent();
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (Message message : chunk) {
                records.add(sqsMessage(message, queueUrl));
            }
            event.setRecords(records);
            SQSBatchResponse response = handler.handleRequest(event, null);
            Set<String> reported = new HashSet<>();
            response.getBatchItemFailures().forEach(failure -> reported.add(failure.getItemIdentifier()));
            for (Message message : chunk) {
                if (!reported.contains(message.messageId())) {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                }
            }
            failed.addAll(reported);
        }
        return failed;
    }
}
