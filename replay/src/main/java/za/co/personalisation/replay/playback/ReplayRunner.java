package za.co.personalisation.replay.playback;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import za.co.personalisation.core.event.InvalidRecordException;
import za.co.personalisation.replay.archive.ArchiveRecord;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * Reads records in arrival order, rewrites each for replay (a record that cannot be marked as a replay is skipped,
 * never sent unmarked), waits until it is due (see {@link Pacer}) and hands it to the target. When paced, a record
 * is held back at most {@link #LINGER} so that records close together leave in one batch.
 */
public final class ReplayRunner {

    /** Records due within this much of each other leave in one batch. */
    static final Duration LINGER = Duration.ofMillis(20);

    private final EnvelopeRewriter rewriter;
    private final Pacer pacer;
    private final Sleeper sleeper;
    private final ReplayStats stats;

    public ReplayRunner(EnvelopeRewriter rewriter, Pacer pacer, Sleeper sleeper, ReplayStats stats) {
        this.rewriter = rewriter;
        this.pacer = pacer;
        this.sleeper = sleeper;
        this.stats = stats;
    }

    /** Replays until the source is exhausted or {@code stop} is set; always flushes the target. */
    public void run(Iterator<ArchiveRecord> source, ReplayTarget target, AtomicBoolean stop)
        throws InterruptedException {
        long heldSince = -1;
        try {
            while (source.hasNext() && !stop.get()) {
                ArchiveRecord record = source.next();
                stats.read();
                EnvelopeRewriter.Rewritten rewritten;
                try {
                    rewritten = rewriter.rewrite(record.data());
                } catch (InvalidRecordException | IllegalArgumentException e) {
                    stats.skipped("cannot be marked as a replay: " + e.getMessage());
                    continue;
                }
                if (pacer.paced()) {
                    long now = System.nanoTime();
                    long wait = pacer.dueNanos(record.arrival(), now) - now;
                    if (wait > LINGER.toNanos() || (heldSince >= 0 && now - heldSince >= LINGER.toNanos())) {
                        target.flush();
                        heldSince = -1;
                    }
                    if (wait > LINGER.toNanos()) {
                        sleeper.sleep(Duration.ofNanos(wait));
                    }
                }
                target.send(rewritten);
                heldSince = heldSince < 0 ? System.nanoTime() : heldSince;
            }
        } finally {
            target.flush();
        }
    }
}
