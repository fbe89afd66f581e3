package za.co.personalisation.benchmarks.standin;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A log-normal service time fixed by its median and 99th percentile: the shape of a managed database's latency
 * (most calls near the median, a long right tail). Part of the benchmarks' DynamoDB stand-in only.
 */
public final class LatencyDistribution {

    /** The standard normal's 99th percentile. */
    static final double Z99 = 2.3263478740408408;

    private final double mu;
    private final double sigma;
    private final Duration p50;
    private final Duration p99;

    private LatencyDistribution(Duration p50, Duration p99) {
        this.p50 = p50;
        this.p99 = p99;
        if (p50.isZero()) {
            this.mu = Double.NEGATIVE_INFINITY;
            this.sigma = 0;
        } else {
            this.mu = Math.log(p50.toNanos());
            this.sigma = (Math.log(p99.toNanos()) - mu) / Z99;
        }
    }

    /**
     * @param p50 the median, zero for no latency at all
     * @param p99 the 99th percentile, at least the median
     */
    public static LatencyDistribution of(Duration p50, Duration p99) {
        if (p50.isNegative() || p99.compareTo(p50) < 0 || (p50.isZero() && !p99.isZero())) {
            throw new IllegalArgumentException("latency needs 0 <= p50 <= p99 (both 0 for none), not p50 " + p50
                + " and p99 " + p99);
        }
        return new LatencyDistribution(p50, p99);
    }

    /** No added latency. */
    public static LatencyDistribution none() {
        return of(Duration.ZERO, Duration.ZERO);
    }

    /** One service time, in nanoseconds. */
    public long sampleNanos(RandomGenerator random) {
        if (sigma == 0) {
            return mu == Double.NEGATIVE_INFINITY ? 0 : Math.round(Math.exp(mu));
        }
        return Math.round(Math.exp(mu + sigma * random.nextGaussian()));
    }

    public Duration p50() {
        return p50;
    }

    public Duration p99() {
        return p99;
    }

    @Override
    public String toString() {
        return "log-normal p50 " + p50.toNanos() / 1e6 + " ms, p99 " + p99.toNanos() / 1e6 + " ms";
    }
}
