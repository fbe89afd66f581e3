package za.co.personalisation.local.esm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * ParallelizationFactor for one shard: up to that many batches of the shard in flight at once, each on an
 * execution environment (handler instance) of its own, while records with the same partition key (Kinesis) or
 * item key (DynamoDB Streams) stay in order. As in Lambda, a record's lane is chosen by hashing its key, so one
 * key's records always go through the same lane, one batch at a time, in sequence order.
 *
 * <p>A round is what the poller hands over at once: its records are split into lanes, each lane's records into
 * batches of at most BatchSize, lanes run concurrently and each lane's batches in order. The poller checkpoints
 * when the whole round is done, so a checkpoint never passes a record that is still in flight.
 */
final class ShardLanes<R> implements AutoCloseable {

    private final EventSourceSettings settings;
    private final LocalFunction function;
    private final StreamBatchRunner.Adapter<R> adapter;
    private final Function<R, String> key;
    private final Clock clock;
    private final Sleeper sleeper;
    private final List<StreamBatchRunner<R>> runners = new ArrayList<>();
    private final ExecutorService executor;

    ShardLanes(EventSourceSettings settings, LocalFunction function, StreamBatchRunner.Adapter<R> adapter,
        Function<R, String> key, Clock clock, Sleeper sleeper, String threadName) {
        this.settings = settings;
        this.function = function;
        this.adapter = adapter;
        this.key = key;
        this.clock = clock;
        this.sleeper = sleeper;
        int lanes = settings.parallelizationFactor();
        this.executor = lanes == 1 ? null : Executors.newFixedThreadPool(lanes, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The lane of a key: stable for the key, spread over the factor. */
    static int lane(String key, int lanes) {
        return Math.floorMod(key == null ? 0 : key.hashCode(), lanes);
    }

    /** Processes a round to completion: every record is handled or discarded when this returns. */
    void process(List<R> round) throws InterruptedException {
        int lanes = settings.parallelizationFactor();
        List<List<R>> byLane = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            byLane.add(new ArrayList<>());
        }
        for (R record : round) {
            byLane.get(lanes == 1 ? 0 : lane(key.apply(record), lanes)).add(record);
        }
        if (lanes == 1) {
            runLane(0, byLane.get(0));
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            List<R> records = byLane.get(i);
            if (!records.isEmpty()) {
                int lane = i;
                running.add(executor.submit(() -> {
                    runLane(lane, records);
                    return null;
                }));
            }
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                throw new IllegalStateException("a parallel batch failed outside the function", e.getCause());
            }
        }
    }

    private void runLane(int lane, List<R> records) throws InterruptedException {
        StreamBatchRunner<R> runner = runner(lane);
        for (int from = 0; from < records.size(); from += settings.batchSize()) {
            runner.process(new ArrayList<>(records.subList(from, Math.min(records.size(),
                from + settings.batchSize()))));
        }
    }

    private synchronized StreamBatchRunner<R> runner(int lane) {
        while (runners.size() <= lane) {
            runners.add(null);
        }
        if (runners.get(lane) == null) {
            runners.set(lane, new StreamBatchRunner<>(settings, function.newInstance(), adapter, clock, sleeper));
        }
        return runners.get(lane);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
