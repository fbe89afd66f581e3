package za.co.personalisation.notify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.notify.NotificationPolicy;
import za.co.personalisation.core.offer.OfferMatcher;

/**
 * DynamoDB Streams (profiles) → SNS. Environment: {@code OFFERS_TABLE}, {@code NOTIFICATIONS_TABLE},
 * {@code NOTIFICATIONS_TOPIC_ARN}; optional {@code MAX_OFFERS_PER_CHANGE} (default 1), {@code OFFER_CACHE_TTL}
 * (default PT1M), {@code LEDGER_RETENTION} (default P90D), {@code INTEREST_HALF_LIFE} (default P14D).
 */
public final class NotifyHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final OfferNotifier notifier;

    /** For the Lambda runtime. */
    public NotifyHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public NotifyHandler(Settings settings) {
        this(new AwsClients(settings), settings, Clock.systemUTC());
    }

    NotifyHandler(AwsClients clients, Settings settings, Clock clock) {
        var dynamoDb = clients.dynamoDb();
        this.notifier = new OfferNotifier(
            new OfferRepository(dynamoDb, settings.require("OFFERS_TABLE"),
                settings.getDuration("OFFER_CACHE_TTL", Duration.ofMinutes(1)), clock),
            new OfferMatcher(settings.getDuration("INTEREST_HALF_LIFE", Duration.ofDays(14)),
                settings.getInt("MAX_OFFERS_PER_CHANGE", 1)),
            new NotificationPolicy(),
            new NotificationLedger(dynamoDb, settings.require("NOTIFICATIONS_TABLE"),
                settings.getDuration("LEDGER_RETENTION", Duration.ofDays(90))),
            new SnsNotificationPublisher(clients.sns(), settings.require("NOTIFICATIONS_TOPIC_ARN")),
            clock,
            JsonLog.forFunction(settings.functionName("notify-function")),
            Metrics.forService("notify", clock));
    }

    NotifyHandler(OfferNotifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return notifier.apply(event);
    }
}
