package za.co.personalisation.benchmarks.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShardModelTest {

    private static final LatencyDistribution FIVE_MS = LatencyDistribution.of(Duration.ofMillis(5),
        Duration.ofMillis(5));

    @Test
    void batch_withAConstantLatency_isTheReadsThenTheWritesInRoundsOfTheWorkers() {
        // 2 reads + ceil(100 / 8) = 13 rounds of writes, 5 ms each
        assertThat(ShardModel.batchNanos(FIVE_MS, new SplittableRandom(1), 2, 100, 8)).isEqualTo(75_000_000L);
        // one worker: every write after the other
        assertThat(ShardModel.batchNanos(FIVE_MS, new SplittableRandom(1), 1, 10, 1)).isEqualTo(55_000_000L);
        assertThat(ShardModel.batchNanos(FIVE_MS, new SplittableRandom(1), 1, 0, 8)).isEqualTo(5_000_000L);
    }

    @Test
    void batch_withATail_isSlowerThanTheMedianSuggests() {
        LatencyDistribution tail = LatencyDistribution.of(Duration.ofMillis(5), Duration.ofMillis(25));

        double[] ms = ShardModel.batchMillis(tail, new SplittableRandom(3), 1, 100, 8, 20_000);

        assertThat(ms[3]).isGreaterThan(70);
        assertThat(ms[0]).isLessThanOrEqualTo(ms[1]);
        assertThat(ms[1]).isLessThanOrEqualTo(ms[2]);
    }

    @Test
    void recordsPerSecond_scaleWithTheParallelizationFactor() {
        assertThat(ShardModel.recordsPerSecond(100, 100, 0, 1)).isCloseTo(1_000, within(1e-9));
        assertThat(ShardModel.recordsPerSecond(100, 80, 20, 10)).isCloseTo(10_000, within(1e-9));
    }

    @Test
    void batch_refusesNoWorkers() {
        assertThatThrownBy(() -> ShardModel.batchNanos(FIVE_MS, new SplittableRandom(1), 1, 10, 0))
            .hasMessageContaining("workers must be at least 1");
    }
}
