package za.co.personalisation.local.feedback;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sns.SnsClient;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.local.api.LocalPages;
import za.co.personalisation.local.outbox.Outbox;

/**
 * Delivery feedback on the local stack: the providers' receipts ({@link ReceiptSimulator}, every second) and the
 * local endpoints for replies and mail events ({@link LocalFeedbackApi}), all published to the template's feedback
 * topic, whence the feedback function takes them as on AWS.
 */
public final class LocalFeedback implements AutoCloseable {

    /** How long after a message is sent its "delivered" receipt is published locally. */
    public static final Duration RECEIPT_DELAY = Duration.ofSeconds(2);

    private final ReceiptSimulator receipts;
    private final LocalFeedbackApi api;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "receipts");
        thread.setDaemon(true);
        return thread;
    });
    private final JsonLog log = JsonLog.forFunction("local-runtime");

    public LocalFeedback(Outbox outbox, SnsClient sns, String topicArn, Clock clock, Duration receiptDelay) {
        java.util.function.Consumer<String> publish = message -> sns.publish(b -> b.topicArn(topicArn)
            .message(message));
        this.receipts = new ReceiptSimulator(outbox::sent, publish, clock, receiptDelay);
        this.api = new LocalFeedbackApi(publish, outbox::sent, clock::instant);
    }

    /** Adds {@code POST /local/inbound-sms} and {@code POST /local/email-events} to the local pages. */
    public LocalPages routes(LocalPages pages) {
        return pages.action("inbound-sms", api::inboundSms).action("email-events", api::emailEvent);
    }

    public void start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                receipts.tick();
            } catch (RuntimeException e) {
                log.warn("receipts.failed").with("errorType", e.getClass().getSimpleName()).log();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
