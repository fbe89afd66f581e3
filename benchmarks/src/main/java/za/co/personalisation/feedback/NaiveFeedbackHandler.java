package za.co.personalisation.feedback;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.benchmarks.coldstart.NaiveKinesis;

/**
 * For the cold-start comparison only (benchmarks' ColdStart): feedback's handler with clients from the SDK's
 * defaults ({@code create()}: the default HTTP client, credential and region chains, the SDK's retries), nothing
 * primed; on the emulator its Kinesis client speaks JSON, as the function's own build does there. Kept in feedback's
 * package beside the other naive builds' pattern.
 */
public final class NaiveFeedbackHandler {

    private NaiveFeedbackHandler() {
    }

    public static FeedbackHandler create(Settings settings) {
        return new FeedbackHandler(settings, DynamoDbClient.create(), NaiveKinesis.client(settings),
            SqsClient.create(), Clock.systemUTC());
    }
}
