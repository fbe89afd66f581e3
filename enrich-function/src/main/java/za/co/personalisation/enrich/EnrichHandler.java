package za.co.personalisation.enrich;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.profile.ProfileMerger;

/**
 * Kinesis → DynamoDB profiles. Environment: {@code PROFILES_TABLE}, {@code FAILED_EVENTS_QUEUE_URL}, optional
 * {@code INTEREST_HALF_LIFE} (ISO-8601, default P14D) and {@code REMEMBERED_EVENTS} (default 200).
 */
public final class EnrichHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private final ProfileEnricher enricher;

    /** For the Lambda runtime. */
    public EnrichHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public EnrichHandler(Settings settings) {
        this(new AwsClients(settings), settings, Clock.systemUTC());
    }

    EnrichHandler(AwsClients clients, Settings settings, Clock clock) {
        this(new ProfileEnricher(
            new ProfileStore(clients.dynamoDb(), settings.require("PROFILES_TABLE")),
            new ProfileMerger(settings.getDuration("INTEREST_HALF_LIFE", Duration.ofDays(14)),
                settings.getInt("REMEMBERED_EVENTS", 200)),
            new FailedEventsQueue(clients.sqs(), settings.require("FAILED_EVENTS_QUEUE_URL")),
            clock,
            JsonLog.forFunction(settings.functionName("enrich-function")),
            Metrics.forService("enrich", clock)));
    }

    EnrichHandler(ProfileEnricher enricher) {
        this.enricher = enricher;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return enricher.apply(event);
    }
}
