package za.co.personalisation.deliver;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.config.Settings;

/**
 * For the cold-start comparison only (benchmarks' ColdStart): deliver's handler with clients from the SDK's
 * defaults ({@code create()}: the default HTTP client, credential and region chains, the SDK's retries), nothing
 * primed. Not a design to deploy: its SNS and SES clients retry, so a send whose response was lost could go out
 * twice (the function's own senders never retry). Lives in deliver's package because the handler's constructor that
 * takes clients is package-private.
 */
public final class NaiveDeliverHandler {

    private NaiveDeliverHandler() {
    }

    public static DeliverHandler create(Settings settings) {
        return new DeliverHandler(settings, DynamoDbClient.create(), SnsClient.create(), SesV2Client.create(),
            SqsClient.create(), Clock.systemUTC());
    }
}
