package za.co.personalisation.enrich;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.log.LogSink;

/**
 * For the cold-start comparison only (benchmarks' ColdStart): enrich's handler built the naive way, with clients
 * from {@code DynamoDbClient.create()}: the SDK's default HTTP client (Apache when on the class path), the default
 * credential and region chains, the SDK's own retries; nothing primed. Lives in enrich's package because the
 * handler's constructor that takes clients is package-private.
 */
public final class NaiveEnrichHandler {

    private NaiveEnrichHandler() {
    }

    public static EnrichHandler create(Settings settings) {
        return new EnrichHandler(DynamoDbClient.create(), SqsClient.create(), settings, Clock.systemUTC(),
            LogSink.delegating());
    }
}
