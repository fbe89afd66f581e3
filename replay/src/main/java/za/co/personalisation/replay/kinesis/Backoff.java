package za.co.personalisation.replay.kinesis;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with full jitter: uniform in [0, min(cap, base × 2^attempt)]. */
public record Backoff(Duration base, Duration cap) {

    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }
}
