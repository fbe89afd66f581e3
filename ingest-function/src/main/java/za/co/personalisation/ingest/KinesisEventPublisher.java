package za.co.personalisation.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.InterestEventCodec;

/**
 * Writes events to the interest-events stream with PutRecords, at most 500 records a call, partition key =
 * customerId so one customer's events stay ordered on one shard.
 *
 * <p>Records that fail inside a call (throttling, internal errors) are retried with exponential backoff and full
 * jitter until the time budget runs out; what still fails is reported, never claimed as written.
 */
public final class KinesisEventPublisher {

    public static final int MAX_RECORDS_PER_CALL = 500;

    /** Sleeps between retries; tests pass one that records instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Which events were written, which still failed when the budget ran out, and how many record retries. */
    public record Outcome(List<InterestEvent> written, List<InterestEvent> failed, int retries) {
    }

    private final KinesisClient kinesis;
    private final String streamName;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Random jitter;
    private final Duration baseDelay;

    public KinesisEventPublisher(KinesisClient kinesis, String streamName, Clock clock, Sleeper sleeper,
        Random jitter) {
        this.kinesis = kinesis;
        this.streamName = streamName;
        this.clock = clock;
        this.sleeper = sleeper;
        this.jitter = jitter;
        this.baseDelay = Duration.ofMillis(50);
    }

    public Outcome publish(List<InterestEvent> events, Duration budget) {
        Instant deadline = clock.instant().plus(budget);
        List<InterestEvent> written = new ArrayList<>(events.size());
        List<InterestEvent> failed = new ArrayList<>();
        int retries = 0;
        for (int from = 0; from < events.size(); from += MAX_RECORDS_PER_CALL) {
            List<InterestEvent> pending = events.subList(from, Math.min(from + MAX_RECORDS_PER_CALL, events.size()));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 0) {
                    Duration delay = backoff(attempt);
                    if (clock.instant().plus(delay).isAfter(deadline)) {
                        break;
                    }
                    pause(delay);
                    retries += pending.size();
                }
                pending = putOnce(pending, written);
            }
            failed.addAll(pending);
        }
        return new Outcome(written, failed, retries);
    }

    /** Puts one chunk; returns the events that must be tried again. */
    private List<InterestEvent> putOnce(List<InterestEvent> chunk, List<InterestEvent> written) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(chunk.size());
        for (InterestEvent event : chunk) {
            entries.add(PutRecordsRequestEntry.builder()
                .partitionKey(event.customerId())
                .data(SdkBytes.fromByteArrayUnsafe(InterestEventCodec.encode(event)))
                .build());
        }
        PutRecordsResponse response;
        try {
            response = kinesis.putRecords(PutRecordsRequest.builder().streamName(streamName).records(entries)
                .build());
        } catch (SdkException e) {
            if (!e.retryable()) {
                throw e;
            }
            return chunk;
        }
        if (response.failedRecordCount() == null || response.failedRecordCount() == 0) {
            written.addAll(chunk);
            return List.of();
        }
        List<InterestEvent> again = new ArrayList<>();
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < chunk.size(); i++) {
            if (results.get(i).errorCode() != null) {
                again.add(chunk.get(i));
            } else {
                written.add(chunk.get(i));
            }
        }
        return again;
    }

    /** Full jitter: uniform in [0, base × 2^attempt], capped at 2 s. */
    private Duration backoff(int attempt) {
        long ceiling = Math.min(2_000, baseDelay.toMillis() << Math.min(attempt, 10));
        return Duration.ofMillis(jitter.nextInt((int) ceiling + 1));
    }

    private void pause(Duration delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying PutRecords", e);
        }
    }
}
