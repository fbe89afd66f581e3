package za.co.personalisation.replay.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delay_isFullJitterUnderAnExponentialCeiling_cappedAtFiveSeconds() {
        Backoff backoff = Backoff.standard();
        SplittableRandom random = new SplittableRandom(7);
        long highestFirst = 0;
        long highestLate = 0;
        for (int i = 0; i < 2_000; i++) {
            highestFirst = Math.max(highestFirst, backoff.delay(0, random).toMillis());
            highestLate = Math.max(highestLate, backoff.delay(30, random).toMillis());
        }
        assertThat(highestFirst).isBetween(90L, 100L);
        assertThat(highestLate).isBetween(4_900L, 5_000L);
        assertThat(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)).delay(3, random))
            .isLessThanOrEqualTo(Duration.ofMillis(10));
    }
}
