package za.co.personalisation.deliver;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.notify.MessageRenderer;

/**
 * SQS (fed by SNS) → SMS and email. Environment: {@code PROFILES_TABLE}, {@code CONTACTS_TABLE},
 * {@code NOTIFICATIONS_TABLE}, {@code OFFERS_TABLE}, {@code DELIVERY_DLQ_URL}, {@code EMAIL_FROM},
 * {@code UNSUBSCRIBE_URL}; optional {@code OFFER_CACHE_TTL} (default PT1M), {@code LEDGER_RETENTION} (P90D).
 */
public final class DeliverHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Deliverer deliverer;

    /** For the Lambda runtime. */
    public DeliverHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public DeliverHandler(Settings settings) {
        this(new AwsClients(settings), settings, Clock.systemUTC());
    }

    DeliverHandler(AwsClients clients, Settings settings, Clock clock) {
        var dynamoDb = clients.dynamoDb();
        this.deliverer = new Deliverer(dynamoDb, settings.require("PROFILES_TABLE"),
            settings.require("CONTACTS_TABLE"),
            new NotificationLedger(dynamoDb, settings.require("NOTIFICATIONS_TABLE"),
                settings.getDuration("LEDGER_RETENTION", Duration.ofDays(90))),
            new OfferRepository(dynamoDb, settings.require("OFFERS_TABLE"),
                settings.getDuration("OFFER_CACHE_TTL", Duration.ofMinutes(1)), clock),
            new MessageRenderer(settings.require("UNSUBSCRIBE_URL")),
            new ChannelSender(clients.sns(), clients.sesV2(), settings.require("EMAIL_FROM")),
            clients.sqs(), settings.require("DELIVERY_DLQ_URL"), clock,
            JsonLog.forFunction(settings.functionName("deliver-function")),
            Metrics.forService("deliver", clock));
    }

    DeliverHandler(Deliverer deliverer) {
        this.deliverer = deliverer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return deliverer.apply(event);
    }
}
