package za.co.personalisation.local.esm;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * What Lambda does with one batch from a Kinesis or DynamoDB stream: invoke; on a partial batch response resume
 * from the lowest failed sequence number; on a function error bisect (when enabled) or retry the whole batch; drop
 * records older than MaximumRecordAgeInSeconds; after MaximumRetryAttempts send the batch's description to the
 * on-failure destination and move on. Records of a shard are processed in order, one batch at a time.
 */
public final class StreamBatchRunner<R> {

    /** How a stream's records look to the runner. */
    public interface Adapter<R> {

        String sequenceNumber(R record);

        Instant arrival(R record);

        /** The event Lambda would pass for these records. */
        Object event(List<R> batch);

        /** The batch is given up on: describe it to the on-failure destination. */
        void discard(List<R> batch, String condition, int retries, String lastError);
    }

    private final EventSourceSettings settings;
    private final LocalFunction.Instance function;
    private final Adapter<R> adapter;
    private final Clock clock;
    private final Sleeper sleeper;

    public StreamBatchRunner(EventSourceSettings settings, LocalFunction.Instance function, Adapter<R> adapter,
        Clock clock, Sleeper sleeper) {
        this.settings = settings;
        this.function = function;
        this.adapter = adapter;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Processes one batch to completion: every record is either handled or discarded when this returns. */
    public void process(List<R> records) throws InterruptedException {
        Deque<List<R>> work = new ArrayDeque<>();
        work.push(records);
        while (!work.isEmpty()) {
            List<R> batch = work.pop();
            int retries = 0;
            while (!batch.isEmpty()) {
                batch = dropExpired(batch, retries);
                if (batch.isEmpty()) {
                    break;
                }
                Result result = invoke(batch);
                if (result.succeeded()) {
                    break;
                }
                if (result.checkpoint() > 0) {
                    batch = new ArrayList<>(batch.subList(result.checkpoint(), batch.size()));
                } else if (result.functionError() && settings.bisectOnError() && batch.size() > 1) {
                    int half = batch.size() / 2;
                    work.push(new ArrayList<>(batch.subList(half, batch.size())));
                    work.push(new ArrayList<>(batch.subList(0, half)));
                    break;
                }
                retries++;
                if (settings.maxRetries() >= 0 && retries > settings.maxRetries()) {
                    adapter.discard(batch, "RetryAttemptsExhausted", retries - 1, result.error());
                    break;
                }
                sleeper.sleep(Duration.ofMillis(Math.min(1_000, 50L << Math.min(retries, 5))));
            }
        }
    }

    private List<R> dropExpired(List<R> batch, int retries) {
        if (settings.maxRecordAge() == null) {
            return batch;
        }
        Instant oldest = clock.instant().minus(settings.maxRecordAge());
        List<R> expired = new ArrayList<>();
        List<R> fresh = new ArrayList<>(batch.size());
        for (R record : batch) {
            (adapter.arrival(record).isBefore(oldest) ? expired : fresh).add(record);
        }
        if (!expired.isEmpty()) {
            adapter.discard(expired, "RecordAgeExceeded", retries, "");
        }
        return expired.isEmpty() ? batch : fresh;
    }

    private Result invoke(List<R> batch) {
        Object response;
        try {
            response = function.invoke(adapter.event(batch));
        } catch (RuntimeException e) {
            return new Result(false, true, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (!settings.reportBatchItemFailures() || !(response instanceof StreamsEventResponse partial)
            || partial.getBatchItemFailures() == null || partial.getBatchItemFailures().isEmpty()) {
            return new Result(true, false, 0, "");
        }
        int lowest = Integer.MAX_VALUE;
        for (StreamsEventResponse.BatchItemFailure failure : partial.getBatchItemFailures()) {
            String id = failure.getItemIdentifier();
            int index = indexOf(batch, id);
            if (index < 0) {
                // Lambda: a null, empty or unknown identifier fails the whole batch.
                return new Result(false, false, 0, "invalid batchItemFailures identifier '" + id + "'");
            }
            lowest = Math.min(lowest, index);
        }
        return new Result(false, false, lowest, "partial batch failure");
    }

    private int indexOf(List<R> batch, String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (adapter.sequenceNumber(batch.get(i)).equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    /** @param checkpoint index of the lowest failed record (0 = retry the whole batch) */
    private record Result(boolean succeeded, boolean functionError, int checkpoint, String error) {
    }
}
