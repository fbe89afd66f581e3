package za.co.personalisation.notify;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.config.Settings;

/**
 * For the cold-start comparison only: notify's handler with clients from the SDK's defaults ({@code create()}: the
 * default HTTP client, credential and region chains, the SDK's retries), nothing primed. Lives in notify's package
 * because the handler's constructor that takes clients is package-private.
 */
public final class NaiveNotifyHandler {

    private NaiveNotifyHandler() {
    }

    public static NotifyHandler create(Settings settings) {
        return new NotifyHandler(settings, DynamoDbClient.create(), SnsClient.create(), SqsClient.create(),
            Clock.systemUTC());
    }
}
