package za.co.personalisation.replay.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.replay.kinesis.KinesisPutter;

/**
 * Writes events straight into the interest-events stream, past the API, as ingest would: the same envelope
 * ({@link StreamEventCodec}, place resolved by the gazetteer, receivedAt = when it is sent), partition key =
 * customerId, PutRecords batches that leave when full ({@code batchSize}, at most 500) or after {@code linger},
 * on a few writer threads. Records Kinesis refuses are retried by the {@link KinesisPutter}.
 */
public final class KinesisSink extends BatchingSink {

    private final KinesisPutter putter;
    private final String streamName;
    private final EventTimes times;
    private final Gazetteer gazetteer = Gazetteer.bundled();
    private final ExecutorService writers;

    public KinesisSink(KinesisPutter putter, String streamName, int batchSize, Duration linger, int writerThreads,
        EventTimes times) {
        super(batchSize, linger, writerThreads * 2);
        if (batchSize < 1 || batchSize > KinesisPutter.MAX_RECORDS) {
            throw new IllegalArgumentException("PutRecords takes 1 to " + KinesisPutter.MAX_RECORDS
                + " records, not " + batchSize);
        }
        this.putter = putter;
        this.streamName = streamName;
        this.times = times;
        this.writers = Executors.newFixedThreadPool(writerThreads, runnable -> {
            Thread thread = new Thread(runnable, "load-kinesis-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    void send(List<LoadEvent> events) {
        writers.execute(() -> {
            try {
                write(events);
            } finally {
                answered();
            }
        });
    }

    private void write(List<LoadEvent> events) {
        Instant now = Instant.now();
        List<KinesisPutter.Entry> entries = new ArrayList<>(events.size());
        for (LoadEvent event : events) {
            InterestEvent envelope = new InterestEvent(event.eventId(), event.customerId(),
                event.interest().toLowerCase(Locale.ROOT), gazetteer.resolve(event.place()),
                Instant.ofEpochSecond(0, times.intended(event.index()) * 1_000), now, "", false);
            entries.add(new KinesisPutter.Entry(event.customerId(), StreamEventCodec.encode(envelope), event));
        }
        try {
            KinesisPutter.Outcome outcome = putter.put(entries, entry -> times.reached(EventTimes.Stage.ACCEPTED,
                ((LoadEvent) entry.tag()).index(), EventTimes.micros(Instant.now())));
            outcome.retries().forEach(times::retried);
            outcome.failed().forEach(failed -> times.failed(((LoadEvent) failed.entry().tag()).index(),
                failed.errorCode()));
        } catch (SdkException e) {
            events.forEach(event -> times.failed(event.index(), e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.forEach(event -> times.failed(event.index(), "interrupted"));
        }
    }

    @Override
    public void drain(Duration timeout) throws InterruptedException {
        sendHeldAndAwait(timeout);
        writers.shutdown();
    }

    @Override
    public long apiRequests() {
        return 0;
    }

    @Override
    public String describe() {
        return "Kinesis stream " + streamName + " (PutRecords, batches of up to " + batchSize() + ", linger "
            + linger().toMillis() + " ms)";
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
