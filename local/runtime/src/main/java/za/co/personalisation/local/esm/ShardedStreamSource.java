package za.co.personalisation.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * The polling half of a stream event source mapping, shared by Kinesis and DynamoDB Streams, as Lambda's
 * documentation describes it:
 * <ul>
 *   <li>one poller per shard, records of a shard processed in sequence order;</li>
 *   <li>FilterCriteria applied to each record as it is read, before batching; a record no pattern matches is
 *   dropped (counted, never delivered) and the checkpoint moves past it;</li>
 *   <li>records buffered until BatchSize is reached or MaximumBatchingWindowInSeconds has passed since the first
 *   buffered record;</li>
 *   <li>ParallelizationFactor batches of a shard in flight at once, in order per partition key
 *   ({@link ShardLanes});</li>
 *   <li>a shard that gave less than a full read (the poller has caught up with it) is read again at the
 *   source's base rate ({@link #pollInterval()}), not at once: Lambda polls a DynamoDB stream's shards "at a base
 *   rate of 4 times per second"; reading again at once costs a call that mostly finds nothing;</li>
 *   <li>a checkpoint (the last sequence number fully processed) per shard; shard iterators expire five minutes
 *   after they were issued (Kinesis GetShardIterator / DynamoDB Streams GetShardIterator references), so an
 *   iterator held longer than that, or refused as expired, is replaced by a new one AFTER_SEQUENCE_NUMBER the
 *   checkpoint, and records read but not processed are read again. The emulator does not expire iterators, so
 *   the poller enforces the lifetime itself.</li>
 * </ul>
 */
abstract class ShardedStreamSource<R> implements EventSource {

    /** How long a shard iterator stays valid in AWS. */
    static final Duration ITERATOR_LIFETIME = Duration.ofMinutes(5);
    /** The most records one GetRecords call asks for. */
    static final int READ_LIMIT = 1_000;

    protected final EventSourceSettings settings;
    protected final LocalFunction function;
    protected final Clock clock;
    private final JsonLog log;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong iteratorRenewals = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    ShardedStreamSource(EventSourceSettings settings, LocalFunction function, Clock clock, JsonLog log) {
        this.settings = settings;
        this.function = function;
        this.clock = clock;
        this.log = log;
    }

    /** The shard ids to poll. */
    protected abstract List<String> shards();

    /**
     * A new iterator: at the mapping's starting position when {@code afterSequenceNumber} is {@code null}, else
     * AFTER_SEQUENCE_NUMBER it.
     */
    protected abstract String iterator(String shardId, String afterSequenceNumber);

    /**
     * How soon after one read of a shard the poller reads it again when that read gave less than
     * {@link #READ_LIMIT} records: real time, not the mapping's clock, which tests move.
     */
    protected abstract Duration pollInterval();

    /** One GetRecords call (at most {@link #READ_LIMIT} records); throws {@link IteratorExpiredException} when the
     * service refuses the iterator. */
    protected abstract Page<R> read(String iterator);

    protected abstract StreamBatchRunner.Adapter<R> adapter(String shardId);

    /** What ParallelizationFactor keeps in order: the partition key (Kinesis) or the item key (DynamoDB). */
    protected abstract String orderingKey(R record);

    /** The record as Lambda's event filtering sees it. */
    protected abstract JsonNode filterView(R record);

    /** A page of records and the iterator for the next call ({@code null} when the shard is closed). */
    protected record Page<R>(List<R> records, String next) {
    }

    /** The service said the iterator has expired (ExpiredIteratorException). */
    protected static final class IteratorExpiredException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        IteratorExpiredException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
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
        StreamBatchRunner.Adapter<R> adapter = adapter(shardId);
        try (ShardLanes<R> lanes = new ShardLanes<>(settings, function, adapter, this::orderingKey, clock,
            Sleeper.SYSTEM, "esm-" + function.definition().logicalId() + "-lane")) {
            pollShard(shardId, adapter, lanes);
        }
    }

    private void pollShard(String shardId, StreamBatchRunner.Adapter<R> adapter, ShardLanes<R> lanes) {
        List<R> buffer = new ArrayList<>();
        Instant firstBuffered = null;
        String iterator = null;
        Instant issuedAt = null;
        String checkpoint = null;
        String lastRead = null;
        while (running.get()) {
            try {
                if (iterator == null) {
                    iterator = iterator(shardId, checkpoint);
                    issuedAt = clock.instant();
                }
                if (!clock.instant().isBefore(issuedAt.plus(ITERATOR_LIFETIME))) {
                    throw new IteratorExpiredException(new IllegalStateException("iterator older than "
                        + ITERATOR_LIFETIME.toMinutes() + " minutes"));
                }
                long polledAt = System.nanoTime();
                Page<R> page = read(iterator);
                iterator = page.next();
                issuedAt = clock.instant();
                for (R record : page.records()) {
                    lastRead = adapter.sequenceNumber(record);
                    if (settings.filters().matches(settings.filters().isEmpty() ? null : filterView(record))) {
                        if (buffer.isEmpty()) {
                            firstBuffered = clock.instant();
                        }
                        buffer.add(record);
                    } else {
                        filtered.incrementAndGet();
                    }
                }
                inFlight.set(buffer.size());
                if (buffer.isEmpty() && lastRead != null) {
                    checkpoint = lastRead;
                }
                int roundSize = settings.batchSize() * settings.parallelizationFactor();
                while (!buffer.isEmpty() && (buffer.size() >= roundSize
                    || !clock.instant().isBefore(firstBuffered.plus(settings.batchingWindow())))) {
                    List<R> round = new ArrayList<>(buffer.subList(0, Math.min(roundSize, buffer.size())));
                    // Lambda's IteratorAge: how old the newest record of the batch is when the function gets it
                    log.info("esm.batch").with("functionName", function.definition().name())
                        .with("records", round.size())
                        .with("iteratorAgeMs", Math.max(0, java.time.Duration.between(
                            adapter.arrival(round.get(round.size() - 1)), clock.instant()).toMillis()))
                        .log();
                    lanes.process(round);
                    buffer.subList(0, round.size()).clear();
                    delivered.addAndGet(round.size());
                    inFlight.set(buffer.size());
                    checkpoint = buffer.isEmpty() ? lastRead : adapter.sequenceNumber(round.get(round.size() - 1));
                    firstBuffered = clock.instant();
                }
                if (page.records().size() < READ_LIMIT) {
                    long waitNanos = polledAt + pollInterval().toNanos() - System.nanoTime();
                    if (waitNanos > 0) {
                        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                    }
                }
                if (iterator == null && buffer.isEmpty()) {
                    return;
                }
            } catch (IteratorExpiredException e) {
                iteratorRenewals.incrementAndGet();
                log.info("esm.iterator_expired").with("function", function.definition().logicalId())
                    .with("shard", shardId).with("afterSequenceNumber", checkpoint).log();
                iterator = null;
                buffer.clear();
                inFlight.set(0);
                lastRead = checkpoint;
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
                buffer.clear();
                inFlight.set(0);
                lastRead = checkpoint;
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
    public long filtered() {
        return filtered.get();
    }

    @Override
    public long inFlight() {
        return inFlight.get();
    }

    /** How many times an expired iterator was replaced from the checkpoint. */
    public long iteratorRenewals() {
        return iteratorRenewals.get();
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            thread.interrupt();
        }
    }
}
