package za.co.personalisation.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What a chaos run does: how many events, how fast, and how often each fault fires. Every fault is on by default.
 *
 * @param events          live events sent (each for a live customer)
 * @param rate            events per second
 * @param throttleRate    share of the functions' AWS calls the proxy answers with throttling (HTTP 429)
 * @param serverErrorRate share answered with HTTP 500, not forwarded
 * @param dropRate        share forwarded and applied, whose response is then dropped
 * @param latencyRate     share forwarded after up to 400 ms
 * @param crashRate       share of enrich's and notify's invocations that crash right after their first write (the
 *                        first of each always does, if this is above 0)
 * @param timeoutRate     share of deliver's accepted sends after which the invocation times out
 * @param maxTimeouts     at most this many timeouts (each holds its batch for the queue's 180 s visibility timeout)
 * @param duplicateRate   share of PutRecords batches written twice
 * @param replays         times the whole stream is replayed into the stage with shadow remapping
 * @param revokeRate      share of customers with a queued offer whose consent for the channel is revoked then
 * @param seed            for every random choice of the traffic
 * @param port            the API's port (0: any free port)
 * @param motoPort        the emulator's port (0: any free port)
 * @param drainTimeout    how long to wait for the stack to settle after the last write
 */
public record ChaosSettings(int events, double rate, double throttleRate, double serverErrorRate, double dropRate,
    double latencyRate, double crashRate, double timeoutRate, int maxTimeouts, double duplicateRate, int replays,
    double revokeRate, long seed, int port, int motoPort, Duration drainTimeout) {

    public static final String USAGE = "usage: ./pipeline chaos [--events 10000] [--rate 100] [--throttle-rate 0.02]"
        + " [--server-error-rate 0.02] [--drop-rate 0.01] [--latency-rate 0.05] [--crash-rate 0.05]"
        + " [--timeout-rate 0.05] [--max-timeouts 3] [--duplicate-rate 0.05] [--replays 3] [--revoke-rate 0.5]"
        + " [--seed 13] [--port 0] [--moto-port 0] [--drain-minutes 60]";

    public ChaosSettings {
        if (events < 1 || events > 1_000_000) {
            throw new IllegalArgumentException("--events must be 1 to 1000000; got " + events);
        }
        if (!(rate > 0 && rate <= 10_000)) {
            throw new IllegalArgumentException("--rate must be above 0 and at most 10000 events per second");
        }
        for (double share : List.of(throttleRate, serverErrorRate, dropRate, latencyRate, crashRate, timeoutRate,
            duplicateRate, revokeRate)) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("a fault rate is a share from 0 to 1; got " + share);
            }
        }
        if (throttleRate + serverErrorRate + dropRate + latencyRate > 1) {
            throw new IllegalArgumentException("the proxy's rates (throttle, server error, drop, latency) add up to"
                + " more than 1");
        }
        if (replays < 0 || replays > 10 || maxTimeouts < 0) {
            throw new IllegalArgumentException("--replays must be 0 to 10 and --max-timeouts at least 0");
        }
        if (port < 0 || port > 65_535 || motoPort < 0 || motoPort > 65_535) {
            throw new IllegalArgumentException("a port must be 0 to 65535");
        }
    }

    /** Every fault on, at the rates the usage shows. */
    public static ChaosSettings defaults() {
        return new ChaosSettings(10_000, 100, 0.02, 0.02, 0.01, 0.05, 0.05, 0.05, 3, 0.05, 3, 0.5, 13, 0, 0,
            Duration.ofMinutes(60));
    }

    /** The settings with {@code events} events. */
    public ChaosSettings withEvents(int count) {
        return new ChaosSettings(count, rate, throttleRate, serverErrorRate, dropRate, latencyRate, crashRate,
            timeoutRate, maxTimeouts, duplicateRate, replays, revokeRate, seed, port, motoPort, drainTimeout);
    }

    /** Reads the command line; a bad argument is an {@link IllegalArgumentException} naming it. */
    public static ChaosSettings parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> known = List.of("--events", "--rate", "--throttle-rate", "--server-error-rate", "--drop-rate",
            "--latency-rate", "--crash-rate", "--timeout-rate", "--max-timeouts", "--duplicate-rate", "--replays",
            "--revoke-rate", "--seed", "--port", "--moto-port", "--drain-minutes");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!known.contains(arg)) {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            if (values.put(arg, args.get(++i)) != null) {
                throw new IllegalArgumentException(arg + " is given twice");
            }
        }
        ChaosSettings d = defaults();
        BiFunction<String, Double, Double> share = (name, fallback) -> values.containsKey(name)
            ? number(name, values.get(name)) : fallback;
        return new ChaosSettings(
            integer("--events", values, d.events()),
            share.apply("--rate", d.rate()),
            share.apply("--throttle-rate", d.throttleRate()),
            share.apply("--server-error-rate", d.serverErrorRate()),
            share.apply("--drop-rate", d.dropRate()),
            share.apply("--latency-rate", d.latencyRate()),
            share.apply("--crash-rate", d.crashRate()),
            share.apply("--timeout-rate", d.timeoutRate()),
            integer("--max-timeouts", values, d.maxTimeouts()),
            share.apply("--duplicate-rate", d.duplicateRate()),
            integer("--replays", values, d.replays()),
            share.apply("--revoke-rate", d.revokeRate()),
            integer("--seed", values, (int) d.seed()),
            integer("--port", values, d.port()),
            integer("--moto-port", values, d.motoPort()),
            Duration.ofMinutes(integer("--drain-minutes", values, (int) d.drainTimeout().toMinutes())));
    }

    private static int integer(String name, Map<String, String> values, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(name + " must be a whole number; got '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    private static double number(String name, String value) {
        if (!value.matches("\\d{1,6}(\\.\\d{1,9})?")) {
            throw new IllegalArgumentException(name + " must be a number such as 0.05; got '" + value + "'");
        }
        return Double.parseDouble(value);
    }

    /** The faults as the report lists them. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(java.util.Locale.ROOT, "proxy: throttle %.3f, 5xx %.3f, drop response %.3f, latency"
            + " %.3f; crash %.3f of enrich/notify invocations; timeout %.3f of deliver sends (at most %d); duplicate"
            + " PutRecords %.3f; replays %d; revoke %.3f", throttleRate, serverErrorRate, dropRate, latencyRate,
            crashRate, timeoutRate, maxTimeouts, duplicateRate, replays, revokeRate));
        return lines;
    }
}
