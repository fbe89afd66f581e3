package za.co.personalisation.notify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.notify.NotificationCodec;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.aws.lambda.SnapStartPriming;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.notify.NotificationPolicy;
import za.co.personalisation.core.offer.OfferMatcher;
import za.co.personalisation.core.outcome.Holdout;

/**
 * DynamoDB Streams (profiles) → SNS. Environment: {@code OFFERS_TABLE}, {@code NOTIFICATIONS_TABLE},
 * {@code NOTIFICATIONS_TOPIC_ARN}; optional {@code FAILED_CHANGES_QUEUE_URL}, {@code MAX_OFFERS_PER_CHANGE}
 * (default 1), {@code INTEREST_SCORE_THRESHOLD} (3.0), {@code INTEREST_RELEVANCE_FLOOR} (0.1),
 * {@code OFFER_CACHE_TTL} (PT1M), {@code LEDGER_RETENTION} (P90D), {@code INTEREST_HALF_LIFE} (P14D, as enrich's);
 * {@code HOLDOUT_KEY} (required, at least 32 characters): the key of the control-group draw (core's Holdout,
 * docs/offers.md).
 */
public final class NotifyHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final OfferNotifier notifier;
    private final JsonLog log;
    /** CRaC holds resources weakly: the handler keeps its priming reachable. */
    private final SnapStartPriming priming;

    /** For the Lambda runtime. */
    public NotifyHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public NotifyHandler(Settings settings) {
        this(settings, new AwsClients(settings), Clock.systemUTC());
    }

    private NotifyHandler(Settings settings, AwsClients clients, Clock clock) {
        this(settings, clients.dynamoDb(), clients.sns(), clients.sqs(), clock);
    }

    /** For tests: the clients (e.g. with a request-counting interceptor) and the clock are given. */
    NotifyHandler(Settings settings, DynamoDbClient dynamoDb, SnsClient sns, SqsClient sqs, Clock clock) {
        JsonLog log = JsonLog.forFunction(settings.functionName("notify-function"));
        this.log = log;
        this.notifier = new OfferNotifier(
            new OfferRepository(dynamoDb, settings.require("OFFERS_TABLE"),
                settings.getDuration("OFFER_CACHE_TTL", Duration.ofMinutes(1)), clock),
            new OfferMatcher(settings.getDuration("INTEREST_HALF_LIFE", Duration.ofDays(14)),
                settings.getInt("MAX_OFFERS_PER_CHANGE", 1),
                decimal(settings, "INTEREST_SCORE_THRESHOLD", OfferMatcher.DEFAULT_SCORE_THRESHOLD),
                decimal(settings, "INTEREST_RELEVANCE_FLOOR", OfferMatcher.DEFAULT_RELEVANCE_FLOOR)),
            new NotificationPolicy(),
            new NotificationLedger(dynamoDb, settings.require("NOTIFICATIONS_TABLE"),
                settings.getDuration("LEDGER_RETENTION", Duration.ofDays(90))),
            new SnsNotificationPublisher(sns, settings.require("NOTIFICATIONS_TOPIC_ARN")),
            new FailedChangesQueue(sqs, settings.get("FAILED_CHANGES_QUEUE_URL", null), log),
            new Holdout(settings.require(Holdout.KEY_SETTING)),
            clock,
            log,
            Metrics.forService("notify", clock));
        // SnapStart: exercise the record codecs before the snapshot; nothing is read or written.
        this.priming = SnapStartPriming.register(settings.functionName("notify-function"), () -> {
            Notification sample = new Notification("snapstart-priming", "offer", Channel.SMS, "event", "electronics",
                "ZA", "v1", "new_interest", false, clock.instant(), "");
            NotificationCodec.decode(NotificationCodec.encode(sample));
            ProfileItems.fromItem(ProfileItems.toItem(Profile.empty("snapstart-priming")));
        });
    }

    private static double decimal(Settings settings, String name, double fallback) {
        String value = settings.get(name, null);
        try {
            return value == null ? fallback : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a number, not '" + value + "'");
        }
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        JsonLog.Scope invocation = log.invocation(context);
        try {
            return notifier.apply(event);
        } finally {
            invocation.close();
        }
    }

    SnapStartPriming priming() {
        return priming;
    }
}
