package za.co.personalisation.replay.load;

import java.time.Duration;

/**
 * Where the open-loop driver sends events: the API (one event a request, or batches) or Kinesis. A sink never
 * blocks the driver for a response; it records each event's acceptance (or failure) in {@link EventTimes} when it
 * comes. Only the driver's thread calls {@link #submit} and {@link #poll}.
 */
public interface LoadSink extends AutoCloseable {

    /** Takes an event that is due now. */
    void submit(LoadEvent event) throws InterruptedException;

    /**
     * Sends what has been held back long enough (batches wait at most their linger time).
     *
     * @return the System.nanoTime() by which it wants to be polled again, or {@link Long#MAX_VALUE}
     */
    long poll(long nowNanos) throws InterruptedException;

    /** Sends everything held back and waits up to {@code timeout} for every outstanding response. */
    void drain(Duration timeout) throws InterruptedException;

    /** Requests (or calls) sent and not yet answered. */
    int inFlight();

    /** HTTP requests made to the API, retries included (0 for a sink that does not use the API). */
    long apiRequests();

    /** What it sends to, for the report: "API http://…/events, one event a request". */
    String describe();

    @Override
    void close();
}
