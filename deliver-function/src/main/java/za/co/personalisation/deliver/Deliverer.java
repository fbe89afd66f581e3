package za.co.personalisation.deliver;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.aws.lambda.BatchFailures;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.notify.MessageRenderer;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.notify.NotificationCodec;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Profile;

/**
 * Sends each queued notification once: claim it in the ledger (queued → sending), re-check consent at send time,
 * read the contact (this function is the only reader), render, send, record the outcome.
 *
 * <p>A message that is not a notification goes to the delivery dead-letter queue with its reason. A provider
 * failure puts the ledger entry back to queued and reports the message as a batch item failure, so SQS delivers
 * it again after the visibility timeout.
 */
final class Deliverer {

    private final DynamoDbClient dynamoDb;
    private final String profilesTable;
    private final String contactsTable;
    private final NotificationLedger ledger;
    private final OfferRepository offers;
    private final MessageRenderer renderer;
    private final ChannelSender sender;
    private final SqsClient sqs;
    private final String deadLetterQueueUrl;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    Deliverer(DynamoDbClient dynamoDb, String profilesTable, String contactsTable, NotificationLedger ledger,
        OfferRepository offers, MessageRenderer renderer, ChannelSender sender, SqsClient sqs,
        String deadLetterQueueUrl, Clock clock, JsonLog log, Metrics metrics) {
        this.dynamoDb = dynamoDb;
        this.profilesTable = profilesTable;
        this.contactsTable = contactsTable;
        this.ledger = ledger;
        this.offers = offers;
        this.renderer = renderer;
        this.sender = sender;
        this.sqs = sqs;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    SQSBatchResponse apply(SQSEvent batch) {
        BatchFailures failures = new BatchFailures();
        Metrics.Unit unit = metrics.unit();
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            Notification notification;
            try {
                notification = NotificationCodec.decode(message.getBody());
            } catch (IllegalArgumentException e) {
                if (!deadLetter(message, e.getMessage(), unit)) {
                    failures.fail(message.getMessageId());
                }
                continue;
            }
            try {
                deliver(notification, unit);
            } catch (SdkException e) {
                unit.dimension("Channel", notification.channel().wireName(), "DeliveryFailures", 1);
                log.warn("delivery.retry")
                    .with("customerId", notification.customerId())
                    .with("offerId", notification.offerId())
                    .with("eventId", notification.eventId())
                    .error(e)
                    .log();
                ledger.transition(notification.customerId(), notification.ledgerKey(),
                    List.of(NotificationLedger.SENDING), NotificationLedger.QUEUED, clock.instant(),
                    Map.of("lastError", e.getClass().getSimpleName()));
                failures.fail(message.getMessageId());
            }
        }
        unit.count("Messages", batch.getRecords().size()).flush();
        return failures.sqsResponse();
    }

    private void deliver(Notification notification, Metrics.Unit unit) {
        String customerId = notification.customerId();
        String key = notification.ledgerKey();
        if (notification.replay()) {
            finish(notification, NotificationLedger.SUPPRESSED, "replayed_traffic", unit, Map.of());
            return;
        }
        if (!ledger.transition(customerId, key, List.of(NotificationLedger.PENDING, NotificationLedger.QUEUED),
            NotificationLedger.SENDING, clock.instant(), Map.of())) {
            unit.dimension("Reason", "duplicate", "DeliveriesSkipped", 1);
            log.info("delivery.duplicate").with("customerId", customerId).with("offerId", notification.offerId())
                .with("eventId", notification.eventId()).log();
            return;
        }
        Profile profile = profile(customerId);
        if (profile == null || !profile.consentFor(notification.channel()).granted()) {
            finish(notification, NotificationLedger.SUPPRESSED, "no_consent", unit, Map.of());
            return;
        }
        Map<String, AttributeValue> contactItem = dynamoDb.getItem(GetItemRequest.builder().tableName(contactsTable)
            .key(Map.of("customerId", AttributeValue.fromS(customerId))).consistentRead(true).build()).item();
        ContactItems.Contact contact = contactItem == null || contactItem.isEmpty() ? null
            : ContactItems.fromItem(contactItem);
        String address = contact == null ? null
            : notification.channel() == Channel.SMS ? contact.phone() : contact.email();
        if (address == null) {
            finish(notification, NotificationLedger.SUPPRESSED, "no_contact", unit, Map.of());
            return;
        }
        Offer offer = offers.catalog().byId(notification.offerId());
        if (offer == null || !offer.isValidAt(clock.instant())) {
            finish(notification, NotificationLedger.SUPPRESSED, offer == null ? "offer_withdrawn" : "offer_expired",
                unit, Map.of());
            return;
        }
        MessageRenderer.Rendered rendered = renderer.render(offer, notification.channel(), contact.locale(),
            customerId);
        String providerMessageId = notification.channel() == Channel.SMS ? sender.sms(address, rendered)
            : sender.email(address, rendered);
        unit.dimension("Channel", notification.channel().wireName(), "Delivered", 1);
        finish(notification, NotificationLedger.SENT, "", unit, Map.of("providerMessageId", providerMessageId,
            "locale", contact.locale()));
    }

    private Profile profile(String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder().tableName(profilesTable)
            .key(Map.of(ProfileItems.KEY, AttributeValue.fromS(customerId))).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : ProfileItems.fromItem(item);
    }

    private void finish(Notification notification, String status, String reason, Metrics.Unit unit,
        Map<String, String> details) {
        Map<String, String> fields = new java.util.HashMap<>(details);
        if (!reason.isEmpty()) {
            fields.put("reason", reason);
            unit.dimension("Reason", reason, "DeliveriesSuppressed", 1);
        }
        ledger.transition(notification.customerId(), notification.ledgerKey(),
            List.of(NotificationLedger.PENDING, NotificationLedger.QUEUED, NotificationLedger.SENDING), status,
            clock.instant(), fields);
        log.info("delivery." + status)
            .with("customerId", notification.customerId())
            .with("offerId", notification.offerId())
            .with("channel", notification.channel().wireName())
            .with("eventId", notification.eventId())
            .with("reason", reason)
            .with("providerMessageId", details.getOrDefault("providerMessageId", ""))
            .log();
    }

    private boolean deadLetter(SQSEvent.SQSMessage message, String reason, Metrics.Unit unit) {
        try {
            sqs.sendMessage(SendMessageRequest.builder()
                .queueUrl(deadLetterQueueUrl)
                .messageBody(message.getBody() == null ? "" : message.getBody())
                .messageAttributes(Map.of(
                    "reason", MessageAttributeValue.builder().dataType("String").stringValue(reason).build(),
                    "sourceMessageId", MessageAttributeValue.builder().dataType("String")
                        .stringValue(message.getMessageId()).build()))
                .build());
            unit.count("PoisonMessages", 1);
            log.warn("delivery.poison").with("messageId", message.getMessageId()).with("reason", reason).log();
            return true;
        } catch (SdkException e) {
            log.error("delivery.dead_letter_failed").with("messageId", message.getMessageId()).error(e).log();
            return false;
        }
    }
}
