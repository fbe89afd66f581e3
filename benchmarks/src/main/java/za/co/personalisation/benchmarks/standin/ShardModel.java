package za.co.personalisation.benchmarks.standin;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;

/**
 * The latency-bound part of the per-shard model, without the CPU: how long one enrich batch waits on DynamoDB when
 * it does what enrich-function does (docs/profiles.md): its batch reads one after another (profiles, then erasure
 * tombstones for new customers), then one write per customer on {@code workers} threads, each thread taking the next
 * customer when it is free. Complements {@code EnrichShardBenchmark}, which measures the real code with its CPU on
 * whatever machine runs it; this gives the floor a batch cannot go below whatever the CPU.
 */
public final class ShardModel {

    /** Kinesis' write limit of one shard (docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html). */
    public static final double SHARD_RECORDS_PER_SECOND = 1_000;

    private ShardModel() {
    }

    /**
     * One batch's time waiting on DynamoDB, in nanoseconds.
     *
     * @param sequentialReads calls made one after another before the writes (1 for established customers, 2 when
     *                        the batch has new customers)
     * @param customers       writes, one per distinct customer
     * @param workers         WRITE_CONCURRENCY
     */
    public static long batchNanos(LatencyDistribution latency, RandomGenerator random, int sequentialReads,
        int customers, int workers) {
        if (workers < 1 || customers < 0 || sequentialReads < 0) {
            throw new IllegalArgumentException("workers must be at least 1, customers and reads at least 0");
        }
        long elapsed = 0;
        for (int i = 0; i < sequentialReads; i++) {
            elapsed += latency.sampleNanos(random);
        }
        PriorityQueue<Long> free = new PriorityQueue<>();
        for (int i = 0; i < Math.min(workers, Math.max(customers, 1)); i++) {
            free.add(0L);
        }
        long end = 0;
        for (int i = 0; i < customers; i++) {
            long done = free.poll() + latency.sampleNanos(random);
            end = Math.max(end, done);
            free.add(done);
        }
        return elapsed + end;
    }

    /** Percentiles of many batches' times, in milliseconds: p50, p90, p99 and the mean. */
    public static double[] batchMillis(LatencyDistribution latency, RandomGenerator random, int sequentialReads,
        int customers, int workers, int batches) {
        long[] samples = new long[batches];
        double sum = 0;
        for (int i = 0; i < batches; i++) {
            samples[i] = batchNanos(latency, random, sequentialReads, customers, workers);
            sum += samples[i];
        }
        Arrays.sort(samples);
        return new double[] {samples[batches / 2] / 1e6, samples[batches * 9 / 10] / 1e6,
            samples[batches * 99 / 100] / 1e6, sum / batches / 1e6};
    }

    /**
     * Records a second one shard's enrich applies: {@code parallelizationFactor} batches of {@code batchRecords} at
     * once, each taking {@code batchMillis} (mean) plus {@code overheadMillis} between batches, capped by nothing:
     * compare with {@link #SHARD_RECORDS_PER_SECOND}.
     */
    public static double recordsPerSecond(int batchRecords, double batchMillis, double overheadMillis,
        int parallelizationFactor) {
        return parallelizationFactor * batchRecords * 1000 / (batchMillis + overheadMillis);
    }

    /** Prints the model for the benchmark's stand-in (p50 5 ms, p99 25 ms), batches of 100, 8 workers. */
    public static void main(String[] args) {
        LatencyDistribution latency = LatencyDistribution.of(java.time.Duration.ofMillis(5),
            java.time.Duration.ofMillis(25));
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        for (int reads : new int[] {1, 2}) {
            double[] ms = batchMillis(latency, random, reads, 100, 8, 100_000);
            System.out.printf(java.util.Locale.ROOT, "reads %d: batch p50 %.1f p90 %.1f p99 %.1f mean %.1f ms;"
                + " records/s per shard PF1 %.0f PF10 %.0f%n", reads, ms[0], ms[1], ms[2], ms[3],
                recordsPerSecond(100, ms[3], 0, 1), recordsPerSecond(100, ms[3], 0, 10));
        }
    }
}
