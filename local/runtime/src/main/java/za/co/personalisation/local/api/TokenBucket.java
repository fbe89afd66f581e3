package za.co.personalisation.local.api;

import java.util.function.LongSupplier;

/**
 * API Gateway's throttle: a token bucket that holds at most {@code burst} tokens and is refilled at {@code rate}
 * tokens a second; a request takes one token or is throttled (429). Starts full, as a stage does.
 */
final class TokenBucket {

    private final double rate;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /** {@code nanoTime}: a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own). */
    TokenBucket(double rate, int burst, LongSupplier nanoTime) {
        if (rate <= 0 || burst < 1) {
            throw new IllegalArgumentException("a throttle needs a rate > 0 and a burst >= 1; got " + rate + ", "
                + burst);
        }
        this.rate = rate;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token: true = the request may pass, false = throttled. */
    synchronized boolean tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * rate / 1e9);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
