package za.co.personalisation.aws.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delay_isFullJitterUnderAnExponentialCeiling_cappedAtFiveSeconds() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
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

    @Test
    void ceiling_doublesPerStep_untilTheCap_andNeverOverflows() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));

        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(-3)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
        assertThat(new Backoff(Duration.ofDays(1), Duration.ofDays(365)).ceiling(40)).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void delay_drawsFromTheWholeRange_notOnlyItsUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
        SplittableRandom random = new SplittableRandom(3);
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 2_000; i++) {
            lowest = Math.min(lowest, backoff.delay(0, random).toMillis());
        }

        assertThat(lowest).isLessThan(50L);
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO).delay(7, random)).isZero();
    }

    @Test
    void construction_refusesANegativeBaseOrCap() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(-1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void systemSleeper_returnsAtOnceForNothingToWait() throws InterruptedException {
        long start = System.nanoTime();

        Sleeper.SYSTEM.sleep(Duration.ZERO);
        Sleeper.SYSTEM.sleep(Duration.ofSeconds(-5));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
