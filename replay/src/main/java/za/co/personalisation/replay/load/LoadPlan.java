package za.co.personalisation.replay.load;

import java.util.SplittableRandom;

/**
 * A run's traffic, fixed in advance and reproducible from its seed: event {@code i} is sent {@code i / rate}
 * seconds after the start (open loop: the schedule never waits for responses), for a customer drawn from a Zipf
 * distribution over the population, with an interest and place from the {@link TrafficMix}.
 *
 * @param runId          short id that prefixes every customerId and eventId of the run
 * @param rate           events per second
 * @param count          events in the run
 * @param population     customers the Zipf distribution is over
 * @param exponent       Zipf exponent (1.0: the k-th most active customer sends 1/k as much as the first)
 * @param seed           for every random choice
 * @param reachableShare share of customers given consent and (synthetic) contact details, so that their events
 *                       can go all the way to a delivered message
 * @param mix            interests and places
 */
public record LoadPlan(String runId, double rate, int count, int population, double exponent, long seed,
    double reachableShare, TrafficMix mix) {

    public LoadPlan {
        if (!runId.matches("[a-z0-9]{1,12}")) {
            throw new IllegalArgumentException("the run id must be 1 to 12 lower-case letters or digits");
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("the rate must be positive");
        }
        if (count < 1) {
            throw new IllegalArgumentException("a run needs at least one event");
        }
        if (reachableShare < 0 || reachableShare > 1) {
            throw new IllegalArgumentException("the reachable share is a fraction between 0 and 1");
        }
    }

    public String customerPrefix() {
        return "load-" + runId + "-c";
    }

    public String eventPrefix() {
        return "load-" + runId + "-e";
    }

    public String customerId(int rank) {
        return customerPrefix() + rank;
    }

    public long offsetNanos(int index) {
        return Math.round(index * 1e9 / rate);
    }

    /** The event at {@code index}: the same every time for the same plan. */
    public LoadEvent event(int index, ZipfSampler customers) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        int rank = customers.sample(random);
        TrafficMix.Choice choice = mix.choose(rank, random);
        return new LoadEvent(index, eventPrefix() + index, customerId(rank), rank, choice.interest(), choice.place(),
            offsetNanos(index));
    }

    public ZipfSampler customers() {
        return new ZipfSampler(population, exponent);
    }

    /** Whether a customer is one of the reachable share (fixed by rank and seed). */
    public boolean reachable(int rank) {
        return (mix(seed ^ 0x2545F4914F6CDD1DL, rank) >>> 11) * 0x1.0p-53 < reachableShare;
    }

    /** The index of one of this run's eventIds, or -1. */
    public int indexOf(String eventId) {
        String prefix = eventPrefix();
        if (eventId == null || !eventId.startsWith(prefix)) {
            return -1;
        }
        try {
            int index = Integer.parseInt(eventId.substring(prefix.length()));
            return index >= 0 && index < count ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A well-mixed 64-bit value of two (SplitMix64's finaliser). */
    static long mix(long a, long b) {
        long z = a + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
