package za.co.personalisation.aws.retry;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The random source for retry jitter in function code, safe under SnapStart. The functions publish versions with
 * SnapStart (template.yaml): every execution environment resumes from one snapshot of the initialised JVM, so a
 * {@code java.util.Random} made during init, or the seed {@code ThreadLocalRandom} keeps for a thread that ran
 * during init (the priming), is the same in every environment, and their "random" backoffs fall in step: exactly
 * the retry storm jitter exists to prevent (AWS Lambda guide, "Handling uniqueness with Lambda SnapStart").
 * {@link SecureRandom}'s default on Linux (NativePRNG) mixes fresh bytes from the operating system into every
 * draw, so copies restored from one snapshot diverge at once. Jitter is drawn only on retry paths, where its cost
 * does not matter.
 */
public final class Jitter {

    private static final RandomGenerator SOURCE = new SecureRandom();

    private Jitter() {
    }

    /** The shared source; thread-safe. */
    public static RandomGenerator source() {
        return SOURCE;
    }
}
