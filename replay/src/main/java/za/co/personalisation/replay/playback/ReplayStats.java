package za.co.personalisation.replay.playback;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What a replay did: records read, sent, skipped (with why), failed and retried (by error). Thread-safe. */
public final class ReplayStats {

    private final AtomicLong read = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> retried = new ConcurrentHashMap<>();

    void read() {
        read.incrementAndGet();
    }

    public void sent(long count) {
        sent.addAndGet(count);
    }

    public void skipped(String reason) {
        skipped.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void failed(String error, long count) {
        failed.computeIfAbsent(error, e -> new LongAdder()).add(count);
    }

    public void retried(String error, long count) {
        retried.computeIfAbsent(error, e -> new LongAdder()).add(count);
    }

    public long readCount() {
        return read.get();
    }

    public long sentCount() {
        return sent.get();
    }

    public long failedCount() {
        return failed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long skippedCount() {
        return skipped.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> skippedByReason() {
        return snapshot(skipped);
    }

    public Map<String, Long> failedByError() {
        return snapshot(failed);
    }

    public Map<String, Long> retriedByError() {
        return snapshot(retried);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }
}
