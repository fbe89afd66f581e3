package za.co.personalisation.replay.load;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every event's timestamps through the pipeline, in microseconds since the epoch (0 = not seen): intended (from the
 * schedule), accepted (the API's 202 or Kinesis' confirmation, as the client saw it), received (the envelope's
 * receivedAt), enriched (the profile's updatedAt of the write that applied it), notified (the ledger's createdAt)
 * and delivered (the ledger's updatedAt when it became sent). Errors are counted by kind. Thread-safe.
 */
public final class EventTimes {

    /** A stage of the pipeline, in order. */
    public enum Stage {
        ACCEPTED, RECEIVED, ENRICHED, NOTIFIED, DELIVERED
    }

    private final long startMicros;
    private final long[] offsetMicros;
    private final AtomicLongArray[] stages = new AtomicLongArray[Stage.values().length];
    private final AtomicLongArray failed;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> retries = new ConcurrentHashMap<>();

    public EventTimes(LoadPlan plan, Instant start) {
        this.startMicros = micros(start);
        this.offsetMicros = new long[plan.count()];
        for (int i = 0; i < offsetMicros.length; i++) {
            offsetMicros[i] = plan.offsetNanos(i) / 1_000;
        }
        for (Stage stage : Stage.values()) {
            stages[stage.ordinal()] = new AtomicLongArray(plan.count());
        }
        this.failed = new AtomicLongArray(plan.count());
    }

    public static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    public int size() {
        return offsetMicros.length;
    }

    public long startMicros() {
        return startMicros;
    }

    public long intended(int index) {
        return startMicros + offsetMicros[index];
    }

    public void sent() {
        sent.incrementAndGet();
    }

    /** Records the first time an event reached a stage; later sightings (duplicates) are ignored. */
    public void reached(Stage stage, int index, long micros) {
        if (index < 0 || index >= offsetMicros.length || micros <= 0) {
            return;
        }
        if (stages[stage.ordinal()].compareAndSet(index, 0, micros)) {
            if (stage == Stage.ACCEPTED) {
                accepted.incrementAndGet();
            } else if (stage == Stage.ENRICHED) {
                applied.incrementAndGet();
            }
        }
    }

    /** The event was applied, but when is not known (seen in the profile after the run, not in its stream). */
    public void appliedAtUnknownTime(int index) {
        reached(Stage.ENRICHED, index, Long.MAX_VALUE);
    }

    public long at(Stage stage, int index) {
        return stages[stage.ordinal()].get(index);
    }

    public boolean reached(Stage stage, int index) {
        return at(stage, index) != 0;
    }

    /** The client gave up on an event: it was never accepted. */
    public void failed(int index, String kind) {
        if (failed.compareAndSet(index, 0, 1)) {
            error(kind);
        }
    }

    public boolean failed(int index) {
        return failed.get(index) != 0;
    }

    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void retried(String kind, long count) {
        retries.computeIfAbsent(kind, k -> new LongAdder()).add(count);
    }

    public long sentCount() {
        return sent.get();
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public long appliedCount() {
        return applied.get();
    }

    public Map<String, Long> errors() {
        return snapshot(errors);
    }

    public Map<String, Long> retries() {
        return snapshot(retries);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }
}
