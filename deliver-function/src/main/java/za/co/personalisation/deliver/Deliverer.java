package za.co.personalisation.deliver;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.aws.lambda.BatchFailures;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.log.PersonalData;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.aws.retry.Jitter;
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
 * <p>Per message: claim the ledger entry (pending | queued | deferred | dead_lettered → sending, with a lease
 * owned by this receive of the message); re-check consent at send time (an opt-out after matching is honoured);
 * read the contact (this function is the only reader); if it is quiet hours in the customer's time zone, mark the
 * entry deferred and put the message back on its queue with a delay until the hours end; count it in the
 * customer's daily and weekly caps for the channel and mark the entry dispatched (one transaction), or, when a cap
 * is full, defer it to the window's end while the offer is still valid there (else suppress it as capped); render
 * it in the customer's locale; send; record sent, failed (with the provider's reason), suppressed (with ours) or
 * unknown.
 *
 * <p>At most once toward the customer (docs/architecture.md, Delivery semantics): the senders never retry, and a
 * send whose outcome is not known (a timeout or a broken connection after the request may have reached the
 * provider) makes the entry {@code unknown}, counted in {@code DeliveryOutcomeUnknown} and alarmed, never resent. A
 * {@code sent} that cannot be recorded leaves the entry dispatched (never claimed again) and dead-letters the
 * message with the provider's message id. When less than {@code timeReserve} of the invocation is left, the rest
 * of the batch is handed back unstarted.
 *
 * <p>Failures: a message that is not a notification, or that breaks the code, goes to the delivery dead-letter
 * queue with its reason. A throttling provider makes the rest of the batch on that channel back off: those
 * messages are re-queued with an exponentially growing, jittered delay, none is lost and none counts towards the
 * queue's redrive. Any other transient failure returns the message to SQS (partial batch response) until
 * {@code maxReceives}, after which its entry becomes {@code dead_lettered} and it goes to the dead-letter queue
 * with its reason; redriven from there, it is delivered like any queued notification.
 */
final class Deliverer {

    private final AddressSuppressions suppressions;
    private final DynamoDbClient dynamoDb;
    private final String profilesTable;
    private final String contactsTable;
    private final NotificationLedger ledger;
    private final ConsentStatements statements;
    private final OfferRepository offers;
    private final MessageRenderer renderer;
    private final ChannelSender sender;
    private final SqsClient sqs;
    private final DeliverySettings settings;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    /** How often a ledger write that must not be lost is tried before giving up on it. */
    private static final int LEDGER_WRITE_TRIES = 3;

    /** What one message's attempt did so far, for the failure paths. */
    private static final class Attempt {
        /** This receive of the message: the owner of its lease on the ledger entry. */
        final String owner;
        boolean claimed;
        List<FrequencyCaps.Window> counted = List.of();

        Attempt(SQSEvent.SQSMessage message) {
            String receipt = message.getReceiptHandle() != null ? message.getReceiptHandle()
                : message.getMessageId() + "#" + UUID.randomUUID();
            this.owner = UUID.nameUUIDFromBytes(receipt.getBytes(StandardCharsets.UTF_8)).toString();
        }
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
        DeliverySettings settings, Clock clock, JsonLog log, Metrics metrics, AddressSuppressions suppressions) {
        this.suppressions = suppressions;
        this.dynamoDb = dynamoDb;
        this.profilesTable = profilesTable;
        this.contactsTable = contactsTable;
        this.ledger = ledger;
        this.statements = ledger.consentStatements();
        this.offers = offers;
        this.renderer = renderer;
        this.sender = sender;
        this.sqs = sqs;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /**
     * Delivers a batch.
     *
     * @param context the invocation's, for the time left; {@code null} when there is no deadline (tests)
     */
    SQSBatchResponse apply(SQSEvent batch, Context context) {
        BatchFailures failures = new BatchFailures();
        Metrics.Unit unit = metrics.unit();
        Requeue requeue = new Requeue(sqs);
        Set<Channel> throttled = EnumSet.noneOf(Channel.class);
        List<SQSEvent.SQSMessage> records = batch.getRecords();
        for (int index = 0; index < records.size(); index++) {
            SQSEvent.SQSMessage message = records.get(index);
            if (context != null && context.getRemainingTimeInMillis() < settings.timeReserve().toMillis()) {
                // A send cut off by the function's timeout has an unknown outcome; one not started has none.
                int left = records.size() - index;
                records.subList(index, records.size()).forEach(rest -> failures.fail(rest.getMessageId()));
                unit.count("DeliveriesOutOfTime", left);
                log.warn("delivery.out_of_time").with("messages", left)
                    .with("remainingMs", context.getRemainingTimeInMillis()).log();
                break;
            }
            Notification notification;
            try {
                notification = NotificationCodec.decode(message.getBody());
            } catch (IllegalArgumentException e) {
                if (!deadLetter(message, e.getMessage(), null, unit)) {
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
            Attempt attempt = new Attempt(message);
            try {
                if (!deliver(message, notification, attributes, attempt, requeue, unit)) {
                    failures.fail(message.getMessageId());
                }
            } catch (Throttled e) {
                throttled.add(notification.channel());
                log.warn("delivery.throttled").with("channel", notification.channel().wireName())
                    .with("error", e.getMessage()).log();
                unit.dimension("Channel", notification.channel().wireName(), "ProviderThrottled", 1);
                // If the release fails after its tries, the entry keeps its lease and dispatch mark: the re-queued
                // copy waits for the lease and then finds it unknown (visible), never skips it as a duplicate.
                release(notification, attempt, NotificationLedger.QUEUED, Map.of("lastError", "throttled"));
                backOff(message, notification, attributes, requeue, unit);
            } catch (NotificationLedger.LeaseLostException e) {
                // Another attempt took the entry over (this one outlived its lease): it is that attempt's now.
                unit.dimension("Reason", "lease_lost", "DeliveriesSkipped", 1);
                log.warn("delivery.lease_lost").with("customerId", notification.customerId())
                    .with("offerId", notification.offerId()).with("eventId", notification.eventId()).log();
            } catch (SdkException e) {
                retryOrGiveUp(message, notification, attempt, e, failures, unit);
            } catch (RuntimeException e) {
                String reason = "cannot be processed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                release(notification, attempt, NotificationLedger.FAILED, Map.of("reason", "poison"));
                if (!deadLetter(message, reason, notification.channel(), unit)) {
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

    /**
     * Delivers one message.
     *
     * @return false when the message must go back to SQS (reported as a batch item failure)
     */
    private boolean deliver(SQSEvent.SQSMessage message, Notification notification, Map<String, String> attributes,
        Attempt attempt, Requeue requeue, Metrics.Unit unit) {
        Instant now = clock.instant();
        if (!claim(message, notification, attributes, attempt, requeue, unit, now)) {
            return true;
        }
        Recipient recipient = stillWanted(notification, unit, now);
        if (recipient == null
            || !scheduled(message, notification, attributes, attempt, recipient, requeue, unit, now)) {
            return true;
        }
        return send(message, notification, attempt, recipient, unit);
    }

    /** Whom a claimed notification goes to, where, and with which offer: what the checks before a send found. */
    private record Recipient(ContactItems.Contact contact, String address, Offer offer) {
    }

    /**
     * Claims the ledger entry for this attempt.
     *
     * @return false when this attempt is not the one to deliver it: another holds it (the message comes back when
     *     its lease ends), it was settled before (a duplicate), or its outcome is unknown
     */
    private boolean claim(SQSEvent.SQSMessage message, Notification notification, Map<String, String> attributes,
        Attempt attempt, Requeue requeue, Metrics.Unit unit, Instant now) {
        String customerId = notification.customerId();
        NotificationLedger.DeliveryClaim claim = ledger.claimDelivery(customerId, notification.ledgerKey(),
            attempt.owner, now, settings.lease());
        switch (claim) {
            case CLAIMED -> {
                attempt.claimed = true;
                return true;
            }
            case IN_PROGRESS -> {
                // Another live attempt holds it, or one whose release failed: look again once its lease is over,
                // when it is either finished (then this copy is a duplicate) or free to take over.
                Map<String, String> next = new HashMap<>(attributes);
                Instant leaseEnd = now.plus(settings.lease());
                next.put(Requeue.NOT_BEFORE, leaseEnd.toString());
                requeue.add(queueUrl(notification), message.getMessageId(), message.getBody(), next,
                    delayUntil(now, leaseEnd));
                skipped(notification, "in_progress", unit);
                return false;
            }
            case ABANDONED -> {
                unit.count("DeliveryOutcomeUnknown", 1);
                log.warn("delivery.outcome_unknown").with("customerId", customerId)
                    .with("offerId", notification.offerId()).with("channel", notification.channel().wireName())
                    .with("eventId", notification.eventId()).with("reason", "lease_expired_after_dispatch").log();
                return false;
            }
            default -> {
                skipped(notification, switch (claim) {
                    case MISSING -> "no_ledger_entry";
                    case UNKNOWN -> "outcome_unknown";
                    default -> "duplicate";
                }, unit);
                return false;
            }
        }
    }

    /**
     * The checks that can suppress a claimed notification: replayed or shadow traffic, an erased customer, no
     * consent, no contact address, an offer withdrawn or expired.
     *
     * @return whom to send it to, or {@code null} when it was suppressed (and recorded so)
     */
    private Recipient stillWanted(Notification notification, Metrics.Unit unit, Instant now) {
        String customerId = notification.customerId();
        if (notification.replay() || ShadowCustomers.isShadow(customerId)) {
            // replayed traffic, or a shadow customer's (docs/replay.md): never sent to anyone
            suppress(notification, SuppressionReason.REPLAYED_TRAFFIC, Map.of(), unit);
            return null;
        }
        Map<String, AttributeValue> profileItem = ProfileItems.get(dynamoDb, profilesTable, customerId);
        if (profileItem == null) {
            // Erased after notify read the change: send nothing, and keep nothing about them (the erasure's own
            // deletes ran before this entry was claimed, or it would not be here).
            ledger.forget(customerId, notification.ledgerKey());
            unit.dimension("Reason", SuppressionReason.NO_PROFILE.wireName(), "NotificationsSuppressed", 1);
            log.info("delivery.suppressed").with("customerId", customerId).with("offerId", notification.offerId())
                .with("channel", notification.channel().wireName()).with("eventId", notification.eventId())
                .with("reason", SuppressionReason.NO_PROFILE.wireName()).with("ledgerEntry", "deleted").log();
            return null;
        }
        Profile profile;
        try {
            profile = ProfileItems.fromItem(profileItem);
        } catch (IllegalArgumentException e) {
            suppress(notification, SuppressionReason.NO_CONSENT, Map.of("detail", "profile unreadable"), unit);
            return null;
        }
        if (!profile.consentFor(notification.channel()).granted()) {
            suppress(notification, SuppressionReason.NO_CONSENT, Map.of(), unit);
            return null;
        }
        if (statements.revoked(customerId, notification.channel())) {
            // Revoked at the API (or by a STOP reply) and acknowledged, not yet applied to the profile by enrich:
            // an opt-out is honoured from its acknowledgement, whatever the stream's backlog.
            suppress(notification, SuppressionReason.NO_CONSENT, Map.of("detail", "revoked, profile not yet updated"),
                unit);
            return null;
        }
        ContactItems.Contact contact = ContactItems.get(dynamoDb, contactsTable, customerId);
        String address = contact == null ? null
            : notification.channel() == Channel.SMS ? contact.phone() : contact.email();
        if (address == null || address.isBlank()) {
            suppress(notification, SuppressionReason.NO_CONTACT, Map.of(), unit);
            return null;
        }
        String suppressedBecause = suppressions.reason(customerId, notification.channel(), address);
        if (suppressedBecause != null) {
            suppress(notification, SuppressionReason.ADDRESS_SUPPRESSED, Map.of("detail", suppressedBecause), unit);
            return null;
        }
        Offer offer = offers.catalog().byId(notification.offerId());
        if (offer == null || !offer.isValidAt(now)) {
            suppress(notification, offer == null ? SuppressionReason.OFFER_WITHDRAWN : SuppressionReason.OFFER_EXPIRED,
                Map.of(), unit);
            return null;
        }
        return new Recipient(contact, address, offer);
    }

    /**
     * When it may go: deferred past quiet hours or a full cap (or suppressed as capped when the offer ends first);
     * otherwise counted in the customer's caps and marked dispatched, in one transaction.
     *
     * @return true when it is to be sent now
     */
    private boolean scheduled(SQSEvent.SQSMessage message, Notification notification, Map<String, String> attributes,
        Attempt attempt, Recipient recipient, Requeue requeue, Metrics.Unit unit, Instant now) {
        ZoneId zone = zone(recipient.contact().timeZone());
        Instant allowedAt = settings.quietHours().deferUntil(now, zone);
        if (allowedAt != null) {
            defer(message, notification, attributes, allowedAt, "quiet_hours", Map.of(), requeue, unit);
            return false;
        }
        List<FrequencyCaps.Window> windows = settings.caps().windows(notification.channel(), now, zone);
        FrequencyCaps.Window full;
        try {
            full = ledger.beginSend(notification.customerId(), notification.ledgerKey(), notification.channel(),
                attempt.owner, windows, clock.instant());
        } catch (NotificationLedger.ConsentRevoked e) {
            // revoked at the API between the consent checks and this mark: nothing was sent or counted
            suppress(notification, SuppressionReason.NO_CONSENT, Map.of("detail", "revoked before the send began"),
                unit);
            return false;
        } catch (NotificationLedger.EntryGone e) {
            // erased since the profile was read: the erasure took the entry; send nothing, count nothing
            unit.dimension("Reason", "erased", "DeliveriesSkipped", 1);
            log.info("delivery.skipped").with("customerId", notification.customerId())
                .with("offerId", notification.offerId()).with("channel", notification.channel().wireName())
                .with("eventId", notification.eventId()).with("reason", "erased").log();
            return false;
        }
        if (full != null) {
            // A marketer expects the offer to arrive once the customer's cap allows it, as after quiet hours, if
            // the offer is still valid then; only an offer that ends first is suppressed as capped.
            Instant nextWindow = full.endsAt();
            if (recipient.offer().isValidAt(nextWindow)) {
                defer(message, notification, attributes, nextWindow, "capped", Map.of("cap", full.key()), requeue,
                    unit);
            } else {
                suppress(notification, SuppressionReason.CAPPED, Map.of("cap", full.key(), "capLimit",
                    Integer.toString(full.limit()), "detail", "the offer ends before the cap window does"), unit);
            }
            return false;
        }
        attempt.counted = windows;
        return true;
    }

    /**
     * Renders and sends a dispatched notification and records the outcome: sent, failed (the provider refused it
     * for good) or unknown (it may have reached the customer); a throttling or a failure before the provider was
     * reached is thrown for the batch to handle.
     *
     * @return false when the message must go back to SQS
     */
    private boolean send(SQSEvent.SQSMessage message, Notification notification, Attempt attempt,
        Recipient recipient, Metrics.Unit unit) {
        String customerId = notification.customerId();
        MessageRenderer.Rendered rendered = renderer.render(recipient.offer(), notification.channel(),
            recipient.contact().locale(), customerId);
        String providerMessageId;
        try {
            providerMessageId = notification.channel() == Channel.SMS ? sender.sms(recipient.address(), rendered)
                : sender.email(recipient.address(), rendered);
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
            return true;
        } catch (SdkClientException e) {
            if (neverReachedProvider(e)) {
                throw e;
            }
            return outcomeUnknown(notification, e, unit);
        }
        if (!recordSent(notification, providerMessageId, rendered.locale())) {
            // The customer has the message; the ledger does not know. The entry keeps its dispatch mark, so no copy
            // of this message is ever sent again; the dead-letter queue keeps the provider's id for a person.
            unit.count("SentUnrecorded", 1).count("DeliveryOutcomeUnknown", 1);
            log.error("delivery.sent_unrecorded").with("customerId", customerId)
                .with("offerId", notification.offerId()).with("channel", notification.channel().wireName())
                .with("eventId", notification.eventId()).with("providerMessageId", providerMessageId).log();
            return deadLetter(message, "sent but not recorded: the provider accepted it (message id "
                + providerMessageId + ") but the ledger could not record sent; it is never resent",
                notification.channel(), unit);
        }
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
        return true;
    }

    /** Records sent, trying again when the write fails: false when it could not be recorded. */
    private boolean recordSent(Notification notification, String providerMessageId, String locale) {
        for (int tries = 1; ; tries++) {
            try {
                ledger.transition(notification.customerId(), notification.ledgerKey(),
                    List.of(NotificationLedger.SENDING), NotificationLedger.SENT, clock.instant(), Map.of(
                        "providerMessageId", providerMessageId, "locale", locale,
                        "sentAt", clock.instant().toString()));
                return true;
            } catch (SdkException e) {
                log.warn("delivery.record_sent_failed").with("customerId", notification.customerId())
                    .with("offerId", notification.offerId()).with("tries", tries).error(e).log();
                if (tries >= LEDGER_WRITE_TRIES || !pause(tries)) {
                    return false;
                }
            }
        }
    }

    /**
     * The send may or may not have reached the customer: the entry becomes {@code unknown} (its cap slots stay
     * counted) and is never sent again by the pipeline.
     *
     * @return false when even that could not be recorded: the message goes back to SQS, and its next receive finds
     *         the entry dispatched with an expired lease and makes it unknown then
     */
    private boolean outcomeUnknown(Notification notification, SdkClientException e, Metrics.Unit unit) {
        String channel = notification.channel().wireName();
        unit.count("DeliveryOutcomeUnknown", 1);
        log.warn("delivery.outcome_unknown").with("customerId", notification.customerId())
            .with("offerId", notification.offerId()).with("channel", channel)
            .with("eventId", notification.eventId()).with("reason", "send_outcome_unknown").error(e).log();
        try {
            // false only when the entry is no longer sending (erased meanwhile): nothing left to settle
            ledger.transition(notification.customerId(), notification.ledgerKey(),
                List.of(NotificationLedger.SENDING), NotificationLedger.UNKNOWN, clock.instant(), Map.of(
                    "reason", "send_outcome_unknown", "lastError", e.getClass().getSimpleName()));
            return true;
        } catch (SdkException again) {
            log.warn("delivery.record_unknown_failed").with("customerId", notification.customerId())
                .with("offerId", notification.offerId()).error(again).log();
            return false;
        }
    }

    /**
     * True when a client-side failure certainly happened before the request reached the provider: no connection
     * could be opened. Anything else (a read timeout, a reset connection, the call's own timeout) may have come
     * after the provider took the message.
     */
    private static boolean neverReachedProvider(SdkClientException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** Waits a little before another try of a ledger write; false when interrupted (the invocation is ending). */
    private static boolean pause(int tries) {
        try {
            Thread.sleep(50L << tries);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void skipped(Notification notification, String reason, Metrics.Unit unit) {
        unit.dimension("Reason", reason, "DeliveriesSkipped", 1);
        log.info("delivery.skipped").with("customerId", notification.customerId())
            .with("offerId", notification.offerId()).with("channel", notification.channel().wireName())
            .with("eventId", notification.eventId()).with("reason", reason).log();
    }

    private void defer(SQSEvent.SQSMessage message, Notification notification, Map<String, String> attributes,
        Instant allowedAt, String reason, Map<String, String> details, Requeue requeue, Metrics.Unit unit) {
        Instant now = clock.instant();
        Map<String, String> fields = new HashMap<>(details);
        fields.put("reason", reason);
        fields.put("deferredUntil", allowedAt.toString());
        ledger.transition(notification.customerId(), notification.ledgerKey(), List.of(NotificationLedger.SENDING),
            NotificationLedger.DEFERRED, now, fields);
        Map<String, String> next = new HashMap<>(attributes);
        int deferrals = integer(attributes.get(Requeue.DEFERRALS));
        next.put(Requeue.NOT_BEFORE, allowedAt.toString());
        next.put(Requeue.DEFERRALS, Integer.toString(deferrals + 1));
        Duration delay = delayUntil(now, allowedAt);
        requeue.add(queueUrl(notification), message.getMessageId(), message.getBody(), next, delay);
        if (deferrals == 0 || !reason.equals(attributes.get(Requeue.DEFERRED_FOR))) {
            unit.dimension("Reason", reason, "NotificationsDeferred", 1);
        }
        next.put(Requeue.DEFERRED_FOR, reason);
        log.info("delivery.deferred")
            .with("customerId", notification.customerId())
            .with("offerId", notification.offerId())
            .with("channel", notification.channel().wireName())
            .with("eventId", notification.eventId())
            .with("reason", reason)
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
        Duration delay = settings.throttleDelay(throttles, Jitter.source());
        requeue.add(queueUrl(notification), message.getMessageId(), message.getBody(), next, delay);
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
        // Not finished: dead_lettered is claimable, so a redrive of the message from the dead-letter queue sends it.
        release(notification, attempt, NotificationLedger.DEAD_LETTERED, Map.of("reason", "gave_up", "lastError",
            e.getClass().getSimpleName()));
        unit.dimension("Channel", channel, "DeliveryFailures", 1);
        if (!deadLetter(message, "gave up after " + receives + " receives: " + e.getClass().getSimpleName() + ": "
            + e.getMessage(), notification.channel(), unit)) {
            failures.fail(message.getMessageId());
        }
    }

    /**
     * Ends this attempt's hold on a notification that was certainly not sent: un-counts it from the caps it was
     * counted in, moves its ledger entry to {@code status} and clears its lease and dispatch mark. Tried
     * {@value #LEDGER_WRITE_TRIES} times; when it still fails, the entry keeps this attempt's lease (a copy of the
     * message waits for it to end) and, if dispatched, becomes {@code unknown} then: visible, never resent.
     */
    private void release(Notification notification, Attempt attempt, String status, Map<String, String> details) {
        if (!attempt.claimed) {
            return;
        }
        for (int tries = 1; ; tries++) {
            try {
                ledger.releaseClaim(notification.customerId(), notification.ledgerKey(), attempt.owner,
                    attempt.counted, status, clock.instant(), details);
                return;
            } catch (SdkException e) {
                log.warn("delivery.release_failed").with("customerId", notification.customerId())
                    .with("offerId", notification.offerId()).with("tries", tries).error(e).log();
                if (tries >= LEDGER_WRITE_TRIES || !pause(tries)) {
                    return;
                }
            }
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

    /**
     * Sends a message to the delivery dead-letter queue with its reason (attribute {@code reason}: a decoding
     * problem, {@code cannot be processed: …}, {@code gave up after N receives: …} or {@code sent but not
     * recorded: …}) and, for a notification, its {@code channel}, which names the queue a redrive sends it back to
     * (docs/runbook.md, delivery-dlq).
     */
    private boolean deadLetter(SQSEvent.SQSMessage message, String reason, Channel channel, Metrics.Unit unit) {
        // scrubbed before it is cut, so that no part of a phone number or an address survives the cut
        String scrubbed = PersonalData.scrub(String.valueOf(reason));
        String shortReason = scrubbed.length() > 1000 ? scrubbed.substring(0, 1000) : scrubbed;
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put("reason", MessageAttributeValue.builder().dataType("String").stringValue(shortReason).build());
        attributes.put("sourceMessageId", MessageAttributeValue.builder().dataType("String")
            .stringValue(message.getMessageId()).build());
        if (channel != null) {
            attributes.put("channel", MessageAttributeValue.builder().dataType("String")
                .stringValue(channel.wireName()).build());
        }
        try {
            sqs.sendMessage(SendMessageRequest.builder()
                .queueUrl(settings.deadLetterQueueUrl())
                .messageBody(message.getBody() == null || message.getBody().isEmpty() ? "(empty)" : message.getBody())
                .messageAttributes(attributes)
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
