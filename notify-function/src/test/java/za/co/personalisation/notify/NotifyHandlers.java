package za.co.personalisation.notify;

import java.time.Clock;
import software.amazon.awssdk.services.sns.SnsClient;
import za.co.personalisation.aws.testing.NotificationStack;

/**
 * Notify handlers on a test stack, for tests outside this package (local/runtime's notification flow tests), so
 * that the handler's constructor for tests stays package-private.
 */
public final class NotifyHandlers {

    private NotifyHandlers() {
    }

    /** A notify handler on the stack's tables and topic, publishing through {@code sns}, at {@code clock}'s time. */
    public static NotifyHandler onStack(NotificationStack stack, SnsClient sns, Clock clock) {
        return new NotifyHandler(stack.settings, stack.dynamoDb, sns, stack.sqs, clock);
    }
}
