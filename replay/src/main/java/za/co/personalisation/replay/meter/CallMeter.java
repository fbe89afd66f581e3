package za.co.personalisation.replay.meter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS SDK call made in this JVM, by caller, service and operation: calls, attempts (retries are
 * billed too), failures, time spent, entries (records in a PutRecords, messages in a batch) and estimated billing
 * units (see {@link BillingUnits}).
 *
 * <p>Registered for every SDK client in the JVM through the SDK's global interceptor file
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors} in this module's resources), so it
 * counts the tool's own clients and, when the local stack runs in the same JVM or with this module on its class
 * path ({@code replay/replay local-stack}), the functions' clients too. The caller comes from the thread name
 * (see {@link Caller}).
 */
public final class CallMeter implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("replay.meter.started");
    private static final ExecutionAttribute<CallKey> KEY = new ExecutionAttribute<>("replay.meter.key");
    private static final ConcurrentHashMap<CallKey, Tally> TALLIES = new ConcurrentHashMap<>();
    private static final AtomicBoolean DUMPER_STARTED = new AtomicBoolean();

    /** Created by the SDK once per client; the counts are shared by all. */
    public CallMeter() {
        MeterFile.startIfConfigured(DUMPER_STARTED);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
        attributes.putAttribute(KEY, new CallKey(Caller.of(Thread.currentThread().getName()),
            ServiceNames.normalise(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
            BillingUnits.label(String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)),
                context.request())));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        tally(attributes).attempts.increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        finish(attributes, context.request(), context.response(), false);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        finish(attributes, context.request(), context.response().orElse(null), true);
    }

    private static void finish(ExecutionAttributes attributes, SdkRequest request, SdkResponse response,
        boolean failed) {
        Tally tally = tally(attributes);
        tally.calls.increment();
        if (failed) {
            tally.failures.increment();
        }
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            tally.nanos.add(System.nanoTime() - started);
        }
        CallKey key = key(attributes);
        tally.entries.add(BillingUnits.entries(request));
        if (!failed) {
            tally.units.add(BillingUnits.units(key.service(), key.operation(), request, response));
        }
    }

    private static Tally tally(ExecutionAttributes attributes) {
        return TALLIES.computeIfAbsent(key(attributes), k -> new Tally());
    }

    private static CallKey key(ExecutionAttributes attributes) {
        CallKey key = attributes.getAttribute(KEY);
        return key != null ? key : new CallKey(Caller.of(Thread.currentThread().getName()),
            ServiceNames.normalise(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
            String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)));
    }

    /** Everything counted so far in this JVM. */
    public static CallCounts snapshot() {
        List<CallCounts.Row> rows = new ArrayList<>();
        TALLIES.forEach((key, tally) -> rows.add(new CallCounts.Row(key, tally.calls.sum(), tally.attempts.sum(),
            tally.failures.sum(), tally.nanos.sum(), tally.entries.sum(), tally.units.sum())));
        return new CallCounts(rows);
    }

    private static final class Tally {
        private final LongAdder calls = new LongAdder();
        private final LongAdder attempts = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final LongAdder nanos = new LongAdder();
        private final LongAdder entries = new LongAdder();
        private final DoubleAdder units = new DoubleAdder();
    }
}
