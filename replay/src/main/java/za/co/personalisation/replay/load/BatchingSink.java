package za.co.personalisation.replay.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batching both sinks share: events wait until {@code batchSize} of them are held or the first has waited
 * {@code linger}, then leave as one request; at most {@code maxInFlight} requests are outstanding, beyond which the
 * driver waits (and its lateness is measured).
 */
abstract class BatchingSink implements LoadSink {

    private final int batchSize;
    private final Duration linger;
    private final int maxInFlight;
    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<LoadEvent> batch = new ArrayList<>();
    private long batchStarted;

    BatchingSink(int batchSize, Duration linger, int maxInFlight) {
        this.batchSize = batchSize;
        this.linger = linger;
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
    }

    /** Sends a batch; {@link #answered()} must be called once when it is answered for good. */
    abstract void send(List<LoadEvent> events);

    @Override
    public final void submit(LoadEvent event) throws InterruptedException {
        if (batch.isEmpty()) {
            batchStarted = System.nanoTime();
        }
        batch.add(event);
        if (batch.size() >= batchSize) {
            sendBatch();
        }
    }

    @Override
    public final long poll(long nowNanos) throws InterruptedException {
        if (batch.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long due = batchStarted + linger.toNanos();
        if (nowNanos >= due) {
            sendBatch();
            return Long.MAX_VALUE;
        }
        return due;
    }

    /** Sends what is held, then waits up to {@code timeout} for every request to be answered. */
    final void sendHeldAndAwait(Duration timeout) throws InterruptedException {
        if (!batch.isEmpty()) {
            sendBatch();
        }
        if (permits.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            permits.release(maxInFlight);
        }
    }

    private void sendBatch() throws InterruptedException {
        List<LoadEvent> events = List.copyOf(batch);
        batch.clear();
        permits.acquire();
        inFlight.incrementAndGet();
        send(events);
    }

    final void answered() {
        inFlight.decrementAndGet();
        permits.release();
    }

    @Override
    public final int inFlight() {
        return inFlight.get();
    }

    final int batchSize() {
        return batchSize;
    }

    final Duration linger() {
        return linger;
    }
}
