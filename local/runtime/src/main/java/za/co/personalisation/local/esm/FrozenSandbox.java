package za.co.personalisation.local.esm;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * What Lambda does to an invocation that timed out, for the in-process runtime: the sandbox is frozen, so nothing
 * the handler would still do happens. A thread cannot be frozen in a JVM, and an interrupted handler keeps running;
 * this interceptor makes every AWS SDK call from the thread of a timed-out invocation, and from every thread its
 * handler started (they inherit the sandbox, see {@link LocalFunction}), fail before it is sent, so a late send,
 * ledger write or re-queue never reaches the emulator.
 *
 * <p>Registered for every SDK client on the runtime's class path as a global interceptor
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors} in this module's resources); it does
 * nothing on any thread that {@link LocalFunction} has not frozen. Function jars never contain it.
 */
public final class FrozenSandbox implements ExecutionInterceptor {

    private static final Set<Thread> FROZEN = Collections.synchronizedSet(Collections.newSetFromMap(
        new WeakHashMap<>()));

    /** The SDK creates global interceptors through this constructor. */
    public FrozenSandbox() {
    }

    /**
     * From now on, every AWS call from {@code thread} fails before it is sent. Public for the chaos run, whose
     * injected crash freezes the invocation's thread before it throws.
     */
    public static void freeze(Thread thread) {
        if (thread != null) {
            FROZEN.add(thread);
        }
    }

    static boolean isFrozen(Thread thread) {
        return FROZEN.contains(thread);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        check();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        check();
    }

    private static void check() {
        if (isFrozen(Thread.currentThread()) || LocalFunction.inFrozenSandbox()) {
            throw SdkClientException.create("this invocation timed out and its sandbox is frozen (as Lambda does):"
                + " the call is not made");
        }
    }
}
