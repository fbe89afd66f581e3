package za.co.personalisation.deliver;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
import za.co.personalisation.aws.log.PersonalData;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.notify.FrequencyCaps;
import za.co.personalisation.core.notify.MessageRenderer;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.notify.NotificationCodec;
import za.co.personalisation.core.notify.SuppressionReason;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.ShadowCustomers;

/**
 * Sends each queued notification at most once, to a customer who still agrees, at an hour they accept, within
 * their caps.
 *
 * <p>Per message: claim the ledger entry (pending | queued | deferred → sending, with a lease); re-check consent
 * at send time (an opt-out after matching is honoured); read the contact (this function is the only reader); if it
 * is quiet hours in the customer's time zone, mark the entry deferred and put the message back on its queue with a
 * delay until the hours end; count it in the customer's daily and weekly caps for the channel (conditional
 * counters) or suppress it as capped; render it in the customer's locale; send; record sent, failed (with the
 * provider's reason) or suppressed (with ours).
 *
 * <p>Failures: a message that is not a notification, or that breaks the code, goes to the delivery dead-letter
 * queue with its reason. A throttling provider makes the rest of the batch on that channel back off: those
 * messages are re-queued with an exponentially growing, jittered delay, none is lost and none counts towards the
 * queue's redrive. Any other transient failure returns the message to SQS (partial batch response) until
 * {@code maxReceives}, after which it goes to the dead-letter queue with its reason.
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
    private final DeliverySettings settings;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    /** What one message's attempt did so far, for the failure paths. */
    private static final class Attempt {
        boolean claimed;
        List<FrequencyCaps.Window> counted = List.of();
    }

    /** The provider throttled us: back off, do not count it as a failure of the message. */
    private static final class Throttled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Throttled(AwsServiceException cause) {
            super(cause.awsErrorDetails() == null ? cause.getMessage() : cause.awsErrorDetails().errorCode(), cause);
        }
    }

    Deliverer(DynamoDbClient dynamoDb, String profilesTable, String contactsTable, NotificationLedger ledger,
        OfferRepository offers, MessageRenderer renderer, ChannelSender sender, SqsClient sqs,
        DeliverySettings settings, Clock clock, JsonLog log, Metrics metrics) {
        this.dynamoDb = dynamoDb;
        this.profilesTable = profilesTable;
        this.contactsTable = contactsTable;
        this.ledger = ledger;
        this.offers = offers;
        this.renderer = renderer;
        this.sender = sender;
        this.sqs = sqs;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    SQSBatchResponse apply(SQSEvent batch) {
        BatchFailures failures = new BatchFailures();
        Metrics.Unit unit = metrics.unit();
        Requeue requeue = new Requeue(sqs);
        Set<Channel> throttled = EnumSet.noneOf(Channel.class);
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
            Map<String, String> attributes = attributes(message);
            Instant notBefore = instant(attributes.get(Requeue.NOT_BEFORE));
            Instant now = clock.instant();
            if (notBefore != null && now.isBefore(notBefore)) {
                requeue.add(queueUrl(notification), message.getMessageId(), message.getBody(), attributes,
                    delayUntil(now, notBefore));
                continue;
            }
            if (throttled.contains(notification.channel())) {
                backOff(message, notification, attributes, requeue, unit);
                continue;
            }
            Attempt attempt = new Attempt();
            try {
                deliver(message, notification, attributes, attempt, requeue, unit);
            } catch (Throttled e) {
                throttled.add(notification.channel());
                log.warn("delivery.throttled").with("channel", notification.channel().wireName())
                    .with("error", e.getMessage()).log();
                unit.dimension("Channel", notification.channel().wireName(), "ProviderThrottled", 1);
                release(notification, attempt, NotificationLedger.QUEUED, Map.of("lastError", "throttled"));
                backOff(message, notification, attributes, requeue, unit);
            } catch (SdkException e) {
                retryOrGiveUp(message, notification, attempt, e, failures, unit);
            } catch (RuntimeException e) {
                String reason = "cannot be processed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                release(notification, attempt, NotificationLedger.FAILED, Map.of("reason", "poison"));
                if (!deadLetter(message, reason, unit)) {
                    failures.fail(message.getMessageId());
                }
            }
        }
        List<String> notRequeued = requeue.flush();
        if (!notRequeued.isEmpty()) {
            log.warn("delivery.requeue_failed").with("messages", notRequeued.size()).log();
            notRequeued.forEach(failures::fail);
        }
        unit.count("Messages", batch.getRecords().size()).flush();
        return failures.sqsResponse();
    }

    private void deliver(SQSEvent.SQSMessage message, Notification notification, Map<String, String> attributes,
        Attempt attempt, Requeue requeue, Metrics.Unit unit) {
        String customerId = notification.customerId();
        String key = notification.ledgerKey();
        Instant now = clock.instant();
        NotificationLedger.DeliveryClaim claim = ledger.claimDelivery(customerId, key, now, settings.lease());
        if (claim != NotificationLedger.DeliveryClaim.CLAIMED) {
            String reason = claim == NotificationLedger.DeliveryClaim.MISSING ? "no_ledger_entry" : "duplicate";
            unit.dimension("Reason", reason, "DeliveriesSkipped", 1);
            log.info("delivery.skipped").with("customerId", customerId).with("offerId", notification.offerId())
                .with("channel", notification.channel().wireName()).with("eventId", notification.eventId())
                .with("reason", reason).log();
            return;
        }
        attempt.claimed = true;
        if (notification.replay() || ShadowCustomers.isShadow(customerId)) {
            // replayed traffic, or a shadow customer's (docs/replay.md): never sent to anyone
            suppress(notification, SuppressionReason.REPLAYED_TRAFFIC, Map.of(), unit);
            return;
        }
        Map<String, AttributeValue> profileItem = item(profilesTable, ProfileItems.KEY, customerId);
        if (profileItem == null || profileItem.containsKey("erasedAt") || profileItem.containsKey("erased")) {
            // Erased after notify read the change: send nothing, and keep nothing about them (the erasure's own
            // deletes ran before this entry was claimed, or it would not be here).
            ledger.forget(customerId, key);
            unit.dimension("Reason", SuppressionReason.NO_PROFILE.wireName(), "NotificationsSuppressed", 1);
            log.info("delivery.suppressed").with("customerId", customerId).with("offerId", notification.offerId())
                .with("channel", notification.channel().wireName()).with("eventId", notification.eventId())
                .with("reason", SuppressionReason.NO_PROFILE.wireName()).with("ledgerEntry", "deleted").log();
            return;
        }
        Profile profile;
        try {
            profile = ProfileItems.fromItem(profileItem);
        } catch (IllegalArgumentException e) {
            suppress(notification, SuppressionReason.NO_CONSENT, Map.of("detail", "profile unreadable"), unit);
            return;
        }
        if (!profile.consentFor(notification.channel()).granted()) {
            suppress(notification, SuppressionReason.NO_CONSENT, Map.of(), unit);
            return;
        }
        Map<String, AttributeValue> contactItem = item(contactsTable, "customerId", customerId);
        ContactItems.Contact contact = contactItem == null ? null : ContactItems.fromItem(contactItem);
        String address = contact == null ? null
            : notification.channel() == Channel.SMS ? contact.phone() : contact.email();
        if (address == null || address.isBlank()) {
            suppress(notification, SuppressionReason.NO_CONTACT, Map.of(), unit);
            return;
        }
        Offer offer = offers.catalog().byId(notification.offerId());
        if (offer == null || !offer.isValidAt(now)) {
            suppress(notification, offer == null ? SuppressionReason.OFFER_WITHDRAWN : SuppressionReason.OFFER_EXPIRED,
                Map.of(), unit);
            return;
        }
        ZoneId zone = zone(contact.timeZone());
        Instant allowedAt = settings.quietHours().deferUntil(now, zone);
        if (allowedAt != null) {
            defer(message, notification, attributes, allowedAt, requeue, unit);
            return;
        }
        List<FrequencyCaps.Window> windows = settings.caps().windows(notification.channel(), now, zone);
        FrequencyCaps.Window full;
        try {
            full = ledger.reserve(customerId, key, windows);
        } catch (NotificationLedger.EntryGone e) {
            // erased since the profile was read: the erasure took the entry; send nothing, count nothing
            unit.dimension("Reason", "erased", "DeliveriesSkipped", 1);
            log.info("delivery.skipped").with("customerId", customerId).with("offerId", notification.offerId())
                .with("channel", notification.channel().wireName()).with("eventId", notification.eventId())
                .with("reason", "erased").log();
            return;
        }
        if (full != null) {
            suppress(notification, SuppressionReason.CAPPED, Map.of("cap", full.key(), "capLimit",
                Integer.toString(full.limit())), unit);
            return;
        }
        attempt.counted = windows;
        MessageRenderer.Rendered rendered = renderer.render(offer, notification.channel(), contact.locale(),
            customerId);
        String providerMessageId;
        try {
            providerMessageId = notification.channel() == Channel.SMS ? sender.sms(address, rendered)
                : sender.email(address, rendered);
        } catch (AwsServiceException e) {
            if (e.isThrottlingException()) {
                throw new Throttled(e);
            }
            if (e.statusCode() >= 500 || e.statusCode() == 403) {
                throw e;
            }
            // The provider refused this message for good (a bad number, a rejected address): do not retry it.
            String code = e.awsErrorDetails() == null ? "status " + e.statusCode() : e.awsErrorDetails().errorCode();
            release(notification, attempt, NotificationLedger.FAILED, Map.of("reason", "provider_rejected",
                "providerError", code));
            unit.dimension("Channel", notification.channel().wireName(), "DeliveryFailures", 1);
            log.warn("delivery.failed").with("customerId", customerId).with("offerId", notification.offerId())
                .with("channel", notification.channel().wireName()).with("eventId", notification.eventId())
                .with("reason", "provider_rejected").with("providerError", code).log();
            return;
        }
        ledger.transition(customerId, key, List.of(NotificationLedger.SENDING), NotificationLedger.SENT,
            clock.instant(), Map.of("providerMessageId", providerMessageId, "locale", rendered.locale(),
                "sentAt", clock.instant().toString()));
        unit.dimension("Channel", notification.channel().wireName(), "Delivered", 1);
        log.info("delivery.sent")
            .with("customerId", customerId)
            .with("offerId", notification.offerId())
            .with("channel", notification.channel().wireName())
            .with("eventId", notification.eventId())
            .with("traceId", notification.traceId())
            .with("locale", rendered.locale())
            .with("providerMessageId", providerMessageId)
            .log();
    }

    private void defer(SQSEvent.SQSMessage message, Notification notification, Map<String, String> attributes,
        Instant allowedAt, Requeue requeue, Metrics.Unit unit) {
        Instant now = clock.instant();
        ledger.transition(notification.customerId(), notification.ledgerKey(), List.of(NotificationLedger.SENDING),
            NotificationLedger.DEFERRED, now, Map.of("reason", "quiet_hours", "deferredUntil", allowedAt.toString()));
        Map<String, String> next = new HashMap<>(attributes);
        int deferrals = integer(attributes.get(Requeue.DEFERRALS));
        next.put(Requeue.NOT_BEFORE, allowedAt.toString());
        next.put(Requeue.DEFERRALS, Integer.toString(deferrals + 1));
        Duration delay = delayUntil(now, allowedAt);
        requeue.add(queueUrl(notification), message.getMessageId(), message.getBody(), next, delay);
        if (deferrals == 0) {
            unit.dimension("Reason", "quiet_hours", "NotificationsDeferred", 1);
        }
        log.info("delivery.deferred")
            .with("customerId", notification.customerId())
            .with("offerId", notification.offerId())
            .with("channel", notification.channel().wireName())
            .with("eventId", notification.eventId())
            .with("reason", "quiet_hours")
            .with("deferredUntil", allowedAt.toString())
            .with("requeueDelaySeconds", delay.toSeconds())
            .log();
    }

    /** The SQS delay towards an instant: the whole wait, or the longest delay allowed. */
    private Duration delayUntil(Instant now, Instant then) {
        Duration wait = Duration.between(now, then).plusSeconds(1);
        return wait.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : wait;
    }

    private void backOff(SQSEvent.SQSMessage message, Notification notification, Map<String, String> attributes,
        Requeue requeue, Metrics.Unit unit) {
        int throttles = integer(attributes.get(Requeue.THROTTLED));
        Map<String, String> next = new HashMap<>(attributes);
        next.put(Requeue.THROTTLED, Integer.toString(throttles + 1));
        next.remove(Requeue.NOT_BEFORE);
        long ceiling = Math.min(settings.maxDelay().toMillis(),
            settings.throttleBackoff().toMillis() << Math.min(throttles, 20));
        long delay = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        requeue.add(queueUrl(notification), message.getMessageId(), message.getBody(), next, Duration.ofMillis(delay));
        unit.dimension("Channel", notification.channel().wireName(), "DeliveriesBackedOff", 1);
    }

    private void retryOrGiveUp(SQSEvent.SQSMessage message, Notification notification, Attempt attempt,
        SdkException e, BatchFailures failures, Metrics.Unit unit) {
        int receives = integer(message.getAttributes() == null ? null
            : message.getAttributes().get("ApproximateReceiveCount"));
        String channel = notification.channel().wireName();
        log.warn("delivery.retry").with("customerId", notification.customerId())
            .with("offerId", notification.offerId()).with("eventId", notification.eventId())
            .with("receives", receives).error(e).log();
        unit.dimension("Channel", channel, "DeliveryRetries", 1);
        if (receives < settings.maxReceives()) {
            release(notification, attempt, NotificationLedger.QUEUED, Map.of("lastError",
                e.getClass().getSimpleName()));
            failures.fail(message.getMessageId());
            return;
        }
        release(notification, attempt, NotificationLedger.FAILED, Map.of("reason", "gave_up", "lastError",
            e.getClass().getSimpleName()));
        unit.dimension("Channel", channel, "DeliveryFailures", 1);
        if (!deadLetter(message, "gave up after " + receives + " receives: " + e.getClass().getSimpleName() + ": "
            + e.getMessage(), unit)) {
            failures.fail(message.getMessageId());
        }
    }

    /**
     * Ends this invocation's hold on a notification after a failure: un-counts it from the caps it was counted in
     * and moves its ledger entry to {@code status}. Best effort: the lease expires anyway.
     */
    private void release(Notification notification, Attempt attempt, String status, Map<String, String> details) {
        if (!attempt.claimed) {
            return;
        }
        try {
            ledger.release(notification.customerId(), notification.ledgerKey(), attempt.counted);
            ledger.transition(notification.customerId(), notification.ledgerKey(),
                List.of(NotificationLedger.SENDING), status, clock.instant(), details);
        } catch (SdkException e) {
            log.warn("delivery.release_failed").with("customerId", notification.customerId())
                .with("offerId", notification.offerId()).error(e).log();
        }
    }

    private void suppress(Notification notification, SuppressionReason reason, Map<String, String> details,
        Metrics.Unit unit) {
        Map<String, String> fields = new HashMap<>(details);
        fields.put("reason", reason.wireName());
        ledger.transition(notification.customerId(), notification.ledgerKey(), List.of(NotificationLedger.SENDING),
            NotificationLedger.SUPPRESSED, clock.instant(), fields);
        unit.dimension("Reason", reason.wireName(), "NotificationsSuppressed", 1);
        log.info("delivery.suppressed")
            .with("customerId", notification.customerId())
            .with("offerId", notification.offerId())
            .with("channel", notification.channel().wireName())
            .with("eventId", notification.eventId())
            .with("reason", reason.wireName())
            .with("cap", details.getOrDefault("cap", ""))
            .log();
    }

    private Map<String, AttributeValue> item(String table, String keyName, String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder().tableName(table)
            .key(Map.of(keyName, AttributeValue.fromS(customerId))).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return settings.defaultZone();
        }
    }

    private String queueUrl(Notification notification) {
        return settings.queueUrls().get(notification.channel());
    }

    private boolean deadLetter(SQSEvent.SQSMessage message, String reason, Metrics.Unit unit) {
        // scrubbed before it is cut, so that no part of a phone number or an address survives the cut
        String scrubbed = PersonalData.scrub(String.valueOf(reason));
        String shortReason = scrubbed.length() > 1000 ? scrubbed.substring(0, 1000) : scrubbed;
        try {
            sqs.sendMessage(SendMessageRequest.builder()
                .queueUrl(settings.deadLetterQueueUrl())
                .messageBody(message.getBody() == null || message.getBody().isEmpty() ? "(empty)" : message.getBody())
                .messageAttributes(Map.of(
                    "reason", MessageAttributeValue.builder().dataType("String").stringValue(shortReason).build(),
                    "sourceMessageId", MessageAttributeValue.builder().dataType("String")
                        .stringValue(message.getMessageId()).build()))
                .build());
            unit.count("PoisonMessages", 1);
            log.warn("delivery.dead_lettered").with("messageId", message.getMessageId()).with("reason", shortReason)
                .log();
            return true;
        } catch (SdkException e) {
            log.error("delivery.dead_letter_failed").with("messageId", message.getMessageId()).error(e).log();
            return false;
        }
    }

    private static Map<String, String> attributes(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = new HashMap<>();
        if (message.getMessageAttributes() != null) {
            message.getMessageAttributes().forEach((name, value) -> {
                if (value != null && value.getStringValue() != null) {
                    attributes.put(name, value.getStringValue());
                }
            });
        }
        return attributes;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int integer(String text) {
        try {
            return text == null ? 0 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
