package za.co.personalisation.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import za.co.personalisation.local.LocalRuntime;
import za.co.personalisation.local.emulator.FaultProxy;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * {@code ./pipeline chaos}: starts a local stack of its own (its own emulator and API, on free ports unless given),
 * runs {@link ChaosRun}, prints the accounting, and exits 0 only when nothing was lost, no message was sent twice
 * and none without consent (1 otherwise; 2 on a bad argument). See docs/reliability.md.
 */
public final class ChaosCommand {

    private ChaosCommand() {
    }

    public static void main(String[] args) {
        ChaosSettings settings;
        try {
            if (List.of(args).contains("--help")) {
                System.out.println(ChaosSettings.USAGE);
                return;
            }
            settings = ChaosSettings.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("pipeline chaos: " + e.getMessage());
            System.err.println(ChaosSettings.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(settings, ProjectRoot.find(), System.out));
    }

    /** Runs on a stack of its own; the exit status. */
    static int run(ChaosSettings settings, Path root, PrintStream out) {
        Path logs = root.resolve(".local-aws/logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.printf(Locale.ROOT, "chaos: starting a local stack; load average %.2f on %d cores%n",
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.getRuntime().availableProcessors());
        try (MotoServer moto = MotoServer.start(root, settings.motoPort(), logs.resolve("chaos-moto.log"));
             FaultProxy proxy = new FaultProxy(moto.endpoint().toString());
             LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(root, settings.port(), 0, "local", moto,
                 new PrintStream(PrintStream.nullOutputStream()), proxy.endpoint()))) {
            ChaosRun.Result result = ChaosRun.run(runtime, moto, proxy, settings, out);
            report(result, out);
            out.printf(Locale.ROOT, "chaos: took %d s; load average %.2f%n", result.took().toSeconds(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.println(result.accounting().inFlightLine());
            out.println(result.accounting().line());
            return result.accounting().kept() && result.drained() ? 0 : 1;
        } catch (IOException e) {
            out.println("chaos: cannot start the fault proxy: " + e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            out.println("chaos: cannot account: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static void report(ChaosRun.Result result, PrintStream out) {
        StackAccounting.Accounting a = result.accounting();
        out.println(result.injected().line());
        long acknowledged = result.revocations().stream().filter(Revocation::isAcknowledged).count();
        out.println("chaos: revocations asked " + result.revocations().size() + ", acknowledged (202) " + acknowledged
            + ", never acknowledged " + (result.revocations().size() - acknowledged));
        out.println("chaos: deliver ran up to " + result.deliverPeakConcurrency() + " invocations at once"
            + (result.drained() ? "" : "; THE STACK DID NOT SETTLE"));
        out.println("chaos: applied " + a.applied() + " (" + a.appliedBelowHorizon()
            + " of them forgotten since, at or below their profile's horizon)");
        out.println("chaos: replayed events (shadow customers) " + a.shadowEvents() + ": applied " + a.shadowApplied()
            + ", dead-lettered " + a.shadowDeadLettered() + ", lost " + a.shadowLost());
        out.println("chaos: notify's on-failure queue " + a.notifyDeadLettered() + " " + a.notifyReasons()
            + "; delivery dead-letter queue " + a.deliveryDeadLettered() + " " + a.deliveryReasons());
        out.println("chaos: ledger " + a.ledger());
        if (!a.lostSample().isEmpty()) {
            out.println("chaos: lost, e.g. " + a.lostSample());
        }
        a.inFlightSample().stream().limit(50).forEach(line -> out.println("chaos: in flight at opt-out: " + line));
        a.withoutConsentSample().stream().limit(50).forEach(line -> out.println("chaos: WITHOUT CONSENT: " + line));
    }
}
