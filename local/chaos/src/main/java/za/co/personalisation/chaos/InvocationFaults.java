package za.co.personalisation.chaos;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import za.co.personalisation.local.esm.LocalFunction;

/**
 * The chaos run's faults inside a function invocation, injected where the invocation talks to AWS (a global SDK
 * interceptor, active only on the threads the local runtime runs invocations on, and only while {@link #arm}ed):
 * <ul>
 *   <li><b>crash mid-batch</b>: enrich's and notify's invocations crash right after their first write has been
 *   applied: the first such invocation of each function always (so a run with a crash rate above 0 crashes each at
 *   least once, however few invocations its traffic makes: a 600-event run can be a dozen large batches), then
 *   the given share of the rest. The invocation's sandbox is frozen and an {@link InjectedCrash} (an {@link Error})
 *   thrown, as when the runtime dies; the write made stays, nothing after it happens, and the event source retries
 *   the batch;</li>
 *   <li><b>timeout during a send</b>: right after deliver's Publish (SMS) or SendEmail has been accepted, the
 *   invocation is cut short as if its Timeout ran out then ({@link LocalFunction#timeOutNow}): the provider took
 *   the message, and the ledger never hears of it.</li>
 * </ul>
 * Crashes are not injected into deliver: its batch would come back only after the queues' 180-second visibility
 * timeout, and a crash after a send is what the timeout fault already is.
 */
public final class InvocationFaults implements ExecutionInterceptor {

    /** What the chaos run throws to crash an invocation. */
    public static final class InjectedCrash extends Error {

        private static final long serialVersionUID = 1L;

        InjectedCrash(String where) {
            super("injected crash after " + where);
        }
    }

    private static final Set<String> CRASHING_FUNCTIONS = Set.of("EnrichFunction", "NotifyFunction");
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems",
        "BatchWriteItem", "Publish", "PublishBatch", "SendMessage");
    private static final Set<String> SENDS = Set.of("Publish", "SendEmail");

    private static volatile double crashRate;
    private static volatile double timeoutRate;
    private static volatile long maxTimeouts;
    private static final AtomicLong CRASHES = new AtomicLong();
    private static final AtomicLong TIMEOUTS = new AtomicLong();
    /** The functions crashed at least once since {@link #arm}: the first invocation of each that writes crashes. */
    private static final Set<String> CRASHED = ConcurrentHashMap.newKeySet();
    /** The invocations already past their first write: each is decided once. */
    private static final Set<Object> DECIDED = Collections.synchronizedSet(Collections.newSetFromMap(
        new WeakHashMap<>()));

    /** The SDK creates global interceptors through this constructor. */
    public InvocationFaults() {
    }

    /**
     * Starts injecting: enrich's and notify's first writing invocations, then {@code crashRate} of the others, crash
     * after their first write (none if {@code crashRate} is 0),
     * {@code timeoutRate} of deliver's sends time theirs out, at most {@code maxTimeouts} times. Resets the counts.
     */
    public static void arm(double crashRate, double timeoutRate, long maxTimeouts) {
        CRASHES.set(0);
        CRASHED.clear();
        TIMEOUTS.set(0);
        InvocationFaults.maxTimeouts = maxTimeouts;
        InvocationFaults.crashRate = crashRate;
        InvocationFaults.timeoutRate = timeoutRate;
    }

    /** Stops injecting. */
    public static void disarm() {
        crashRate = 0;
        timeoutRate = 0;
    }

    public static long crashes() {
        return CRASHES.get();
    }

    public static long timeouts() {
        return TIMEOUTS.get();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (crashRate == 0 && timeoutRate == 0) {
            return;
        }
        // the function whose invocation this thread works for: its worker thread, or one its handler started
        String function = LocalFunction.currentFunction();
        Object invocation = LocalFunction.currentInvocation();
        if (function == null || invocation == null) {
            return;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (crashRate > 0 && CRASHING_FUNCTIONS.contains(function) && WRITES.contains(operation)
            && DECIDED.add(invocation)
            && (!CRASHED.contains(function) || ThreadLocalRandom.current().nextDouble() < crashRate)) {
            InjectedCrash crash = new InjectedCrash(function + " " + operation);
            if (LocalFunction.crashNow(crash)) {
                CRASHED.add(function);
                CRASHES.incrementAndGet();
                throw crash;
            }
        }
        if ("DeliverFunction".equals(function) && SENDS.contains(operation)
            && ThreadLocalRandom.current().nextDouble() < timeoutRate
            && TIMEOUTS.getAndUpdate(n -> n < maxTimeouts ? n + 1 : n) < maxTimeouts) {
            if (LocalFunction.timeOutNow()) {
                // The invoker now freezes and interrupts this thread; wait for that, as a send still in flight would.
                try {
                    Thread.sleep(Duration.ofSeconds(60).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw SdkClientException.create("the invocation timed out during " + operation + " (injected)");
            }
        }
    }
}
