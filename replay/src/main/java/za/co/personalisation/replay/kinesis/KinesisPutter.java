package za.co.personalisation.replay.kinesis;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import za.co.personalisation.aws.retry.Backoff;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * Writes records with PutRecords (at most {@value #MAX_RECORDS} a call, {@value #MAX_BYTES} bytes), retrying the
 * records Kinesis refused (ProvisionedThroughputExceededException, InternalFailure) and calls that failed in a
 * retryable way, with exponential backoff and full jitter, until {@code maxAttempts}. Thread-safe.
 */
public final class KinesisPutter {

    public static final int MAX_RECORDS = 500;
    public static final int MAX_BYTES = 5 * 1024 * 1024;

    /** A record to write; {@code tag} is the caller's, handed back with the outcome. */
    public record Entry(String partitionKey, byte[] data, Object tag) {

        int size() {
            return data.length + partitionKey.length();
        }
    }

    /** A record given up on, with the last error Kinesis gave for it. */
    public record Failed(Entry entry, String errorCode) {
    }

    /** What became of a call's records. {@code retries} counts retried records by error code. */
    public record Outcome(int written, List<Failed> failed, Map<String, Long> retries) {
    }

    private final KinesisClient kinesis;
    private final String streamName;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public KinesisPutter(KinesisClient kinesis, String streamName, Backoff backoff, int maxAttempts, Sleeper sleeper,
        RandomGenerator random) {
        this.kinesis = kinesis;
        this.streamName = streamName;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.sleeper = sleeper;
        this.random = random;
    }

    /**
     * Writes {@code entries} (at most {@value #MAX_RECORDS}), calling {@code onWritten} for each as soon as Kinesis
     * has confirmed it.
     */
    public Outcome put(List<Entry> entries, Consumer<Entry> onWritten) throws InterruptedException {
        if (entries.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("at most " + MAX_RECORDS + " records per PutRecords call");
        }
        Map<String, Long> retries = new TreeMap<>();
        List<Entry> pending = entries;
        Map<Entry, String> lastError = new IdentityHashMap<>();
        int written = 0;
        for (int attempt = 0; attempt < maxAttempts && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                sleeper.sleep(backoff.delay(attempt - 1, random));
            }
            List<Entry> again = new ArrayList<>();
            List<PutRecordsRequestEntry> request = new ArrayList<>(pending.size());
            for (Entry entry : pending) {
                request.add(PutRecordsRequestEntry.builder().partitionKey(entry.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(entry.data())).build());
            }
            PutRecordsResponse response;
            try {
                response = kinesis.putRecords(b -> b.streamName(streamName).records(request));
            } catch (SdkException e) {
                String code = errorCode(e);
                if (!e.retryable() && !code.contains("Throughput") && !code.contains("Throttl")) {
                    List<Failed> failed = new ArrayList<>();
                    pending.forEach(entry -> failed.add(new Failed(entry, code)));
                    return new Outcome(written, failed, retries);
                }
                retries.merge(code, (long) pending.size(), Long::sum);
                pending.forEach(entry -> lastError.put(entry, code));
                continue;
            }
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < pending.size(); i++) {
                PutRecordsResultEntry result = results.get(i);
                Entry entry = pending.get(i);
                if (result.errorCode() == null) {
                    written++;
                    onWritten.accept(entry);
                } else {
                    retries.merge(result.errorCode(), 1L, Long::sum);
                    lastError.put(entry, result.errorCode());
                    again.add(entry);
                }
            }
            pending = again;
        }
        List<Failed> failed = new ArrayList<>();
        pending.forEach(entry -> failed.add(new Failed(entry, lastError.getOrDefault(entry, "unknown"))));
        return new Outcome(written, failed, retries);
    }

    /** Splits records into PutRecords-sized calls, keeping their order. */
    public static List<List<Entry>> calls(List<Entry> entries) {
        List<List<Entry>> calls = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        int bytes = 0;
        for (Entry entry : entries) {
            if (!current.isEmpty() && (current.size() == MAX_RECORDS || bytes + entry.size() > MAX_BYTES)) {
                calls.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(entry);
            bytes += entry.size();
        }
        if (!current.isEmpty()) {
            calls.add(current);
        }
        return calls;
    }

    static String errorCode(SdkException e) {
        if (e instanceof KinesisException service && service.awsErrorDetails() != null
            && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }
}
