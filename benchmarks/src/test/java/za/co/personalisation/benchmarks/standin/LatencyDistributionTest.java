package za.co.personalisation.benchmarks.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyDistributionTest {

    @Test
    void samples_haveTheGivenMedianAndNinetyNinthPercentile() {
        LatencyDistribution latency = LatencyDistribution.of(Duration.ofMillis(5), Duration.ofMillis(25));
        SplittableRandom random = new SplittableRandom(7);
        long[] samples = new long[200_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = latency.sampleNanos(random);
        }
        Arrays.sort(samples);

        assertThat(samples[samples.length / 2] / 1e6).isCloseTo(5.0, within(0.1));
        assertThat(samples[samples.length * 99 / 100] / 1e6).isCloseTo(25.0, within(1.0));
        assertThat(samples[0]).isPositive();
    }

    @Test
    void none_addsNothing_andEqualPercentilesGiveAConstant() {
        assertThat(LatencyDistribution.none().sampleNanos(new SplittableRandom(1))).isZero();
        assertThat(LatencyDistribution.of(Duration.ofMillis(3), Duration.ofMillis(3))
            .sampleNanos(new SplittableRandom(1))).isEqualTo(3_000_000L);
    }

    @Test
    void of_refusesAP99BelowTheMedian() {
        assertThatThrownBy(() -> LatencyDistribution.of(Duration.ofMillis(5), Duration.ofMillis(4)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p50 <= p99");
    }
}
