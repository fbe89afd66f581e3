package za.co.personalisation.replay.kinesis;

import java.time.Duration;
import za.co.personalisation.aws.retry.Backoff;

/** The backoff of the replay and load tools' retries (throttled puts, 429s, failed shard reads). */
public final class ReplayBackoff {

    /** Full jitter under 100 ms × 2<sup>n</sup>, capped at 5 s. */
    public static final Backoff STANDARD = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private ReplayBackoff() {
    }
}
