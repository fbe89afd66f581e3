package za.co.personalisation.aws.lambda;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import za.co.personalisation.aws.log.JsonLog;

/**
 * SnapStart priming: before Lambda snapshots an initialised function (CRaC {@code beforeCheckpoint}), run the
 * function's hot path once on a synthetic input so the classes it needs are loaded and initialised in the
 * snapshot, and every restored environment starts warm. Priming must not write anything anywhere: it exercises
 * parsing, validation, merging and serialisation, never an AWS call that changes state.
 *
 * <p>Outside SnapStart (locally, in tests, on a JVM without CRaC) registration is a no-op that costs nothing.
 */
public final class SnapStartPriming implements Resource {

    private final String function;
    private final Runnable prime;

    private SnapStartPriming(String function, Runnable prime) {
        this.function = function;
        this.prime = prime;
    }

    /**
     * Registers {@code prime} to run before the snapshot. Keep a reference to the returned object for the life of
     * the handler: CRaC holds resources weakly.
     */
    public static SnapStartPriming register(String function, Runnable prime) {
        SnapStartPriming priming = new SnapStartPriming(function, prime);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        prime.run();
        JsonLog.forFunction(function).info("snapstart.primed")
            .with("durationMs", (System.nanoTime() - started) / 1_000_000).log();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: SDK clients re-resolve credentials and connections lazily after restore
    }

    /** Runs the priming as the checkpoint would (tests use this to prove priming writes nothing). */
    public void primeNow() {
        prime.run();
    }
}
