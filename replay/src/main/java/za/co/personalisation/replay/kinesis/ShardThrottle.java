package za.co.personalisation.replay.kinesis;

import java.util.HashMap;
import java.util.Map;

/**
 * Holds each shard to its write limits (1,000 records and 1 MiB per second by default), as a generic cell rate
 * algorithm per shard and per limit: each record uses 1/limit seconds of the shard's record budget and
 * bytes/limit seconds of its byte budget, with a tolerance of {@value #TOLERANCE_MILLIS} ms so that records can
 * leave in batches. No second then holds more than about 2 % over the limit; the odd throttling that may still
 * happen is retried with backoff. Not thread-safe: one writer thread owns it.
 */
public final class ShardThrottle {

    public static final int RECORDS_PER_SECOND = 1_000;
    public static final int BYTES_PER_SECOND = 1024 * 1024;

    static final long TOLERANCE_MILLIS = 20;
    private static final long SECOND = 1_000_000_000L;
    private static final long TOLERANCE = TOLERANCE_MILLIS * 1_000_000L;

    private final double recordsPerSecond;
    private final double bytesPerSecond;
    private final Map<String, long[]> theoretical = new HashMap<>();

    public ShardThrottle(double recordsPerSecond, double bytesPerSecond) {
        if (recordsPerSecond <= 0 || bytesPerSecond <= 0) {
            throw new IllegalArgumentException("shard limits must be positive");
        }
        this.recordsPerSecond = recordsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    public static ShardThrottle kinesisLimits() {
        return new ShardThrottle(RECORDS_PER_SECOND, BYTES_PER_SECOND);
    }

    /**
     * Takes a record of {@code bytes} on {@code shardId} at {@code nowNanos} and returns how long (ns) its sender
     * must wait before sending it: 0 while the shard is within its limits.
     */
    public long reserve(String shardId, int bytes, long nowNanos) {
        long[] arrival = theoretical.computeIfAbsent(shardId, id -> new long[] {nowNanos, nowNanos});
        long records = Math.max(arrival[0], nowNanos);
        long bytesAt = Math.max(arrival[1], nowNanos);
        arrival[0] = records + (long) (SECOND / recordsPerSecond);
        arrival[1] = bytesAt + (long) (bytes * (SECOND / bytesPerSecond));
        return Math.max(0, Math.max(records, bytesAt) - TOLERANCE - nowNanos);
    }
}
