package za.co.personalisation.core.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against the worked examples of R. G. Newcombe (1998), Statistics in Medicine 17, 873-890, Table II, method 10
 * (hybrid score interval without continuity correction), printed there to four decimals.
 */
class UpliftIntervalTest {

    @ParameterizedTest(name = "{0}/{1} - {2}/{3}: [{4}, {5}]")
    @CsvSource({
        "56, 70, 48, 80, 0.0524, 0.3339",
        "9, 10, 3, 10, 0.1705, 0.8090",
        "6, 7, 2, 7, 0.0582, 0.8062",
        "5, 56, 0, 29, -0.0381, 0.1926",
        "0, 10, 0, 20, -0.1611, 0.2775",
        "10, 10, 0, 20, 0.6791, 1.0000"})
    void newcombe_matchesThePublishedWorkedExamples(long x1, long n1, long x2, long n2, double lower, double upper) {
        UpliftInterval interval = UpliftInterval.newcombe(x1, n1, x2, n2);

        assertThat(interval.difference()).isCloseTo((double) x1 / n1 - (double) x2 / n2, within(1e-12));
        assertThat(interval.lower()).isCloseTo(lower, within(0.00005));
        assertThat(interval.upper()).isCloseTo(upper, within(0.00005));
    }

    @Test
    void newcombe_whenNeitherGroupConverts_staysWideInsteadOfCollapsingLikeWald() {
        UpliftInterval interval = UpliftInterval.newcombe(0, 50, 0, 50);

        assertThat(interval.difference()).isZero();
        assertThat(interval.lower()).isLessThan(-0.05);
        assertThat(interval.upper()).isGreaterThan(0.05);
    }

    @Test
    void newcombe_whenAGroupIsEmpty_isNull() {
        assertThat(UpliftInterval.newcombe(3, 10, 0, 0)).isNull();
        assertThat(UpliftInterval.newcombe(0, 0, 1, 10)).isNull();
    }
}
