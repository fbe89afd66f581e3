package za.co.personalisation.feedback;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.DeliveryOutcomes;
import za.co.personalisation.aws.dynamodb.LedgerEntry;
import za.co.personalisation.aws.lambda.BatchFailures;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.log.PersonalData;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.notify.DeliveryOutcome;
import za.co.personalisation.core.notify.OptOutReplies;
import za.co.personalisation.core.profile.Channel;

/**
 * One batch of the feedback queue: each message is a provider event (recorded on its ledger entry; a hard bounce or
 * a complaint also suppresses the address) or an inbound SMS (an opt-out revokes SMS consent).
 *
 * <p>At least once and in any order: recording is conditional on the outcome's rank, suppressing on the address not
 * being suppressed yet, and a revocation carries the reply's own id and time; so a repeat changes nothing. An event
 * for a message id the ledger does not know (yet: the provider can be faster than deliver's record of {@code sent})
 * is retried until {@code maxReceives}, then dead-lettered with its reason. A message that is not a feedback event is
 * dead-lettered at once. Dead letters and logs hold ids, types and reasons: no address, no phone number.
 */
final class FeedbackProcessor {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An SMS reply answers a message sent at most this long before (receipts and replies up to 72 hours late). */
    static final Duration REPLY_WINDOW = Duration.ofHours(72);

    private final DeliveryOutcomes outcomes;
    private final ContactHashes hashes;
    private final PhoneDirectory phones;
    private final ConsentRevocations revocations;
    private final SqsClient sqs;
    private final String deadLetterQueueUrl;
    private final int maxReceives;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    FeedbackProcessor(DeliveryOutcomes outcomes, ContactHashes hashes, PhoneDirectory phones,
        ConsentRevocations revocations, SqsClient sqs, String deadLetterQueueUrl, int maxReceives, Clock clock,
        JsonLog log, Metrics metrics) {
        this.outcomes = outcomes;
        this.hashes = hashes;
        this.phones = phones;
        this.revocations = revocations;
        this.sqs = sqs;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.maxReceives = maxReceives;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    SQSBatchResponse apply(SQSEvent batch) {
        BatchFailures failures = new BatchFailures();
        Metrics.Unit unit = metrics.unit();
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            try {
                if (!handle(message, unit)) {
                    failures.fail(message.getMessageId());
                }
            } catch (SdkException e) {
                // DynamoDB, Kinesis or SQS failed: the message comes back after its visibility timeout
                log.warn("feedback.retry").with("messageId", message.getMessageId())
                    .with("errorType", e.getClass().getSimpleName()).log();
                unit.count("FeedbackRetried", 1);
                failures.fail(message.getMessageId());
            } catch (RuntimeException e) {
                // a bug or data no retry can fix: put it aside with its reason, the batch goes on
                if (!deadLetter(message, "cannot_process", e.getClass().getSimpleName(), "", unit)) {
                    failures.fail(message.getMessageId());
                }
            }
        }
        unit.count("FeedbackMessages", batch.getRecords().size()).flush();
        return failures.sqsResponse();
    }

    /** @return false to have the message retried */
    private boolean handle(SQSEvent.SQSMessage message, Metrics.Unit unit) {
        Instant receivedAt = sentAt(message);
        FeedbackEvent event;
        try {
            event = FeedbackEvents.parse(message.getBody(), receivedAt);
        } catch (FeedbackEvents.Invalid e) {
            return deadLetter(message, "invalid_event", e.getMessage(), "", unit);
        }
        if (event instanceof FeedbackEvent.ProviderEvent provider) {
            return provider(message, provider, unit);
        }
        return inbound((FeedbackEvent.InboundSms) event, receivedAt, unit);
    }

    private boolean provider(SQSEvent.SQSMessage message, FeedbackEvent.ProviderEvent event, Metrics.Unit unit) {
        if (event.outcome() == null) {
            unit.dimension("Type", event.type(), "FeedbackIgnored", 1);
            return true;
        }
        LedgerEntry entry = outcomes.findByProviderMessageId(event.providerMessageId());
        if (entry == null) {
            if (receiveCount(message) < maxReceives) {
                // deliver may not have recorded sent yet, or the index not caught up: look again later
                unit.count("FeedbackRetried", 1);
                return false;
            }
            return deadLetter(message, "unknown_message_id", "no ledger entry was sent under this provider message"
                + " id (expired, erased, or not ours)", event.providerMessageId(), unit);
        }
        if (!event.channel().wireName().equals(entry.channel())) {
            return deadLetter(message, "channel_mismatch", "a " + event.channel().wireName() + " event for a "
                + entry.channel() + " notification", event.providerMessageId(), unit);
        }
        if (event.outcome().suppressesEmail()) {
            for (String address : event.recipients()) {
                if (outcomes.suppressEmail(entry.customerId(), hashes.email(address), event.outcome(),
                    entry.ledgerKey(), event.detail(), event.occurredAt())) {
                    unit.dimension("Reason", event.outcome().wireName(), "EmailSuppressed", 1);
                    log.info("feedback.email_suppressed").with("customerId", entry.customerId())
                        .with("ledgerKey", entry.ledgerKey()).with("reason", event.outcome().wireName()).log();
                }
            }
        }
        record(entry, event.outcome(), event.occurredAt(), event.detail(), event.type(), unit);
        return true;
    }

    private void record(LedgerEntry entry, DeliveryOutcome outcome, Instant occurredAt, String detail, String type,
        Metrics.Unit unit) {
        DeliveryOutcomes.Recorded recorded = outcomes.record(entry.customerId(), entry.ledgerKey(),
            entry.providerMessageId(), outcome, occurredAt, detail, clock.instant());
        switch (recorded) {
            case RECORDED -> unit.dimension("Outcome", outcome.wireName(), "DeliveryOutcomes", 1);
            case SUPERSEDED -> unit.dimension("Outcome", outcome.wireName(), "FeedbackDuplicates", 1);
            case MISSING -> unit.count("FeedbackEntryGone", 1);
            default -> throw new IllegalStateException(recorded.name());
        }
        log.info("feedback.recorded").with("customerId", entry.customerId()).with("ledgerKey", entry.ledgerKey())
            .with("providerMessageId", entry.providerMessageId()).with("type", type)
            .with("outcome", outcome.wireName()).with("result", recorded.name().toLowerCase(java.util.Locale.ROOT))
            .with("late", Duration.between(occurredAt, clock.instant()).compareTo(Duration.ofHours(1)) > 0).log();
    }

    private boolean inbound(FeedbackEvent.InboundSms reply, Instant receivedAt, Metrics.Unit unit) {
        if (!OptOutReplies.isOptOut(reply.text())) {
            // HELP, YES and free text: End User Messaging answers its own keywords; nothing for us to do
            unit.count("InboundIgnored", 1);
            return true;
        }
        List<String> customers = phones.customers(reply.from());
        if (customers.isEmpty()) {
            // a number no contact has (never ours, changed, or erased): nothing to revoke; the provider's own
            // opt-out list still stops messages to it. The number itself is not logged.
            unit.count("InboundUnknownSender", 1);
            log.info("inbound.unknown_sender").with("inboundMessageId", reply.inboundMessageId()).log();
            return true;
        }
        for (String customerId : customers) {
            ConsentEvent revocation = revocations.revokeSms(customerId, reply.inboundMessageId(), receivedAt,
                java.util.Objects.requireNonNullElse(AwsClients.currentTraceId(), ""));
            unit.count("InboundOptOuts", 1);
            log.info("consent.revoked_by_reply").with("customerId", customerId)
                .with("eventId", revocation.eventId()).with("inboundMessageId", reply.inboundMessageId()).log();
            LedgerEntry answered = answered(customerId, reply, receivedAt);
            if (answered != null) {
                record(answered, DeliveryOutcome.OPTED_OUT, receivedAt, "reply", "INBOUND_STOP", unit);
            }
        }
        return true;
    }

    /**
     * The SMS a reply answers: the one the provider names, if it is this customer's; else the customer's latest SMS
     * sent within {@link #REPLY_WINDOW} before the reply. {@code null} when there is none.
     */
    private LedgerEntry answered(String customerId, FeedbackEvent.InboundSms reply, Instant receivedAt) {
        if (!reply.previousPublishedMessageId().isEmpty()) {
            LedgerEntry named = outcomes.findByProviderMessageId(reply.previousPublishedMessageId());
            if (named != null && named.customerId().equals(customerId)) {
                return named;
            }
        }
        return outcomes.entries(customerId).stream()
            .filter(entry -> Channel.SMS.wireName().equals(entry.channel()) && entry.sentAt() != null
                && entry.providerMessageId() != null && !entry.replay()
                && !entry.sentAt().isAfter(receivedAt) && entry.sentAt().isAfter(receivedAt.minus(REPLY_WINDOW)))
            .max(Comparator.comparing(LedgerEntry::sentAt))
            .orElse(null);
    }

    /**
     * Copies a message to the feedback dead-letter queue as a summary: reason, ids and a digest of the body, never
     * the body itself (provider events name addresses and phone numbers).
     *
     * @return false when the copy failed (the message is retried)
     */
    private boolean deadLetter(SQSEvent.SQSMessage message, String reason, String detail, String providerMessageId,
        Metrics.Unit unit) {
        String body = message.getBody() == null ? "" : message.getBody();
        ObjectNode summary = MAPPER.createObjectNode()
            .put("reason", reason)
            .put("detail", PersonalData.scrub(detail))
            .put("sourceMessageId", message.getMessageId())
            .put("providerMessageId", PersonalData.scrub(providerMessageId))
            .put("bodySha256", sha256(body))
            .put("bodyBytes", body.getBytes(StandardCharsets.UTF_8).length)
            .put("deadLetteredAt", clock.instant().toString());
        try {
            sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl).messageBody(summary.toString())
                .messageAttributes(Map.of(
                    "reason", MessageAttributeValue.builder().dataType("String").stringValue(reason).build(),
                    "sourceMessageId", MessageAttributeValue.builder().dataType("String")
                        .stringValue(message.getMessageId()).build())));
        } catch (SdkException e) {
            log.error("feedback.dead_letter_failed").with("messageId", message.getMessageId())
                .with("errorType", e.getClass().getSimpleName()).log();
            return false;
        }
        unit.dimension("Reason", reason, "FeedbackDeadLettered", 1);
        log.warn("feedback.dead_lettered").with("messageId", message.getMessageId()).with("reason", reason)
            .with("providerMessageId", PersonalData.scrub(providerMessageId)).log();
        return true;
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** When the message reached the queue (SQS's SentTimestamp), the same on every receive; else now. */
    private Instant sentAt(SQSEvent.SQSMessage message) {
        String sent = message.getAttributes() == null ? null : message.getAttributes().get("SentTimestamp");
        try {
            return sent == null ? clock.instant() : Instant.ofEpochMilli(Long.parseLong(sent));
        } catch (NumberFormatException e) {
            return clock.instant();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
