package za.co.personalisation.replay.playback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import za.co.personalisation.replay.kinesis.KinesisPutter;
import za.co.personalisation.replay.kinesis.ShardMap;
import za.co.personalisation.replay.kinesis.ShardThrottle;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * Replays into a Kinesis stream with PutRecords, partition key = the (mapped) customerId as the pipeline writes
 * it, each of the stream's shards held to its write limits by a {@link ShardThrottle}; records Kinesis still
 * refuses (ProvisionedThroughputExceeded) are retried with backoff by the {@link KinesisPutter}.
 *
 * <p>Records are gathered into a call until it is full or spans {@link #BATCH_SPAN} of the shards' budget; the
 * call then leaves when its last record is due, so the limits hold without a call per record.
 */
public final class StreamTarget implements ReplayTarget {

    static final Duration BATCH_SPAN = Duration.ofMillis(100);

    private final String streamName;
    private final KinesisPutter putter;
    private final ShardMap shards;
    private final ShardThrottle throttle;
    private final Sleeper sleeper;
    private final ReplayStats stats;
    private final List<KinesisPutter.Entry> buffer = new ArrayList<>();
    private int bufferedBytes;
    private long firstDue;
    private long lastDue = Long.MIN_VALUE;

    public StreamTarget(String streamName, KinesisPutter putter, ShardMap shards, ShardThrottle throttle,
        Sleeper sleeper, ReplayStats stats) {
        this.streamName = streamName;
        this.putter = putter;
        this.shards = shards;
        this.throttle = throttle;
        this.sleeper = sleeper;
        this.stats = stats;
    }

    @Override
    public void send(EnvelopeRewriter.Rewritten record) throws InterruptedException {
        String key = record.partitionKey();
        int size = record.data().length + key.length();
        if (buffer.size() == KinesisPutter.MAX_RECORDS || bufferedBytes + size > KinesisPutter.MAX_BYTES) {
            flush();
        }
        long now = System.nanoTime();
        long due = now + throttle.reserve(shards.shardFor(key), size, now);
        if (buffer.isEmpty()) {
            firstDue = due;
        }
        buffer.add(new KinesisPutter.Entry(key, record.data(), record.event().eventId()));
        bufferedBytes += size;
        lastDue = Math.max(lastDue, due);
        if (lastDue - firstDue >= BATCH_SPAN.toNanos()) {
            flush();
        }
    }

    @Override
    public void flush() throws InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        long wait = lastDue - System.nanoTime();
        if (wait > 0) {
            sleeper.sleep(Duration.ofNanos(wait));
        }
        KinesisPutter.Outcome outcome = putter.put(List.copyOf(buffer), entry -> { });
        buffer.clear();
        bufferedBytes = 0;
        lastDue = Long.MIN_VALUE;
        stats.sent(outcome.written());
        outcome.retries().forEach(stats::retried);
        outcome.failed().forEach(failed -> stats.failed(failed.errorCode(), 1));
    }

    @Override
    public String describe() {
        return "stream " + streamName + " (" + shards.size() + (shards.size() == 1 ? " shard)" : " shards)");
    }
}
