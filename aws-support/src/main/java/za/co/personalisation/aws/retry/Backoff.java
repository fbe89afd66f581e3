package za.co.personalisation.aws.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the delay before retry {@code n} is uniform in
 * [0, min(cap, base × 2<sup>n</sup>)] (the "Full Jitter" of AWS's "Exponential Backoff And Jitter"): retries of
 * many callers spread out instead of arriving together.
 *
 * @param base the ceiling of delay 0; it doubles with each step
 * @param cap  the largest ceiling
 */
public record Backoff(Duration base, Duration cap) {

    /** Beyond this many doublings the ceiling is the cap for any sensible base. */
    private static final int MAX_DOUBLINGS = 30;

    public Backoff {
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("a backoff's base and cap must not be negative, not " + base + " and "
                + cap);
        }
    }

    /** min(cap, base × 2<sup>n</sup>): the longest delay step {@code n} may draw; steps below 0 count as 0. */
    public Duration ceiling(int n) {
        int doublings = Math.max(0, Math.min(n, MAX_DOUBLINGS));
        long baseNanos = base.toNanos();
        long grown = baseNanos > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : baseNanos << doublings;
        return Duration.ofNanos(Math.min(cap.toNanos(), grown));
    }

    /** A delay uniform in [0, {@link #ceiling(int) ceiling(n)}]. */
    public Duration delay(int n, RandomGenerator random) {
        long ceiling = ceiling(n).toNanos();
        return Duration.ofNanos(ceiling == Long.MAX_VALUE ? random.nextLong(0, ceiling) : random.nextLong(ceiling + 1));
    }
}
