package za.co.personalisation.local.api;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The local gateway's front door: the executor the HTTP server hands each request to. It notes when each request
 * arrived and lets at most {@code workers + queue} requests in at once; a request beyond that is marked throttled
 * and handed to a small pool of its own, which answers it at once (429) without waiting behind the queue. The
 * handler reads {@link #current()} to learn how long its request waited and whether it was throttled.
 */
final class Admission implements Executor, AutoCloseable {

    /** How one request got in: when it arrived ({@code nanoTime}) and whether it is beyond the bound. */
    record Ticket(long arrivedNanos, boolean throttled) {
    }

    private static final ThreadLocal<Ticket> CURRENT = new ThreadLocal<>();
    /** Threads that answer throttled requests: a 429 takes microseconds, so two keep up with any flood. */
    private static final int REJECT_WORKERS = 2;

    private final int capacity;
    private final LongSupplier nanoTime;
    private final ThreadPoolExecutor workers;
    private final ExecutorService rejects;
    private final AtomicInteger inside = new AtomicInteger();

    Admission(GatewayLimits limits, LongSupplier nanoTime) {
        this.capacity = limits.workers() + limits.queue();
        this.nanoTime = nanoTime;
        // threads are started as requests need them, up to workers, and end after a minute without work
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), daemon("api-gateway"));
        this.workers.allowCoreThreadTimeOut(true);
        this.rejects = new ThreadPoolExecutor(REJECT_WORKERS, REJECT_WORKERS, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), daemon("api-throttled"));
        ((ThreadPoolExecutor) rejects).allowCoreThreadTimeOut(true);
    }

    /** The ticket of the request the calling thread handles, or {@code null} outside a request. */
    static Ticket current() {
        return CURRENT.get();
    }

    /** Requests inside (queued or being served) right now. */
    int inside() {
        return inside.get();
    }

    /** Never throws: the JDK's server would leak the connection of a request its executor refused. */
    @Override
    public void execute(Runnable exchange) {
        long arrived = nanoTime.getAsLong();
        if (inside.incrementAndGet() > capacity) {
            inside.decrementAndGet();
            rejects.execute(() -> run(exchange, new Ticket(arrived, true)));
            return;
        }
        workers.execute(() -> {
            try {
                run(exchange, new Ticket(arrived, false));
            } finally {
                inside.decrementAndGet();
            }
        });
    }

    private static void run(Runnable exchange, Ticket ticket) {
        CURRENT.set(ticket);
        try {
            exchange.run();
        } finally {
            CURRENT.remove();
        }
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, …: the gateway's pools. */
    static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        workers.shutdownNow();
        rejects.shutdownNow();
    }
}
