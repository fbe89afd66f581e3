package za.co.personalisation.local.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * A function's handler running in this JVM, invoked the way Lambda would:
 * <ul>
 *   <li>each {@link Instance} is one execution environment: its own handler object, one invocation at a time.
 *   Pollers own one instance per concurrent batch; the API borrows idle instances from a pool and creates a new
 *   one when all are busy, as Lambda scales out;</li>
 *   <li>the handler is built on the first invocation of an instance (the cold start) and the construction time is
 *   logged as {@code lambda.init} with {@code initDurationMs}, like the Init Duration of Lambda's REPORT line;</li>
 *   <li>each invocation gets a {@link LocalContext} with the function's name, ARN, memory size and deadline;</li>
 *   <li>the Timeout is enforced: the handler runs on the instance's worker thread; when it has not returned after
 *   the function's Timeout, the invocation fails with {@link FunctionTimeoutException} (a function error, as
 *   Lambda reports "Task timed out"), the worker is interrupted and abandoned, and the environment is discarded so
 *   the next invocation starts cold, as Lambda does after a timeout;</li>
 *   <li>a timed-out invocation has no late side effects: Lambda freezes its sandbox, and here its worker thread is
 *   {@link FrozenSandbox frozen}, so any AWS call it still tries fails before it is sent.</li>
 * </ul>
 */
public final class LocalFunction {

    private final FunctionDefinition definition;
    private final String arn;
    private final Supplier<RequestHandler<Object, Object>> factory;
    private final JsonLog log;
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong coldStarts = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peakRunning = new AtomicInteger();
    private final Deque<Instance> idle = new ConcurrentLinkedDeque<>();
    private final Tracer tracer;
    /** The invocation running on each worker thread, by thread: what {@link #timeOutNow} cuts short. */
    private static final Map<Thread, Running> RUNNING = new ConcurrentHashMap<>();
    /**
     * The sandbox (execution environment) a thread belongs to: set on the environment's worker thread, and inherited
     * by every thread the handler starts from it (a pool of writer threads, say), so that freezing the sandbox
     * freezes them all, as Lambda freezes the whole sandbox, and the chaos run can tell whose call it sees.
     */
    private static final InheritableThreadLocal<Sandbox> SANDBOX = new InheritableThreadLocal<>();

    /** One execution environment: frozen once it is discarded; {@code current} = the invocation it runs. */
    private static final class Sandbox {

        private final String functionId;
        private volatile boolean frozen;
        private volatile Running current;

        Sandbox(String functionId) {
            this.functionId = functionId;
        }
    }

    private static final class Running {

        private final String functionId;
        private final CompletableFuture<Object> outcome;

        Running(String functionId, CompletableFuture<Object> outcome) {
            this.functionId = functionId;
            this.outcome = outcome;
        }

        String functionId() {
            return functionId;
        }

        CompletableFuture<Object> outcome() {
            return outcome;
        }
    }

    /**
     * Wraps each invocation as Lambda's active tracing does: a segment around the handler, on the thread that runs
     * it, continuing the caller's trace when the event carries one.
     */
    @FunctionalInterface
    public interface Tracer {

        Object trace(String functionName, Object event, java.util.concurrent.Callable<Object> invocation)
            throws Exception;

        /** No tracing: the invocation as it is. */
        Tracer NONE = (functionName, event, invocation) -> invocation.call();
    }

    public LocalFunction(FunctionDefinition definition, String arn, Supplier<RequestHandler<Object, Object>> factory) {
        this(definition, arn, factory, Tracer.NONE);
    }

    public LocalFunction(FunctionDefinition definition, String arn, Supplier<RequestHandler<Object, Object>> factory,
        Tracer tracer) {
        this.definition = definition;
        this.arn = arn;
        this.factory = factory;
        this.tracer = tracer;
        this.log = JsonLog.forFunction(definition.name());
    }

    public FunctionDefinition definition() {
        return definition;
    }

    /** A new execution environment: a handler instance of its own, built on its first invocation. */
    public Instance newInstance() {
        return new Instance();
    }

    /**
     * Invokes on an idle execution environment, or a new one when every environment is busy (the API's way:
     * concurrent requests get concurrent environments, a warm one is reused).
     */
    public Object invokePooled(Object event) {
        Instance instance = idle.pollFirst();
        if (instance == null) {
            instance = newInstance();
        }
        try {
            return instance.invoke(event);
        } finally {
            idle.addFirst(instance);
        }
    }

    public long invocations() {
        return invocations.get();
    }

    public long errors() {
        return errors.get();
    }

    public long timeouts() {
        return timeouts.get();
    }

    public long coldStarts() {
        return coldStarts.get();
    }

    /** The most invocations that ran at the same time so far. */
    public int peakRunning() {
        return peakRunning.get();
    }

    /** Invocations running right now. */
    public int running() {
        return running.get();
    }

    /** The logical id of the function whose invocation runs on {@code thread}, or {@code null}. */
    public static String functionOn(Thread thread) {
        Running running = RUNNING.get(thread);
        return running == null ? null : running.functionId();
    }

    /**
     * The invocation running on {@code thread}: an object equal only to itself, the same for the whole invocation,
     * or {@code null} (the chaos run decides its faults once per invocation).
     */
    public static Object invocationOn(Thread thread) {
        return RUNNING.get(thread);
    }

    /**
     * Ends the invocation running on {@code thread} now, exactly as when its Timeout runs out: the invoker sees
     * {@link FunctionTimeoutException}, the thread is frozen and interrupted. For the chaos run's "timeout during a
     * send". Returns false when no invocation runs on that thread.
     */
    public static boolean timeOutNow(Thread thread) {
        Running running = RUNNING.get(thread);
        return running != null && running.outcome().completeExceptionally(new TimeoutException("cut short"));
    }

    /** Whether the calling thread belongs to a sandbox that has been frozen (timed out, crashed, discarded). */
    static boolean inFrozenSandbox() {
        Sandbox sandbox = SANDBOX.get();
        return sandbox != null && sandbox.frozen;
    }

    /**
     * The logical id of the function whose invocation the calling thread works for (its worker thread or a thread
     * the handler started), or {@code null}.
     */
    public static String currentFunction() {
        Sandbox sandbox = SANDBOX.get();
        return sandbox == null || sandbox.current == null ? null : sandbox.functionId;
    }

    /** The invocation the calling thread works for (an object equal only to itself), or {@code null}. */
    public static Object currentInvocation() {
        Sandbox sandbox = SANDBOX.get();
        return sandbox == null ? null : sandbox.current;
    }

    /** {@link #timeOutNow(Thread)} for the invocation the calling thread works for. */
    public static boolean timeOutNow() {
        Sandbox sandbox = SANDBOX.get();
        Running running = sandbox == null ? null : sandbox.current;
        return running != null && running.outcome().completeExceptionally(new TimeoutException("cut short"));
    }

    /**
     * Crashes the invocation the calling thread works for, as when the runtime dies: its sandbox is frozen at once
     * (no thread of it reaches AWS any more) and the invoker sees {@link FunctionCrashedException}. For the chaos
     * run's "crash mid-batch". Returns false when the thread works for no invocation.
     */
    public static boolean crashNow(Error cause) {
        Sandbox sandbox = SANDBOX.get();
        Running running = sandbox == null ? null : sandbox.current;
        if (running == null) {
            return false;
        }
        sandbox.frozen = true;
        return running.outcome().completeExceptionally(cause);
    }

    /** Lambda's "Runtime exited with error": the handler threw an {@link Error}; a function error. */
    public static final class FunctionCrashedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        FunctionCrashedException(Error cause) {
            super("Runtime exited with error: " + cause.getClass().getName(), cause);
        }
    }

    /** Lambda's "Task timed out after N seconds": the invocation is a function error. */
    public static final class FunctionTimeoutException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        FunctionTimeoutException(Duration timeout) {
            super(String.format(java.util.Locale.ROOT, "Task timed out after %.2f seconds",
                timeout.toMillis() / 1000.0));
        }
    }

    /** One execution environment. */
    public final class Instance {

        private RequestHandler<Object, Object> handler;
        private ExecutorService worker;
        /** The thread running the current invocation, to freeze if it times out. */
        private volatile Thread invocationThread;
        /** This environment's sandbox; a new one after each discard. */
        private Sandbox sandbox;

        private Instance() {
        }

        /** Invokes the handler; a thrown exception (or a timeout) is the function error Lambda would see. */
        public synchronized Object invoke(Object event) {
            invocations.incrementAndGet();
            peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Long initMs = handler == null ? init() : null;
                LocalContext context = new LocalContext(definition.name(), arn, definition.memoryMb(),
                    definition.timeout());
                long started = System.nanoTime();
                RequestHandler<Object, Object> current = handler;
                CompletableFuture<Object> result = new CompletableFuture<>();
                Sandbox sandbox = this.sandbox;
                worker.execute(() -> {
                    Thread thread = Thread.currentThread();
                    this.invocationThread = thread;
                    Running running = new Running(definition.logicalId(), result);
                    RUNNING.put(thread, running);
                    SANDBOX.set(sandbox);
                    sandbox.current = running;
                    try {
                        result.complete(tracer.trace(definition.name(), event,
                            () -> current.handleRequest(event, context)));
                    } catch (Throwable thrown) {
                        if (thrown instanceof Error) {
                            // Lambda's runtime exits: nothing this sandbox still tries may happen.
                            FrozenSandbox.freeze(thread);
                        }
                        result.completeExceptionally(thrown);
                    } finally {
                        RUNNING.remove(thread);
                        sandbox.current = null;
                    }
                });
                try {
                    Object response = outcome(result, definition.timeout());
                    report(context, started, initMs, "success");
                    return response;
                } catch (TimeoutException e) {
                    // Freeze before interrupting: what the handler does once interrupted must not reach AWS either.
                    FrozenSandbox.freeze(invocationThread);
                    result.cancel(true);
                    discard();
                    timeouts.incrementAndGet();
                    errors.incrementAndGet();
                    report(context, started, initMs, "timeout");
                    throw new FunctionTimeoutException(definition.timeout());
                } catch (ExecutionException e) {
                    errors.incrementAndGet();
                    Throwable cause = e.getCause();
                    if (cause instanceof Error error) {
                        discard();
                        report(context, started, initMs, "crash");
                        throw new FunctionCrashedException(error);
                    }
                    report(context, started, initMs, "error");
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    FrozenSandbox.freeze(invocationThread);
                    result.cancel(true);
                    discard();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("invocation of " + definition.logicalId() + " interrupted", e);
                }
            } finally {
                running.decrementAndGet();
            }
        }

        /** The invocation's result within {@code timeout}; a cut ({@link #timeOutNow}) is a timeout too. */
        private Object outcome(CompletableFuture<Object> result, Duration timeout) throws TimeoutException,
            ExecutionException, InterruptedException {
            try {
                return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TimeoutException cut) {
                    throw cut;
                }
                throw e;
            }
        }

        private long init() {
            long started = System.nanoTime();
            try {
                handler = factory.get();
            } catch (RuntimeException | Error e) {
                errors.incrementAndGet();
                log.error("lambda.init_failed").with("functionId", definition.logicalId()).error(e).log();
                throw e;
            }
            long initMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            sandbox = new Sandbox(definition.logicalId());
            worker = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lambda-" + definition.logicalId());
                thread.setDaemon(true);
                return thread;
            });
            coldStarts.incrementAndGet();
            log.info("lambda.init").with("functionId", definition.logicalId()).with("initDurationMs", initMs)
                .with("memorySizeMb", definition.memoryMb()).log();
            return initMs;
        }

        /** After a timeout: the worker may still be running the old invocation; drop the whole environment. */
        private void discard() {
            if (sandbox != null) {
                sandbox.frozen = true;
            }
            if (worker != null) {
                worker.shutdownNow();
            }
            worker = null;
            handler = null;
        }

        private void report(LocalContext context, long started, Long initMs, String outcome) {
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            JsonLog.Entry entry = log.info("lambda.report").with("functionId", definition.logicalId())
                .with("requestId", context.getAwsRequestId()).with("durationMs", durationMs)
                .with("memorySizeMb", definition.memoryMb()).with("outcome", outcome);
            if (initMs != null) {
                entry.with("initDurationMs", initMs);
            }
            entry.log();
        }
    }
}
