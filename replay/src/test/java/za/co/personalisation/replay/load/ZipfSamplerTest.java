package za.co.personalisation.replay.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

    @Test
    void ranks_followOneOverK_overAMillionCustomers() {
        ZipfSampler zipf = new ZipfSampler(1_000_000, 1.0);
        SplittableRandom random = new SplittableRandom(42);
        int draws = 400_000;
        int[] counts = new int[11];
        int max = 0;
        for (int i = 0; i < draws; i++) {
            int rank = zipf.sample(random);
            max = Math.max(max, rank);
            if (rank <= 10) {
                counts[rank]++;
            }
        }
        // P(k) = 1 / (k * H(n)), H(1e6) ≈ 14.39: rank 1 ≈ 6.95 %, rank 2 half of it, rank 10 a tenth
        assertThat(counts[1] / (double) draws).isBetween(0.065, 0.074);
        assertThat(counts[2] / (double) counts[1]).isBetween(0.45, 0.55);
        assertThat(counts[10] / (double) counts[1]).isBetween(0.08, 0.12);
        assertThat(max).isGreaterThan(100_000).isLessThanOrEqualTo(1_000_000);
    }

    @Test
    void aSteeperExponent_concentratesTrafficOnFewerCustomers() {
        SplittableRandom random = new SplittableRandom(1);
        ZipfSampler steep = new ZipfSampler(1_000, 2.0);
        int first = 0;
        for (int i = 0; i < 100_000; i++) {
            first += steep.sample(random) == 1 ? 1 : 0;
        }
        // 1 / zeta(2) truncated at 1000 ≈ 0.608
        assertThat(first / 100_000.0).isBetween(0.59, 0.63);
    }

    @Test
    void sameSeed_sameRanks_andBadParametersAreRefused() {
        ZipfSampler zipf = new ZipfSampler(500, 1.1);
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        for (int i = 0; i < 100; i++) {
            assertThat(zipf.sample(a)).isEqualTo(zipf.sample(b)).isBetween(1, 500);
        }
        assertThatThrownBy(() -> new ZipfSampler(0, 1)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new ZipfSampler(10, 0)).hasMessageContaining("positive");
    }
}
