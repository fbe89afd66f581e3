package za.co.personalisation.replay.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import za.co.personalisation.replay.kinesis.KinesisPutter;
import za.co.personalisation.replay.kinesis.ShardMap;
import za.co.personalisation.replay.kinesis.ShardThrottle;
import za.co.personalisation.replay.kinesis.Sleeper;

/**
 * Replays into a Kinesis stream with PutRecords, partition key = the (mapped) customerId as the pipeline writes
 * it, each of the stream's shards held to its write limits by a {@link ShardThrottle}; records Kinesis still
 * refuses (ProvisionedThroughputExceeded) are retried with backoff by the {@link KinesisPutter}.
 */
public final class StreamTarget implements ReplayTarget {

    private final String streamName;
    private final KinesisPutter putter;
    private final ShardMap shards;
    private final ShardThrottle throttle;
    private final Sleeper sleeper;
    private final ReplayStats stats;
    private final List<KinesisPutter.Entry> buffer = new ArrayList<>();
    private int bufferedBytes;

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
        long wait = throttle.reserve(shards.shardFor(key), size, System.nanoTime());
        if (wait > 0) {
            flush();
            sleeper.sleep(Duration.ofNanos(wait));
        }
        if (buffer.size() == KinesisPutter.MAX_RECORDS || bufferedBytes + size > KinesisPutter.MAX_BYTES) {
            flush();
        }
        buffer.add(new KinesisPutter.Entry(key, record.data(), record.event().eventId()));
        bufferedBytes += size;
    }

    @Override
    public void flush() throws InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        KinesisPutter.Outcome outcome = putter.put(List.copyOf(buffer), entry -> { });
        buffer.clear();
        bufferedBytes = 0;
        stats.sent(outcome.written());
        outcome.retries().forEach(stats::retried);
        outcome.failed().forEach(failed -> stats.failed(failed.errorCode(), 1));
    }

    @Override
    public String describe() {
        return "stream " + streamName + " (" + shards.size() + (shards.size() == 1 ? " shard)" : " shards)");
    }
}
