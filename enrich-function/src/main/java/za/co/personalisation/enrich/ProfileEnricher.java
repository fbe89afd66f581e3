package za.co.personalisation.enrich;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.aws.lambda.BatchFailures;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.InterestEventCodec;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.ProfileMerger;

/**
 * Applies a Kinesis batch to the profiles: decode, coalesce per customer (keeping each customer's order), then
 * one read-merge-conditional-write per distinct customer.
 *
 * <p>Records that can never be applied go to the failed-events queue and do not block the shard. When a
 * customer's write cannot be completed (throttling, conflicts beyond the retry limit), that customer's first
 * record is reported as a batch item failure; Lambda resumes from the lowest one reported and re-applying what
 * was already applied is a no-op, so per-customer order is kept and nothing is applied twice.
 */
final class ProfileEnricher {

    static final int MAX_ATTEMPTS = 5;

    private final ProfileStore store;
    private final ProfileMerger merger;
    private final FailedEventsQueue failedEvents;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    ProfileEnricher(ProfileStore store, ProfileMerger merger, FailedEventsQueue failedEvents, Clock clock,
        JsonLog log, Metrics metrics) {
        this.store = store;
        this.merger = merger;
        this.failedEvents = failedEvents;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    StreamsEventResponse apply(KinesisEvent batch) {
        BatchFailures failures = new BatchFailures();
        Metrics.Unit unit = metrics.unit();
        Map<String, List<Decoded>> byCustomer = new LinkedHashMap<>();
        for (KinesisEvent.KinesisEventRecord record : batch.getRecords()) {
            String sequence = record.getKinesis().getSequenceNumber();
            byte[] data = bytes(record.getKinesis().getData());
            InterestEvent event;
            try {
                event = InterestEventCodec.decode(data);
            } catch (InterestEventCodec.InvalidRecordException e) {
                unit.count("Invalid", 1);
                if (!deadLetter(data, e.getMessage(), record, sequence)) {
                    failures.fail(sequence);
                }
                continue;
            }
            byCustomer.computeIfAbsent(event.customerId(), id -> new ArrayList<>()).add(new Decoded(event, sequence));
        }
        for (Map.Entry<String, List<Decoded>> customer : byCustomer.entrySet()) {
            List<Decoded> records = customer.getValue();
            try {
                applyCustomer(customer.getKey(), records, unit);
            } catch (SdkException | RetriesExhausted e) {
                unit.count("WriteFailed", 1);
                log.warn("profile.write_failed")
                    .with("customerId", customer.getKey())
                    .with("firstSequenceNumber", records.get(0).sequence())
                    .with("events", records.size())
                    .error(e)
                    .log();
                failures.fail(records.get(0).sequence());
            }
        }
        unit.count("Records", batch.getRecords().size()).flush();
        return failures.streamsResponse();
    }

    private void applyCustomer(String customerId, List<Decoded> records, Metrics.Unit unit) {
        List<InterestEvent> events = new ArrayList<>(records.size());
        records.forEach(decoded -> events.add(decoded.event()));
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Profile current = store.load(customerId);
            Instant now = clock.instant();
            ProfileMerger.Result result = merger.apply(current, events, now);
            unit.count("Duplicates", result.duplicates());
            if (!result.changed()) {
                log.info("profile.unchanged").with("customerId", customerId).with("duplicates", result.duplicates())
                    .log();
                return;
            }
            unit.count("Writes", 1);
            if (store.save(result.profile())) {
                unit.count("Applied", result.applied());
                for (InterestEvent event : events) {
                    log.info("event.applied")
                        .with("eventId", event.eventId())
                        .with("customerId", customerId)
                        .with("interest", event.interest())
                        .with("traceId", event.traceId())
                        .with("replay", event.replay())
                        .with("profileVersion", result.profile().version() + 1)
                        .log();
                }
                return;
            }
            unit.count("ConditionalConflicts", 1);
        }
        throw new RetriesExhausted(customerId);
    }

    private boolean deadLetter(byte[] data, String reason, KinesisEvent.KinesisEventRecord record, String sequence) {
        String shard = record.getEventID() == null ? "" : record.getEventID().split(":", 2)[0];
        try {
            failedEvents.send(data, reason, shard, sequence, clock.instant());
            log.warn("event.invalid").with("shardId", shard).with("sequenceNumber", sequence).with("reason", reason)
                .log();
            return true;
        } catch (SdkException e) {
            log.error("event.dead_letter_failed").with("sequenceNumber", sequence).error(e).log();
            return false;
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] data = new byte[copy.remaining()];
        copy.get(data);
        return data;
    }

    private record Decoded(InterestEvent event, String sequence) {
    }

    /** Another writer kept winning the race for this customer. */
    static final class RetriesExhausted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RetriesExhausted(String customerId) {
            super("profile " + customerId + " changed under us " + MAX_ATTEMPTS + " times in a row");
        }
    }
}
