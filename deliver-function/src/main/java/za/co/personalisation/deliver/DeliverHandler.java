package za.co.personalisation.deliver;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
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
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.DeliveryOutcomes;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.notify.MessageRenderer;
import za.co.personalisation.core.notify.QuietHours;

/**
 * SQS (fed by SNS) → SMS and email. Environment: {@code PROFILES_TABLE}, {@code CONTACTS_TABLE},
 * {@code NOTIFICATIONS_TABLE}, {@code OFFERS_TABLE}, {@code SMS_QUEUE_URL}, {@code EMAIL_QUEUE_URL},
 * {@code DELIVERY_DLQ_URL}, {@code EMAIL_FROM}, {@code UNSUBSCRIBE_URL}; optional {@code EXTRA_PUBLIC_HOLIDAYS}
 * (comma-separated ISO dates declared at short notice; the quiet hours themselves are the Consumer Protection Act's
 * and cannot be set: {@code QUIET_HOURS} or {@code QUIET_HOURS_EXEMPT_STAGES} stop the function),
 * {@code SMS_CAP_PER_DAY} (2),
 * {@code SMS_CAP_PER_WEEK} (5), {@code EMAIL_CAP_PER_DAY} (3), {@code EMAIL_CAP_PER_WEEK} (10),
 * {@code DEFAULT_TIME_ZONE} (Africa/Johannesburg), {@code DELIVERY_LEASE} (PT2M), {@code REQUEUE_MAX_DELAY}
 * (PT15M), {@code THROTTLE_BACKOFF} (PT2S), {@code DELIVERY_MAX_RECEIVES} (4), {@code OFFER_CACHE_TTL} (PT1M),
 * {@code LEDGER_RETENTION} (P90D), {@code DELIVERY_TIME_RESERVE} (PT10S). See docs/offers.md and, for what
 * happens when a send's outcome is unknown, docs/architecture.md (Delivery semantics).
 */
public final class DeliverHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Deliverer deliverer;
    private final JsonLog log;
    /** CRaC holds resources weakly: the handler keeps its priming reachable. */
    private final SnapStartPriming priming;

    /** For the Lambda runtime. */
    public DeliverHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public DeliverHandler(Settings settings) {
        this(settings, new AwsClients(settings), Clock.systemUTC());
    }

    /**
     * For the local runtime only, which sends at any hour so that the demo stack can be tried at night and on
     * Sundays ({@link QuietHours#NONE}). Lambda calls the no-argument constructor, so no deployed stage can reach
     * this, and no environment variable switches the quiet hours off.
     */
    public DeliverHandler(Settings settings, QuietHours quietHours) {
        this(settings, new AwsClients(settings), Clock.systemUTC(), DeliverySettings.from(settings, quietHours));
    }

    private DeliverHandler(Settings settings, AwsClients clients, Clock clock) {
        this(settings, clients, clock, DeliverySettings.from(settings));
    }

    private DeliverHandler(Settings settings, AwsClients clients, Clock clock, DeliverySettings delivery) {
        // The senders never retry: a retried Publish or SendEmail whose first response was lost sends twice.
        this(settings, clients.dynamoDb(), clients.snsSender(), clients.sesV2Sender(), clients.sqs(), clock,
            delivery);
    }

    /**
     * For tests: the clients (e.g. with a throttling or counting interceptor) and the clock are given. The SNS and
     * SES clients must not retry (see {@link AwsClients#snsSender()}).
     */
    DeliverHandler(Settings settings, DynamoDbClient dynamoDb, SnsClient sns, SesV2Client ses, SqsClient sqs,
        Clock clock) {
        this(settings, dynamoDb, sns, ses, sqs, clock, DeliverySettings.from(settings));
    }

    private DeliverHandler(Settings settings, DynamoDbClient dynamoDb, SnsClient sns, SesV2Client ses, SqsClient sqs,
        Clock clock, DeliverySettings delivery) {
        this.log = JsonLog.forFunction(settings.functionName("deliver-function"));
        String notifications = settings.require("NOTIFICATIONS_TABLE");
        this.deliverer = new Deliverer(dynamoDb, settings.require("PROFILES_TABLE"),
            settings.require("CONTACTS_TABLE"),
            new NotificationLedger(dynamoDb, notifications,
                settings.getDuration("LEDGER_RETENTION", Duration.ofDays(90))),
            new OfferRepository(dynamoDb, settings.require("OFFERS_TABLE"),
                settings.getDuration("OFFER_CACHE_TTL", Duration.ofMinutes(1)), clock),
            new MessageRenderer(settings.require("UNSUBSCRIBE_URL")),
            new ChannelSender(sns, ses, settings.require("EMAIL_FROM")),
            sqs, delivery, clock, log,
            Metrics.forService("deliver", clock),
            new AddressSuppressions(new DeliveryOutcomes(dynamoDb, notifications), ContactHashes.from(settings)));
        // SnapStart: exercise the message codec and the profile layout before the snapshot; nothing is sent.
        this.priming = SnapStartPriming.register(settings.functionName("deliver-function"), () -> {
            NotificationCodec.decode(NotificationCodec.encode(new Notification("snapstart-priming", "offer",
                Channel.EMAIL, "event", "electronics", "ZA", "v1", "new_interest", false, clock.instant(), "")));
            ProfileItems.fromItem(ProfileItems.toItem(Profile.empty("snapstart-priming")));
        });
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        JsonLog.Scope invocation = log.invocation(context);
        try {
            return deliverer.apply(event, context);
        } finally {
            invocation.close();
        }
    }

    SnapStartPriming priming() {
        return priming;
    }
}
