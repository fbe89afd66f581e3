package za.co.personalisation.replay.playback;

import java.time.Duration;
import java.time.Instant;

/**
 * When to send a record: at its original offset from the first record divided by {@code speed} (2 = twice as
 * fast), measured from the start of the replay; or at once when {@code speed} is 0 (as fast as the target's
 * limits allow).
 */
public final class Pacer {

    private final double speed;
    private Instant firstArrival;
    private long startNanos;

    public Pacer(double speed) {
        if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("--speed must be 0 (as fast as allowed) or a positive factor");
        }
        this.speed = speed;
    }

    /** The System.nanoTime() at which a record that arrived at {@code arrival} is due. */
    public long dueNanos(Instant arrival, long nowNanos) {
        if (firstArrival == null) {
            firstArrival = arrival;
            startNanos = nowNanos;
        }
        if (speed == 0) {
            return nowNanos;
        }
        long offset = Duration.between(firstArrival, arrival).toNanos();
        return startNanos + Math.max(0, (long) (offset / speed));
    }

    public boolean paced() {
        return speed > 0;
    }
}
