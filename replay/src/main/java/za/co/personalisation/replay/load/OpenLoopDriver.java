package za.co.personalisation.replay.load;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Sends a plan's events at their scheduled times, whatever the responses do (open loop): event i is due at
 * start + i / rate, and its latency is measured from that time, not from when it could actually be sent. If the
 * sender itself falls behind (the sink's in-flight limit, a slow machine), the events go out late and the lateness
 * counts in their latency: no coordinated omission. How late the driver was is recorded too.
 */
public final class OpenLoopDriver {

    private final LoadPlan plan;
    private final LoadSink sink;
    private final EventTimes times;
    private final Histogram senderLagMicros = new Histogram(3_600_000_000L, 3);

    public OpenLoopDriver(LoadPlan plan, LoadSink sink, EventTimes times) {
        this.plan = plan;
        this.sink = sink;
        this.times = times;
    }

    /**
     * Runs the schedule from {@code startNanos} (a System.nanoTime() value, matching {@code times}' start) until
     * every event is sent or {@code stop} is set.
     *
     * @return events sent
     */
    public int run(long startNanos, AtomicBoolean stop) throws InterruptedException {
        ZipfSampler customers = plan.customers();
        int sent = 0;
        for (int i = 0; i < plan.count() && !stop.get(); i++) {
            long due = startNanos + plan.offsetNanos(i);
            while (true) {
                long now = System.nanoTime();
                if (now >= due) {
                    break;
                }
                long wake = Math.min(due, sink.poll(now));
                if (wake > now) {
                    LockSupport.parkNanos(wake - now);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            LoadEvent event = plan.event(i, customers);
            sink.submit(event);
            times.sent();
            sent++;
            senderLagMicros.recordValue(Math.min(senderLagMicros.getHighestTrackableValue(),
                Math.max(0, (System.nanoTime() - due) / 1_000)));
            sink.poll(System.nanoTime());
        }
        return sent;
    }

    /** How late events left the driver, in microseconds. */
    public Histogram senderLagMicros() {
        return senderLagMicros;
    }
}
