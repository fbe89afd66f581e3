package za.co.personalisation.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import za.co.personalisation.aws.retry.Backoff;
import za.co.personalisation.aws.retry.Sleeper;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.StreamEventCodec;

/**
 * Writes stream events (interest, consent, erasure) with PutRecords, at most 500 records a call, so n events take
 * exactly ceil(n / 500) calls when nothing fails. Partition key = customerId: one customer's events share a shard.
 *
 * <p>Records that fail inside a call ({@code FailedRecordCount}: throttling, internal errors) and calls that fail
 * as a whole are retried, only the failed records, with exponential backoff and full jitter (uniform in
 * [0, min(cap, base × 2^attempt)]) until the time budget of the request runs out; each call's own timeout is the
 * budget left. What still fails is reported as failed, never claimed as written. An error that retrying cannot
 * fix (the stream does not exist, access denied) fails the chunk at once.
 */
public final class KinesisEventPublisher {

    public static final int MAX_RECORDS_PER_CALL = 500;
    static final Duration BASE_DELAY = Duration.ofMillis(50);
    static final Duration MAX_DELAY = Duration.ofSeconds(1);
    private static final Backoff BACKOFF = new Backoff(BASE_DELAY, MAX_DELAY);
    private static final Duration MIN_CALL_TIME = Duration.ofMillis(100);

    /**
     * What happened to a publish.
     *
     * @param written    events the stream took
     * @param failed     events it had not taken when the budget ran out or a permanent error came back
     * @param retries    records sent again after a failure
     * @param errorCode  the last error code seen (an AWS error code or exception type), empty when none
     */
    public record Outcome(List<StreamEvent> written, List<StreamEvent> failed, int retries, String errorCode) {

        public Outcome {
            written = List.copyOf(written);
            failed = List.copyOf(failed);
        }

        public boolean complete() {
            return failed.isEmpty();
        }
    }

    private final KinesisClient kinesis;
    private final String streamName;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator jitter;

    public KinesisEventPublisher(KinesisClient kinesis, String streamName, Clock clock, Sleeper sleeper,
        RandomGenerator jitter) {
        this.kinesis = kinesis;
        this.streamName = streamName;
        this.clock = clock;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    public Outcome publish(List<? extends StreamEvent> events, Duration budget) {
        Instant deadline = clock.instant().plus(budget);
        List<StreamEvent> written = new ArrayList<>(events.size());
        List<StreamEvent> failed = new ArrayList<>(0);
        Attempts attempts = new Attempts();
        for (int from = 0; from < events.size(); from += MAX_RECORDS_PER_CALL) {
            List<Pending> pending = encode(events.subList(from, Math.min(from + MAX_RECORDS_PER_CALL,
                events.size())));
            for (int attempt = 0; !pending.isEmpty() && !attempts.permanent; attempt++) {
                if (attempt > 0) {
                    Duration delay = BACKOFF.delay(attempt, jitter);
                    if (Duration.between(clock.instant(), deadline).compareTo(delay.plus(MIN_CALL_TIME)) < 0) {
                        break;
                    }
                    pause(delay);
                    attempts.retries += pending.size();
                }
                Duration left = Duration.between(clock.instant(), deadline);
                pending = putOnce(pending, written, left.compareTo(MIN_CALL_TIME) < 0 ? MIN_CALL_TIME : left,
                    attempts);
            }
            pending.forEach(p -> failed.add(p.event()));
        }
        return new Outcome(written, failed, attempts.retries, attempts.errorCode);
    }

    private static List<Pending> encode(List<? extends StreamEvent> chunk) {
        List<Pending> pending = new ArrayList<>(chunk.size());
        for (StreamEvent event : chunk) {
            pending.add(new Pending(event, PutRecordsRequestEntry.builder()
                .partitionKey(event.customerId())
                .data(SdkBytes.fromByteArrayUnsafe(StreamEventCodec.encode(event)))
                .build()));
        }
        return pending;
    }

    /** Puts one chunk; returns the records that must be tried again. */
    private List<Pending> putOnce(List<Pending> chunk, List<StreamEvent> written, Duration timeout,
        Attempts attempts) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(chunk.size());
        chunk.forEach(p -> entries.add(p.entry()));
        PutRecordsResponse response;
        try {
            response = kinesis.putRecords(PutRecordsRequest.builder()
                .streamName(streamName)
                .records(entries)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))
                .build());
        } catch (SdkException e) {
            attempts.errorCode = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? aws.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
            attempts.permanent = !e.retryable() && !(e instanceof AwsServiceException aws && aws.statusCode() >= 500);
            return chunk;
        }
        Integer failedCount = response.failedRecordCount();
        if (failedCount == null || failedCount == 0) {
            chunk.forEach(p -> written.add(p.event()));
            return List.of();
        }
        List<Pending> again = new ArrayList<>(failedCount);
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < chunk.size(); i++) {
            PutRecordsResultEntry result = i < results.size() ? results.get(i) : null;
            if (result == null || result.errorCode() != null) {
                again.add(chunk.get(i));
                if (result != null) {
                    attempts.errorCode = result.errorCode();
                }
            } else {
                written.add(chunk.get(i).event());
            }
        }
        return again;
    }

    private void pause(Duration delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying PutRecords", e);
        }
    }

    private record Pending(StreamEvent event, PutRecordsRequestEntry entry) {
    }

    private static final class Attempts {
        private int retries;
        private String errorCode = "";
        private boolean permanent;
    }
}
