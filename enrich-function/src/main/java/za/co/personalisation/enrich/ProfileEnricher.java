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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.lambda.BatchFailures;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.InvalidRecordException;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.profile.EventValidator;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.ProfileMerger;
import za.co.personalisation.core.profile.ShadowCustomers;

/**
 * Applies a Kinesis batch to the profiles: decode and validate every record, coalesce per customer (keeping each
 * customer's order), read all their profiles at once, then one merge and one conditional write per distinct
 * customer, customers in parallel.
 *
 * <p>A customer's events are applied in stream order: interest and consent events merge into the profile; an
 * erasure deletes it (with a tombstone and the customer's notification ledger), and every other event of that
 * customer in the batch is dropped, those before it because the profile goes anyway, those after it because the
 * customer is erased.
 *
 * <p>Records that can never be applied go to the failed-events queue and do not block the shard. When a
 * customer's share cannot be completed (DynamoDB still failing after retries with backoff, conflicts beyond the
 * retry limit, the invocation's time running out), that customer's first record is reported as a batch item
 * failure. Lambda checkpoints at the lowest one reported and redelivers everything after it; re-applying what was
 * applied is a no-op, so per-customer order is kept and nothing is applied twice.
 */
final class ProfileEnricher {

    static final int MAX_CONFLICT_ATTEMPTS = 5;

    /** A part of a customer's share that must be redelivered. */
    private static final Object FAILED = new Object();
    /** A part whose records were sent to the failed-events queue, as no retry could apply them. */
    private static final Object PARKED = new Object();

    private final ProfileStore store;
    private final LedgerEraser ledger;
    private final ConversionRecorder conversions;
    private final ProfileMerger merger;
    private final EventValidator validator;
    private final FailedEventsQueue failedEvents;
    private final ExecutorService workers;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    /**
     * @param workers runs customers in parallel; {@code null} runs them one after another on the calling thread
     */
    ProfileEnricher(ProfileStore store, LedgerEraser ledger, ConversionRecorder conversions, ProfileMerger merger,
        EventValidator validator, FailedEventsQueue failedEvents, ExecutorService workers, Clock clock, JsonLog log,
        Metrics metrics) {
        this.store = store;
        this.ledger = ledger;
        this.conversions = conversions;
        this.merger = merger;
        this.validator = validator;
        this.failedEvents = failedEvents;
        this.workers = workers;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /**
     * @param deadlineNanos {@link System#nanoTime()} by which the batch must be answered; no retry starts after it
     */
    StreamsEventResponse apply(KinesisEvent batch, long deadlineNanos) {
        Instant now = clock.instant();
        Tally total = new Tally();
        BatchFailures failures = new BatchFailures();
        List<KinesisEvent.KinesisEventRecord> records = batch.getRecords() == null ? List.of() : batch.getRecords();
        total.records = records.size();
        Map<String, List<Decoded>> byCustomer = decode(records, now, total, failures);
        Map<String, Profile> profiles = loadProfiles(byCustomer, total, deadlineNanos);
        Set<String> erased = erasedCustomers(byCustomer, profiles, now, total, deadlineNanos);
        List<Callable<Tally>> tasks = new ArrayList<>(byCustomer.size());
        for (Map.Entry<String, List<Decoded>> customer : byCustomer.entrySet()) {
            Profile loaded = profiles.get(customer.getKey());
            boolean knownErased = erased.contains(customer.getKey());
            tasks.add(() -> {
                Tally tally = new Tally();
                applyCustomer(customer.getKey(), customer.getValue(), loaded, knownErased, now, tally, deadlineNanos,
                    failures);
                return tally;
            });
        }
        for (Tally tally : run(tasks)) {
            total.add(tally);
        }
        confirmCreations(total, failures, now, deadlineNanos);
        Metrics.Unit unit = metrics.unit();
        total.emit(unit);
        unit.flush();
        return failures.streamsResponse();
    }

    /**
     * The second tombstone read of every profile this batch created, after all the writes (one BatchGetItem per 50
     * customers): a customer erased since the first read has the profile withdrawn and their events count as
     * dropped. When the read fails, each created profile is withdrawn (unless written since by someone else) and its
     * records are redelivered, so that no profile stays that was never checked. See {@link ProfileStore}.
     */
    private void confirmCreations(Tally total, BatchFailures failures, Instant now, long deadlineNanos) {
        if (total.creations.isEmpty()) {
            return;
        }
        List<String> created = new ArrayList<>(total.creations.size());
        total.creations.forEach(c -> created.add(c.customerId));
        Set<String> erased;
        try {
            erased = store.erasedAfterCreation(created, now, total, deadlineNanos);
        } catch (SdkException | RetriesExhausted | ProfileStore.TombstoneUnread e) {
            log.warn("profiles.creation_unchecked").with("customers", created.size()).error(e).log();
            for (Tally.Creation creation : total.creations) {
                withdrawUnchecked(creation, total, failures, deadlineNanos);
            }
            return;
        }
        for (Tally.Creation creation : total.creations) {
            if (!erased.contains(creation.customerId)) {
                continue;
            }
            total.applied -= creation.applied;
            total.erasedDropped += creation.applied;
            try {
                store.delete(creation.customerId, total, deadlineNanos);
            } catch (SdkException | RetriesExhausted e) {
                // redelivered: the retry finds the profile, and the erasure event, which follows these records on
                // the stream, deletes it in any case
                failures.fail(creation.firstSequence);
                total.writeFailed++;
                log.warn("profile.write_failed").with("customerId", creation.customerId)
                    .with("firstSequenceNumber", creation.firstSequence).error(e).log();
            }
            log.info("profile.creation_withdrawn").with("customerId", creation.customerId)
                .with("reason", "the customer was erased while the profile was being created").log();
            for (String eventId : creation.eventIds) {
                log.info("event.dropped_erased").with("eventId", eventId).with("customerId", creation.customerId)
                    .log();
            }
        }
    }

    private void withdrawUnchecked(Tally.Creation creation, Tally total, BatchFailures failures,
        long deadlineNanos) {
        try {
            if (!store.withdraw(creation.customerId, creation.version, total, deadlineNanos)) {
                return; // written since by another invocation: those events stand, and its own check covers them
            }
            total.applied -= creation.applied;
        } catch (SdkException | RetriesExhausted e) {
            log.warn("profile.write_failed").with("customerId", creation.customerId)
                .with("firstSequenceNumber", creation.firstSequence).error(e).log();
        }
        failures.fail(creation.firstSequence);
        total.writeFailed++;
    }

    private static List<String> eventIds(List<StreamEvent> events) {
        List<String> ids = new ArrayList<>(events.size());
        events.forEach(event -> ids.add(event.eventId()));
        return ids;
    }

    private Map<String, Profile> loadProfiles(Map<String, List<Decoded>> byCustomer, Tally total,
        long deadlineNanos) {
        if (byCustomer.isEmpty()) {
            return Map.of();
        }
        try {
            return store.loadAll(byCustomer.keySet(), total, deadlineNanos);
        } catch (SdkException e) {
            // each customer then reads its own profile, and fails on its own if it cannot
            log.warn("profiles.batch_read_failed").with("customers", byCustomer.size()).error(e).log();
            return Map.of();
        }
    }

    /**
     * The customers of the batch known to be erased: read for those without a profile (their events would
     * create one) and those with an erasure in the batch. Only a shortcut: the writes check the tombstone too.
     */
    private Set<String> erasedCustomers(Map<String, List<Decoded>> byCustomer, Map<String, Profile> profiles,
        Instant now, Tally total, long deadlineNanos) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, List<Decoded>> customer : byCustomer.entrySet()) {
            Profile loaded = profiles.get(customer.getKey());
            if (loaded == null || loaded.isNew() || firstErasure(customer.getValue()) != null) {
                unknown.add(customer.getKey());
            }
        }
        if (unknown.isEmpty()) {
            return Set.of();
        }
        try {
            return store.liveTombstones(unknown, now, total, deadlineNanos);
        } catch (SdkException e) {
            log.warn("tombstones.batch_read_failed").with("customers", unknown.size()).error(e).log();
            return Set.of();
        }
    }

    private Map<String, List<Decoded>> decode(List<KinesisEvent.KinesisEventRecord> records, Instant now,
        Tally total, BatchFailures failures) {
        Map<String, List<Decoded>> byCustomer = new LinkedHashMap<>();
        for (KinesisEvent.KinesisEventRecord record : records) {
            String sequence = record.getKinesis().getSequenceNumber();
            byte[] data = bytes(record.getKinesis().getData());
            String reason;
            try {
                StreamEvent event = StreamEventCodec.decode(data);
                reason = validator.violation(event, now);
                if (reason == null) {
                    byCustomer.computeIfAbsent(event.customerId(), id -> new ArrayList<>())
                        .add(new Decoded(event, sequence, data, record));
                    continue;
                }
            } catch (InvalidRecordException e) {
                reason = e.getMessage();
            }
            total.invalid++;
            if (!deadLetter(data, reason, record, now)) {
                total.deadLetterFailed++;
                failures.fail(sequence);
            }
        }
        return byCustomer;
    }

    /**
     * Applies one customer's share of the batch. Consent decisions and interest events go separate ways: the
     * consent path reads and writes only the consent (and the version), first, so that a consent change is applied
     * even when the customer's interest data cannot be written, and never waits behind it; an erasure goes before
     * both and drops them.
     *
     * <p>Records that could not be completed and must be redelivered are reported in {@code failures} (the first
     * of each part that failed); the customer then counts once in {@code WriteFailed}.
     */
    private void applyCustomer(String customerId, List<Decoded> all, Profile loaded, boolean knownErased,
        Instant now, Tally tally, long deadlineNanos, BatchFailures failures) {
        List<Decoded> records = withoutReplaysOfLiveCustomers(customerId, all, tally);
        if (records.isEmpty()) {
            return;
        }
        ErasureEvent erasure = firstErasure(records);
        if (erasure != null || knownErased) {
            countFailed(tally, attempt(customerId, records, tally, now, deadlineNanos, failures, () -> {
                if (erasure != null) {
                    erase(customerId, erasure, records, loaded, knownErased, now, tally, deadlineNanos);
                } else {
                    dropErased(customerId, records, tally);
                }
                return null;
            }) == FAILED);
            return;
        }
        List<Decoded> decisions = new ArrayList<>();
        List<Decoded> interests = new ArrayList<>();
        List<Decoded> purchases = new ArrayList<>();
        for (Decoded decoded : records) {
            (decoded.event() instanceof ConsentEvent ? decisions
                : decoded.event() instanceof ConversionEvent ? purchases : interests).add(decoded);
        }
        // Conversions touch no profile: recorded apart, after the customer's profile changes of the batch.
        boolean failed = !purchases.isEmpty() && attempt(customerId, purchases, tally, now, deadlineNanos, failures,
            () -> {
                List<ConversionEvent> events = new ArrayList<>(purchases.size());
                purchases.forEach(decoded -> events.add((ConversionEvent) decoded.event()));
                conversions.record(customerId, events, now, tally, deadlineNanos);
                return null;
            }) == FAILED;
        if (!decisions.isEmpty() && !interests.isEmpty() && loaded != null) {
            List<Decoded> profileRecords = new ArrayList<>(decisions.size() + interests.size());
            records.stream().filter(decoded -> !(decoded.event() instanceof ConversionEvent))
                .forEach(profileRecords::add);
            if (mergedTogether(customerId, profileRecords, loaded, now, tally, deadlineNanos)) {
                countFailed(tally, failed);
                return;
            }
        }
        Profile current = loaded;
        if (!decisions.isEmpty()) {
            Object outcome = attempt(customerId, decisions, tally, now, deadlineNanos, failures,
                () -> applyConsent(customerId, decisions, loaded, now, tally, deadlineNanos));
            failed |= outcome == FAILED;
            current = outcome instanceof Profile written ? written : null;
        }
        if (!interests.isEmpty()) {
            Profile base = current;
            failed |= attempt(customerId, interests, tally, now, deadlineNanos, failures, () -> {
                merge(customerId, interests, base, now, tally, deadlineNanos);
                return null;
            }) == FAILED;
        }
        countFailed(tally, failed);
    }

    /**
     * Replayed traffic never acts on a live customer (docs/replay.md, "The rule"): a replayed event of a customer
     * who is not a shadow customer ({@link ShadowCustomers}) is dropped, whatever its kind, so it cannot change a
     * live profile's interests, location or consent, nor erase the customer, nor contribute to a notification.
     */
    private List<Decoded> withoutReplaysOfLiveCustomers(String customerId, List<Decoded> records, Tally tally) {
        if (ShadowCustomers.isShadow(customerId)) {
            return records;
        }
        List<Decoded> live = null;
        for (int i = 0; i < records.size(); i++) {
            StreamEvent event = records.get(i).event();
            if (!event.replay()) {
                if (live != null) {
                    live.add(records.get(i));
                }
                continue;
            }
            if (live == null) {
                live = new ArrayList<>(records.subList(0, i));
            }
            tally.replayDropped++;
            log.info("event.replay_dropped").with("eventId", event.eventId()).with("customerId", customerId)
                .with("kind", kind(event)).with("reason", "replayed traffic never acts on a live customer").log();
        }
        return live == null ? records : live;
    }

    private static String kind(StreamEvent event) {
        return event instanceof InterestEvent ? "interest" : event instanceof ConsentEvent ? "consent"
            : event instanceof ConversionEvent ? "conversion" : "erasure";
    }

    private static void countFailed(Tally tally, boolean failed) {
        if (failed) {
            tally.writeFailed++;
        }
    }

    /**
     * The sunny path of a customer with both consent decisions and interest events in the batch: one write of
     * both. If that write fails for any reason (even one a retry may cure), the decisions are then written on
     * their own and the interests apart, so the consent never shares the interests' fate.
     *
     * @return true when both were written (or nothing needed writing)
     */
    private boolean mergedTogether(String customerId, List<Decoded> records, Profile loaded, Instant now,
        Tally tally, long deadlineNanos) {
        try {
            merge(customerId, records, loaded, now, tally, deadlineNanos);
            return true;
        } catch (SdkException | RetriesExhausted | ProfileStore.TombstoneUnread | IllegalArgumentException e) {
            log.warn("profile.combined_write_failed").with("customerId", customerId)
                .with("firstSequenceNumber", records.get(0).sequence()).error(e).log();
            return false;
        }
    }

    /**
     * Runs one part of a customer's share. A failure that a retry may cure (DynamoDB still failing after the
     * retries, lost races, the deadline) reports the part's first record for redelivery. A failure that no retry
     * can cure (DynamoDB refusing the write as invalid, e.g. an item over 400 KB; a stored item that does not fit
     * the layout) sends the part's records to the failed-events queue with the reason, so that they are kept for a
     * redrive and the shard, and the customer's later consent changes and erasures, do not wait behind them.
     *
     * @return what the part returned, or {@link #FAILED}
     */
    private Object attempt(String customerId, List<Decoded> part, Tally tally, Instant now, long deadlineNanos,
        BatchFailures failures, Callable<Object> work) {
        try {
            if (System.nanoTime() > deadlineNanos) {
                throw new OutOfTime();
            }
            return work.call();
        } catch (SdkException e) {
            if (e instanceof AwsServiceException && !DynamoDbRetry.isTransient(e)
                && deadLetterAll(customerId, part, "profile write refused by DynamoDB: " + errorCode(e), tally, now)) {
                return PARKED;
            }
            return fail(customerId, part, tally, failures, e);
        } catch (RetriesExhausted | OutOfTime | LedgerEraser.LedgerNotErased | ProfileStore.TombstoneUnread e) {
            return fail(customerId, part, tally, failures, e);
        } catch (IllegalArgumentException e) {
            // the stored profile does not fit the item layout: retrying cannot help; park the records with the reason
            log.error("profile.unreadable").with("customerId", customerId)
                .with("firstSequenceNumber", part.get(0).sequence()).error(e).log();
            if (deadLetterAll(customerId, part, "stored profile does not fit the item layout", tally, now)) {
                return PARKED;
            }
            failures.fail(part.get(0).sequence());
            return FAILED;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }


    private Object fail(String customerId, List<Decoded> part, Tally tally, BatchFailures failures, Exception e) {
        log.warn("profile.write_failed")
            .with("customerId", customerId)
            .with("firstSequenceNumber", part.get(0).sequence())
            .with("events", part.size())
            .error(e)
            .log();
        failures.fail(part.get(0).sequence());
        return FAILED;
    }

    private boolean deadLetterAll(String customerId, List<Decoded> part, String reason, Tally tally, Instant now) {
        for (Decoded decoded : part) {
            if (!deadLetter(decoded.data(), reason, decoded.record(), now)) {
                return false;
            }
            tally.parked++;
        }
        log.warn("events.parked").with("customerId", customerId).with("events", part.size()).with("reason", reason)
            .log();
        return true;
    }

    private static String errorCode(SdkException e) {
        if (e instanceof AwsServiceException service
            && service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    /**
     * The consent path: merge the decisions into the stored consent and write the consent alone.
     *
     * @return the profile as now stored when {@code loaded} was a whole profile (the interest path can go on from
     *     it without reading again), otherwise {@code null}
     */
    private Profile applyConsent(String customerId, List<Decoded> records, Profile loaded, Instant now, Tally tally,
        long deadlineNanos) {
        List<ConsentEvent> decisions = new ArrayList<>(records.size());
        records.forEach(decoded -> decisions.add((ConsentEvent) decoded.event()));
        boolean whole = loaded != null;
        Profile current = whole ? loaded : consentOrNothing(customerId, tally, deadlineNanos);
        for (int attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
            ProfileMerger.Result result = merger.applyConsent(current, decisions, now);
            if (!result.changed()) {
                tally.duplicatesSkipped += result.duplicates();
                log.info("consent.unchanged").with("customerId", customerId)
                    .with("decisions", decisions.size()).log();
                return whole ? current : null;
            }
            ProfileStore.SaveOutcome outcome = store.saveConsent(result.profile(), now, tally, deadlineNanos);
            if (outcome == ProfileStore.SaveOutcome.SAVED) {
                tally.duplicatesSkipped += result.duplicates();
                tally.applied += result.applied();
                tally.wrote(customerId, current.isNew(), records.get(0).sequence(), result.profile().version() + 1,
                    result.applied(), eventIds(result.appliedEvents()));
                logApplied(result.appliedEvents(), result.profile().version() + 1);
                return whole && !current.isNew() ? result.profile().withVersion(result.profile().version() + 1)
                    : null;
            }
            if (outcome == ProfileStore.SaveOutcome.ERASED) {
                dropErased(customerId, records, tally);
                return null;
            }
            tally.conditionalConflicts++;
            log.info("profile.conflict").with("customerId", customerId).with("attempt", attempt)
                .with("readVersion", current.version()).log();
            whole = false;
            current = consentOrNothing(customerId, tally, deadlineNanos);
        }
        throw new RetriesExhausted(customerId);
    }

    /**
     * The stored consent and version; when the stored consent itself does not fit the layout, the version with no
     * consent, so that the decisions replace it: a revocation must be applied even then, and a channel left
     * unknown means no consent (the safe reading).
     */
    private Profile consentOrNothing(String customerId, Tally tally, long deadlineNanos) {
        try {
            return store.loadConsent(customerId, tally, deadlineNanos);
        } catch (IllegalArgumentException e) {
            log.error("consent.unreadable").with("customerId", customerId).error(e).log();
            return store.loadVersionOnly(customerId, tally, deadlineNanos);
        }
    }

    private void merge(String customerId, List<Decoded> records, Profile loaded, Instant now, Tally tally,
        long deadlineNanos) {
        List<StreamEvent> events = new ArrayList<>(records.size());
        records.forEach(decoded -> events.add(decoded.event()));
        Profile current = loaded != null ? loaded : store.load(customerId, tally, deadlineNanos);
        for (int attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
            ProfileMerger.Result result = merger.apply(current, events, now);
            if (!result.changed()) {
                countSkipped(customerId, result, tally);
                log.info("profile.unchanged").with("customerId", customerId)
                    .with("duplicates", result.duplicates()).with("tooLate", result.tooLate()).log();
                return;
            }
            ProfileStore.SaveOutcome outcome = store.save(result.profile(), now, tally, deadlineNanos);
            if (outcome == ProfileStore.SaveOutcome.SAVED) {
                countSkipped(customerId, result, tally);
                tally.applied += result.applied();
                tally.wrote(customerId, current.isNew(), records.get(0).sequence(), result.profile().version() + 1,
                    result.applied(), eventIds(result.appliedEvents()));
                if (result.evicted() > 0) {
                    tally.interestsEvicted += result.evicted();
                    log.info("profile.interests_evicted").with("customerId", customerId)
                        .with("evicted", result.evicted()).with("kept", result.profile().interests().size()).log();
                }
                logApplied(result.appliedEvents(), result.profile().version() + 1);
                return;
            }
            if (outcome == ProfileStore.SaveOutcome.ERASED) {
                dropErased(customerId, records, tally);
                return;
            }
            tally.conditionalConflicts++;
            log.info("profile.conflict").with("customerId", customerId).with("attempt", attempt)
                .with("readVersion", current.version()).log();
            current = store.load(customerId, tally, deadlineNanos);
        }
        throw new RetriesExhausted(customerId);
    }

    private void dropErased(String customerId, List<Decoded> records, Tally tally) {
        tally.erasedDropped += records.size();
        for (Decoded decoded : records) {
            log.info("event.dropped_erased").with("eventId", decoded.event().eventId()).with("customerId", customerId)
                .with("replay", decoded.event().replay()).log();
        }
    }

    private void erase(String customerId, ErasureEvent erasure, List<Decoded> records, Profile loaded,
        boolean knownErased, Instant now, Tally tally, long deadlineNanos) {
        boolean profileExists = loaded == null || !loaded.isNew();
        boolean erasedNow = store.erase(customerId, erasure, profileExists, knownErased, now, tally, deadlineNanos);
        int ledgerEntries = ledger.erase(customerId, tally, deadlineNanos);
        tally.erasures++;
        tally.erasedDropped += records.size() - 1;
        log.info("profile.erased")
            .with("eventId", erasure.eventId())
            .with("customerId", customerId)
            .with("alreadyErased", !erasedNow)
            .with("ledgerEntriesDeleted", ledgerEntries)
            .with("eventsDropped", records.size() - 1)
            .with("tombstoneTtl", store.tombstoneTtl().toString())
            .with("traceId", erasure.traceId())
            .log();
    }

    private void countSkipped(String customerId, ProfileMerger.Result result, Tally tally) {
        tally.duplicatesSkipped += result.duplicates();
        tally.tooLate += result.tooLate();
        for (String eventId : result.tooLateEventIds()) {
            log.warn("event.too_late").with("eventId", eventId).with("customerId", customerId)
                .with("reason", "older than every event the profile still remembers").log();
        }
    }

    private void logApplied(List<StreamEvent> events, long version) {
        for (StreamEvent event : events) {
            JsonLog.Entry entry = log.info("event.applied")
                .with("eventId", event.eventId())
                .with("customerId", event.customerId());
            if (event instanceof InterestEvent interest) {
                entry.with("kind", "interest").with("interest", interest.interest());
            } else if (event instanceof ConsentEvent consent) {
                entry.with("kind", "consent").with("channel", consent.channel().wireName())
                    .with("state", consent.state().wireName());
            }
            entry.with("traceId", event.traceId()).with("replay", event.replay()).with("profileVersion", version)
                .log();
        }
    }

    private List<Tally> run(List<Callable<Tally>> tasks) {
        List<Tally> tallies = new ArrayList<>(tasks.size());
        try {
            if (workers == null || tasks.size() < 2) {
                for (Callable<Tally> task : tasks) {
                    tallies.add(task.call());
                }
                return tallies;
            }
            List<Callable<Tally>> traced = new ArrayList<>(tasks.size());
            for (Callable<Tally> task : tasks) {
                traced.add(AwsClients.inCurrentTrace(task));
            }
            for (Future<Tally> future : workers.invokeAll(traced)) {
                tallies.add(future.get());
            }
            return tallies;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying a batch", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("applying a customer's events failed", e.getCause());
        } catch (Exception e) {
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    private boolean deadLetter(byte[] data, String reason, KinesisEvent.KinesisEventRecord record, Instant now) {
        String sequence = record.getKinesis().getSequenceNumber();
        String shard = record.getEventID() == null ? "" : record.getEventID().split(":", 2)[0];
        FailedEventsQueue.Source source = new FailedEventsQueue.Source(shard, sequence,
            record.getKinesis().getPartitionKey() == null ? "" : record.getKinesis().getPartitionKey(),
            record.getEventSourceARN() == null ? "" : record.getEventSourceARN(),
            record.getKinesis().getApproximateArrivalTimestamp() == null ? null
                : record.getKinesis().getApproximateArrivalTimestamp().toInstant());
        try {
            failedEvents.send(data, reason, source, now);
            log.warn("event.invalid").with("shardId", shard).with("sequenceNumber", sequence).with("reason", reason)
                .log();
            return true;
        } catch (SdkException e) {
            log.error("event.dead_letter_failed").with("shardId", shard).with("sequenceNumber", sequence).error(e)
                .log();
            return false;
        }
    }

    private static ErasureEvent firstErasure(List<Decoded> records) {
        for (Decoded decoded : records) {
            if (decoded.event() instanceof ErasureEvent erasure) {
                return erasure;
            }
        }
        return null;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] data = new byte[copy.remaining()];
        copy.get(data);
        return data;
    }

    private record Decoded(StreamEvent event, String sequence, byte[] data, KinesisEvent.KinesisEventRecord record) {
    }

    /** Another writer kept winning the race for this customer. */
    static final class RetriesExhausted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RetriesExhausted(String customerId) {
            super("profile " + customerId + " changed under us " + MAX_CONFLICT_ATTEMPTS + " times in a row");
        }
    }

    /** The invocation's deadline passed before this customer's turn. */
    static final class OutOfTime extends RuntimeException {

        private static final long serialVersionUID = 1L;

        OutOfTime() {
            super("the invocation's time ran out before this customer's events were applied");
        }
    }
}
