package za.co.personalisation.core.outcome;

/**
 * The uplift of an offer, the difference of two conversion rates {@code p1 - p2} (sent minus control), with its
 * 95 % confidence interval by Newcombe's hybrid score method ("method 10" of R. G. Newcombe, Interval estimation for
 * the difference between independent proportions: comparison of eleven methods, Statistics in Medicine 17 (1998)
 * 873-890): each rate's Wilson score interval {@code [l, u]}, then
 * {@code d - sqrt((p1 - l1)^2 + (u2 - p2)^2)} to {@code d + sqrt((u1 - p1)^2 + (p2 - l2)^2)}.
 *
 * <p>Chosen over the Wald interval ({@code d ± z·sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)}) because conversion rates are
 * small and control groups are small: Wald collapses to zero width when a group has no conversions and can leave
 * [-1, 1]; the hybrid score interval stays inside it and keeps close to its nominal coverage there.
 *
 * @param difference {@code p1 - p2}
 * @param lower      lower bound of the interval
 * @param upper      upper bound of the interval
 */
public record UpliftInterval(double difference, double lower, double upper) {

    /** z for a two-sided 95 % interval. */
    public static final double Z95 = 1.959963984540054;

    /**
     * @return the uplift of {@code x1/n1} over {@code x2/n2}, or {@code null} when either group is empty
     */
    public static UpliftInterval newcombe(long x1, long n1, long x2, long n2) {
        if (n1 <= 0 || n2 <= 0) {
            return null;
        }
        if (x1 < 0 || x1 > n1 || x2 < 0 || x2 > n2) {
            throw new IllegalArgumentException("successes must lie between 0 and the group size");
        }
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double[] w1 = wilson(x1, n1, Z95);
        double[] w2 = wilson(x2, n2, Z95);
        double d = p1 - p2;
        double lower = d - Math.sqrt(square(p1 - w1[0]) + square(w2[1] - p2));
        double upper = d + Math.sqrt(square(w1[1] - p1) + square(p2 - w2[0]));
        return new UpliftInterval(d, lower, upper);
    }

    /** The Wilson score interval of {@code x/n}: {lower, upper}. */
    static double[] wilson(long x, long n, double z) {
        double p = (double) x / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static double square(double value) {
        return value * value;
    }
}
