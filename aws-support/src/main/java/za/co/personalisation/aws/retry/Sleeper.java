package za.co.personalisation.aws.retry;

import java.time.Duration;

/** Waits between retries; tests pass one that records the wait and returns at once. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread; a zero or negative duration returns at once. */
    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
