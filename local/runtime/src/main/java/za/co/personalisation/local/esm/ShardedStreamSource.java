package za.co.personalisation.local.esm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import za.co.personalisation.aws.log.JsonLog;

/**
 * The polling half of a stream event source mapping, shared by Kinesis and DynamoDB Streams: one thread per
 * shard, records buffered until BatchSize is reached or MaximumBatchingWindowInSeconds has passed since the first
 * buffered record, then handed to a {@link StreamBatchRunner}, in order.
 */
abstract class ShardedStreamSource<R> implements EventSource {

    private static final Duration IDLE_POLL = Duration.ofMillis(100);

    protected final EventSourceSettings settings;
    protected final LocalFunction function;
    protected final Clock clock;
    private final JsonLog log;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    ShardedStreamSource(EventSourceSettings settings, LocalFunction function, Clock clock, JsonLog log) {
        this.settings = settings;
        this.function = function;
        this.clock = clock;
        this.log = log;
    }

    /** The shard ids to poll. */
    protected abstract List<String> shards();

    /** An iterator at the mapping's starting position. */
    protected abstract String iterator(String shardId);

    /** One GetRecords call. */
    protected abstract Page<R> read(String iterator);

    protected abstract StreamBatchRunner.Adapter<R> adapter(String shardId);

    /** A page of records and the iterator for the next call ({@code null} when the shard is closed). */
    protected record Page<R>(List<R> records, String next) {
    }

    @Override
    public void start() {
        running.set(true);
        for (String shard : shards()) {
            Thread thread = new Thread(() -> poll(shard), "esm-" + function.definition().logicalId() + "-" + shard);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void poll(String shardId) {
        StreamBatchRunner<R> runner = new StreamBatchRunner<>(settings, function.newInstance(), adapter(shardId),
            clock, duration -> Thread.sleep(duration.toMillis()));
        List<R> buffer = new ArrayList<>();
        Instant firstBuffered = null;
        String iterator = null;
        while (running.get()) {
            try {
                if (iterator == null) {
                    iterator = iterator(shardId);
                }
                Page<R> page = read(iterator);
                iterator = page.next();
                if (!page.records().isEmpty() && buffer.isEmpty()) {
                    firstBuffered = clock.instant();
                }
                buffer.addAll(page.records());
                while (!buffer.isEmpty() && (buffer.size() >= settings.batchSize()
                    || !clock.instant().isBefore(firstBuffered.plus(settings.batchingWindow())))) {
                    List<R> batch = new ArrayList<>(buffer.subList(0, Math.min(settings.batchSize(), buffer.size())));
                    buffer.subList(0, batch.size()).clear();
                    runner.process(batch);
                    delivered.addAndGet(batch.size());
                    firstBuffered = clock.instant();
                }
                if (page.records().isEmpty()) {
                    Thread.sleep(IDLE_POLL.toMillis());
                }
                if (iterator == null) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                log.warn("esm.poll_failed").with("function", function.definition().logicalId()).with("shard", shardId)
                    .error(e).log();
                iterator = null;
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            thread.interrupt();
        }
    }
}
