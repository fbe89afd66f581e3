package za.co.personalisation.enrich;

import java.time.Instant;
import java.util.List;
import za.co.personalisation.aws.dynamodb.ConversionLedger;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.outcome.Attribution;
import za.co.personalisation.core.profile.ShadowCustomers;

/**
 * Records one customer's conversions of a batch, each credited to the notification that most plausibly caused it
 * (core's {@link Attribution}), once per eventId ({@link ConversionLedger}). Conversions travel on the stream, so
 * they reach this point in order with the customer's erasure: one that follows an erasure is dropped with the rest
 * of the customer's events before it gets here, and one recorded before an erasure is deleted by it (it lives in
 * the customer's ledger partition).
 *
 * <p>Replayed traffic never counts: a replayed conversion of a live customer is dropped before (the replay rule,
 * docs/replay.md), and here every conversion of a shadow customer, replayed or not, is logged and not recorded.
 */
final class ConversionRecorder {

    private final ConversionLedger ledger;
    private final Attribution attribution;
    private final DynamoDbRetry retry;
    private final JsonLog log;

    ConversionRecorder(ConversionLedger ledger, Attribution attribution, DynamoDbRetry retry, JsonLog log) {
        this.ledger = ledger;
        this.attribution = attribution;
        this.retry = retry;
        this.log = log;
    }

    /**
     * @throws software.amazon.awssdk.core.exception.SdkException when DynamoDB still fails after the retries: the
     *     part is redelivered, and a conversion recorded before the failure is then a duplicate, not counted twice
     */
    void record(String customerId, List<ConversionEvent> conversions, Instant now, Tally tally,
        long deadlineNanos) {
        if (ShadowCustomers.isShadow(customerId)) {
            for (ConversionEvent conversion : conversions) {
                tally.conversionsNotCounted++;
                log.info("conversion.not_counted").with("eventId", conversion.eventId())
                    .with("customerId", customerId).with("replay", conversion.replay())
                    .with("reason", "conversions of shadow customers (replayed traffic) never count").log();
            }
            return;
        }
        List<Attribution.Candidate> candidates = retry.call(DynamoDbRetry.Kind.READ, tally, deadlineNanos,
            () -> ledger.candidates(customerId));
        for (ConversionEvent conversion : conversions) {
            Attribution.Credit credit = attribution.credit(conversion, candidates);
            ConversionLedger.Recorded recorded = retry.call(DynamoDbRetry.Kind.WRITE, tally, deadlineNanos,
                () -> ledger.record(conversion, credit, now));
            if (recorded == ConversionLedger.Recorded.RECORDED) {
                tally.conversionsRecorded++;
            } else {
                tally.duplicatesSkipped++;
            }
            log.info("conversion.recorded")
                .with("eventId", conversion.eventId())
                .with("customerId", customerId)
                .with("group", credit.group().wireName())
                .with("creditedOfferId", credit.offerId())
                .with("creditedKey", credit.ledgerKey())
                .with("duplicate", recorded == ConversionLedger.Recorded.DUPLICATE)
                .with("traceId", conversion.traceId())
                .log();
        }
    }
}
