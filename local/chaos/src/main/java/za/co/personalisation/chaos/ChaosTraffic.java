package za.co.personalisation.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import za.co.personalisation.aws.retry.Sleeper;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.replay.kinesis.KinesisPutter;
import za.co.personalisation.replay.kinesis.ReplayBackoff;
import za.co.personalisation.replay.load.LoadEvent;
import za.co.personalisation.replay.load.LoadPlan;
import za.co.personalisation.replay.load.ZipfSampler;
import za.co.personalisation.replay.playback.CustomerRemapper;
import za.co.personalisation.replay.playback.EnvelopeRewriter;

/**
 * The chaos run's traffic into the interest-events stream, past the API as the load tool's Kinesis sink writes it
 * (the same envelope, partition key = customerId, PutRecords batches, records Kinesis refuses retried):
 * <ul>
 *   <li>the run's events, paced at a rate, each customer drawn from the plan's Zipf distribution, the most active
 *   ranks being the sample customers ({@code sampleCustomers}), the rest the plan's synthetic ones;</li>
 *   <li><b>duplicate PutRecords</b>: a share of the batches is written a second time, the same records again, as a
 *   producer does whose PutRecords answer was lost;</li>
 *   <li><b>replays</b>: afterwards the whole stream written again, several times, into the same stage, each record
 *   rewritten by the replay tool's {@link EnvelopeRewriter}: marked as replayed and its customer remapped to a shadow
 *   customer ({@code shadow-chaos-…}).</li>
 * </ul>
 */
final class ChaosTraffic {

    static final String SHADOW_PREFIX = "shadow-chaos-";
    private static final int BATCH = 100;

    private final KinesisPutter putter;
    private final LoadPlan plan;
    private final List<String> sampleCustomers;
    private final Gazetteer gazetteer = Gazetteer.bundled();
    private final AtomicLong duplicateBatches = new AtomicLong();
    private final AtomicLong replayedRecords = new AtomicLong();
    private final List<KinesisPutter.Entry> written = new ArrayList<>();
    private final List<StackAccounting.SentEvent> live = new ArrayList<>();
    private final List<StackAccounting.SentEvent> shadow = new ArrayList<>();

    ChaosTraffic(KinesisClient kinesis, String stream, LoadPlan plan, List<String> sampleCustomers) {
        this.putter = new KinesisPutter(kinesis, stream, ReplayBackoff.STANDARD, 20, Sleeper.SYSTEM,
            new SplittableRandom(plan.seed()));
        this.plan = plan;
        this.sampleCustomers = List.copyOf(sampleCustomers);
    }

    /** The customer an event of rank {@code rank} is for: a sample customer for the top ranks. */
    String customerId(int rank) {
        return rank <= sampleCustomers.size() ? sampleCustomers.get(rank - 1) : plan.customerId(rank);
    }

    /** Sends the run's events at the plan's rate, writing {@code duplicateRate} of the batches twice. */
    void send(double duplicateRate) throws InterruptedException {
        ZipfSampler customers = plan.customers();
        SplittableRandom random = new SplittableRandom(plan.seed() ^ 0x3C6EF372FE94F82AL);
        long started = System.nanoTime();
        List<KinesisPutter.Entry> batch = new ArrayList<>();
        for (int i = 0; i < plan.count(); i++) {
            LoadEvent event = plan.event(i, customers);
            long wait = started + event.offsetNanos() - System.nanoTime();
            if (wait > 0 && !batch.isEmpty()) {
                put(batch, random.nextDouble() < duplicateRate);
                batch = new ArrayList<>();
            }
            wait = started + event.offsetNanos() - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait).toMillis());
            }
            Instant now = Instant.now();
            String customerId = customerId(event.customerRank());
            // occurredAt: a little before it is sent, never later, so its key time is its occurredAt
            Instant occurredAt = now.minusMillis(50);
            InterestEvent envelope = new InterestEvent(event.eventId(), customerId,
                event.interest().toLowerCase(Locale.ROOT), gazetteer.resolve(event.place()), occurredAt, now, "",
                false);
            batch.add(new KinesisPutter.Entry(customerId, StreamEventCodec.encode(envelope), null));
            live.add(new StackAccounting.SentEvent(event.eventId(), customerId, occurredAt));
            if (batch.size() == BATCH) {
                put(batch, random.nextDouble() < duplicateRate);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            put(batch, random.nextDouble() < duplicateRate);
        }
    }

    /** Writes everything sent so far again, {@code times} times, as the replay tool would with shadow remapping. */
    void replay(int times) throws InterruptedException {
        EnvelopeRewriter rewriter = new EnvelopeRewriter(CustomerRemapper.prefix(SHADOW_PREFIX), "", Duration.ZERO);
        List<KinesisPutter.Entry> replayed = new ArrayList<>();
        for (KinesisPutter.Entry entry : written) {
            EnvelopeRewriter.Rewritten record = rewriter.rewrite(entry.data());
            replayed.add(new KinesisPutter.Entry(record.partitionKey(), record.data(), null));
        }
        for (StackAccounting.SentEvent event : live) {
            shadow.add(new StackAccounting.SentEvent(event.eventId(), SHADOW_PREFIX + event.customerId(),
                event.keyTime()));
        }
        for (int time = 0; time < times; time++) {
            for (int from = 0; from < replayed.size(); from += KinesisPutter.MAX_RECORDS) {
                List<KinesisPutter.Entry> part = replayed.subList(from, Math.min(replayed.size(),
                    from + KinesisPutter.MAX_RECORDS));
                write(part);
                replayedRecords.addAndGet(part.size());
            }
        }
    }

    private void put(List<KinesisPutter.Entry> batch, boolean twice) throws InterruptedException {
        write(batch);
        written.addAll(batch);
        if (twice) {
            write(batch);
            duplicateBatches.incrementAndGet();
        }
    }

    private void write(List<KinesisPutter.Entry> entries) throws InterruptedException {
        KinesisPutter.Outcome outcome = putter.put(entries, entry -> { });
        if (!outcome.failed().isEmpty()) {
            throw new IllegalStateException(outcome.failed().size() + " records could not be written to the stream: "
                + outcome.failed().get(0).errorCode());
        }
    }

    List<StackAccounting.SentEvent> live() {
        return live;
    }

    List<StackAccounting.SentEvent> shadow() {
        return shadow;
    }

    long duplicateBatches() {
        return duplicateBatches.get();
    }

    long replayedRecords() {
        return replayedRecords.get();
    }
}
