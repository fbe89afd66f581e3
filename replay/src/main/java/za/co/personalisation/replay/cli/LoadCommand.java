package za.co.personalisation.replay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.replay.cost.Prices;
import za.co.personalisation.replay.load.LoadPlan;
import za.co.personalisation.replay.load.LoadRun;
import za.co.personalisation.replay.load.StackNames;
import za.co.personalisation.replay.load.TrafficMix;
import za.co.personalisation.replay.meter.MeterFile;
import za.co.personalisation.replay.report.HtmlReport;
import za.co.personalisation.replay.report.LoadReport;
import za.co.personalisation.replay.report.Progress;

/** {@code replay load}: synthetic traffic, open loop, measured through the whole pipeline. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Sends synthetic interest events at a fixed rate (open loop: latency counts from when each event"
            + " was due, so a slow pipeline cannot slow the load down and hide it), from customers drawn from a Zipf"
            + " distribution, with interests from the offer catalog and places from the gazetteer, through the API"
            + " (one event a request, or batches) or straight into Kinesis.",
        "Then follows every event through the pipeline (accepted, received, applied to the profile, notified,"
            + " delivered), reports latency per stage (p50, p90, p99, p99.9, max), throughput, errors by kind, lost"
            + " events, AWS calls per event and the projected bill per million events, as report.json and"
            + " report.html in --out, with a live progress line on stderr.",
        "A share of the customers (--reachable) get consent and synthetic contact details first, so that their"
            + " events go all the way to a message: on the emulator SMS and email to made-up addresses, on AWS"
            + " email to the SES mailbox simulator only."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:the run finished (see the verdict)", "1:failed, or not sustained with"
            + " --fail-unless-sustained", "2:bad usage", "130:stopped (Ctrl-C); the report covers what was sent"})
final class LoadCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "api",
        description = "api (one event a request), api-batch or kinesis (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--api-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:3000",
        description = "the event API's base URL (default: ${DEFAULT-VALUE}, the local runtime)")
    URI apiUrl;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_SECOND", defaultValue = "100",
        description = "events per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "PT60S",
        converter = Times.DurationConverter.class, description = "how long to send (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--count", paramLabel = "N", description = "send N events instead of --duration")
    Integer count;

    @Option(names = "--population", paramLabel = "N", defaultValue = "1000000",
        description = "customers the Zipf distribution is over (default: ${DEFAULT-VALUE})")
    int population;

    @Option(names = "--zipf-exponent", paramLabel = "S", defaultValue = "1.0",
        description = "Zipf exponent: the k-th most active customer sends 1/k^S as much as the first"
            + " (default: ${DEFAULT-VALUE})")
    double exponent;

    @Option(names = "--seed", paramLabel = "N", description = "seed of every random choice (default: the run id's)")
    Long seed;

    @Option(names = "--run-id", paramLabel = "ID", description = "prefix of the run's customer and event ids,"
        + " lower-case letters and digits (default: from the time)")
    String runId;

    @Option(names = "--reachable", paramLabel = "SHARE", defaultValue = "0.05",
        description = "share of customers given consent and synthetic contacts (default: ${DEFAULT-VALUE})")
    double reachable;

    @Option(names = "--interests", paramLabel = "LIST", split = ",",
        description = "interests to use instead of the offer catalog's")
    List<String> interests;

    @Option(names = "--batch-size", paramLabel = "N", description = "events per request (api-batch, default 50) or"
        + " per PutRecords call (kinesis, default 100)")
    Integer batchSize;

    @Option(names = "--linger", paramLabel = "DURATION", defaultValue = "PT0.05S",
        converter = Times.DurationConverter.class,
        description = "longest an event waits for its batch to fill (default: ${DEFAULT-VALUE})")
    Duration linger;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "2048",
        description = "most API requests outstanding at once (default: ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--kinesis-writers", paramLabel = "N", defaultValue = "4",
        description = "threads writing PutRecords calls with --target kinesis (default: ${DEFAULT-VALUE}; use 1"
            + " against the local emulator, whose PutRecords is not safe for concurrent calls: docs/replay.md)")
    int kinesisWriters;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "PT5M",
        converter = Times.DurationConverter.class,
        description = "longest wait after the last send for the pipeline to apply everything"
            + " (default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "PT30S",
        converter = Times.DurationConverter.class,
        description = "stop waiting when the pipeline applies nothing new for this long (default: ${DEFAULT-VALUE})")
    Duration idleTimeout;

    @Option(names = "--settle-timeout", paramLabel = "DURATION", defaultValue = "PT60S",
        converter = Times.DurationConverter.class,
        description = "longest wait for notifications to be delivered (default: ${DEFAULT-VALUE})")
    Duration settleTimeout;

    @Option(names = "--no-received-times", negatable = false,
        description = "do not read the stream after the run for each event's receivedAt")
    boolean noReceived;

    @Option(names = "--stack-meter", paramLabel = "FILE",
        description = "the local stack's SDK call counts (replay/replay local-stack writes"
            + " .local-aws/logs/sdk-calls.json; found by itself when the launcher runs the tool)")
    Path stackMeter;

    @Option(names = "--function-log", paramLabel = "FILE",
        description = "the local stack's function log, to measure log volume (default: .local-aws/logs/"
            + "functions.log of the project, when the stack is local)")
    Path functionLog;

    @Option(names = "--prices", paramLabel = "FILE", description = "prices file (default: the bundled"
        + " replay/prices.json)")
    Path prices;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "where report.json and report.html go"
        + " (default: replay-reports/load-<run id>)")
    Path out;

    @Option(names = "--fail-unless-sustained", description = "exit 1 when the verdict is 'not sustained'")
    boolean failUnlessSustained;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        LoadRun.Target kind = switch (target.toLowerCase(Locale.ROOT)) {
            case "api" -> LoadRun.Target.API;
            case "api-batch" -> LoadRun.Target.API_BATCH;
            case "kinesis" -> LoadRun.Target.KINESIS;
            default -> throw new ParameterException(spec.commandLine(), "--target must be api, api-batch or kinesis,"
                + " not '" + target + "'");
        };
        if (!(rate > 0)) {
            throw new ParameterException(spec.commandLine(), "--rate must be positive");
        }
        String id = runId != null ? runId : Long.toString(Instant.now().getEpochSecond(), 36);
        int events = count != null ? count : (int) Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        AwsClients clients = aws.clients();
        StackNames names = aws.names();
        Prices priceList = prices == null ? Prices.bundled() : Prices.read(prices);
        var dynamoDb = clients.dynamoDb();
        List<String> mixInterests = interests != null && !interests.isEmpty() ? interests
            : TrafficMix.catalogInterests(dynamoDb, names.offersTable());
        if (mixInterests.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "the offer catalog (" + names.offersTable() + ") has no"
                + " offers to take interests from; seed it, or give --interests");
        }
        long planSeed = seed != null ? seed : id.hashCode();
        TrafficMix mix = new TrafficMix(mixInterests, TrafficMix.gazetteerCities(), TrafficMix.Shares.defaults(),
            planSeed);
        LoadPlan plan = new LoadPlan(id, rate, events, population, exponent, planSeed, reachable, mix);
        Path root = projectRoot();
        Path meter = stackMeter != null ? stackMeter : freshLocalMeter(root, clients.isEmulated());
        Path localLog = root == null ? null : root.resolve(".local-aws/logs/functions.log");
        Path log = functionLog != null ? functionLog
            : clients.isEmulated() && localLog != null && Files.exists(localLog) ? localLog : null;
        int batch = batchSize != null ? batchSize : kind == LoadRun.Target.KINESIS ? 100 : 50;
        LoadRun.Options options = new LoadRun.Options(plan, kind, apiUrl, batch, linger, maxInFlight, kinesisWriters,
            names, idleTimeout, drainTimeout, settleTimeout, !noReceived, meter, log);
        Path directory = out != null ? out : Path.of("replay-reports", "load-" + id);
        err.printf(Locale.ROOT, "load %s: %,d events at %.0f/s into %s (stage %s), %d customers' population,"
            + " Zipf %.2f%s%n", id, events, rate, kind == LoadRun.Target.KINESIS ? names.stream() : apiUrl.toString(),
            names.stage(), population, exponent, meter == null ? "; the stack's own calls are counted only if it"
            + " runs in this JVM (start it with replay/replay local-stack, or give --stack-meter)"
            : "; stack calls from " + meter).flush();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "load-http");
                thread.setDaemon(true);
                return thread;
            })).build();
        LoadRun.Outcome outcome;
        ObjectNode report;
        // the report is written before the interruption is released: on Ctrl-C or SIGTERM the JVM exits as soon as
        // it is, so a report written after it would be lost
        try (Interruption interruption = new Interruption()) {
            Progress progress = new Progress(new PrintStream(System.err, true, StandardCharsets.UTF_8),
                System.console() != null);
            outcome = new LoadRun(new LoadRun.Clients(clients.kinesis(), dynamoDb, clients.dynamoDbStreams(),
                clients.sqs(), http, clients.isEmulated()), progress).run(options, interruption.flag());
            report = LoadReport.build(outcome, priceList);
            Files.createDirectories(directory);
            Files.write(directory.resolve("report.json"), JSON.writeValueAsBytes(report));
            Files.writeString(directory.resolve("report.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
            summary(err, report, directory);
        }
        if (outcome.stopped()) {
            return 130;
        }
        if (outcome.incomplete() != null) {
            return 1;
        }
        return failUnlessSustained && !report.path("verdict").path("sustained").asBoolean() ? 1 : 0;
    }

    private static void summary(PrintWriter err, ObjectNode report, Path directory) {
        var throughput = report.path("throughput");
        var endToEnd = report.path("latencyMs").path("endToEnd");
        long unconfirmed = report.path("loss").path("unconfirmed").asLong();
        err.printf(Locale.ROOT, "%nsent %,d at %.1f/s (target %.0f/s), accepted %,d, applied %,d, lost %,d%s, failed"
            + " %,d%n", throughput.path("sent").asLong(), throughput.path("sentPerSecond").asDouble(),
            throughput.path("targetPerSecond").asDouble(), throughput.path("accepted").asLong(),
            throughput.path("applied").asLong(), report.path("loss").path("lost").asLong(),
            unconfirmed > 0 ? String.format(Locale.ROOT, ", unconfirmed %,d", unconfirmed) : "",
            report.path("errors").path("failedEvents").asLong());
        for (String stage : Arrays.asList("accepted", "received", "enriched", "notified", "delivered")) {
            var p = endToEnd.path(stage);
            if (p.path("count").asLong() > 0) {
                err.printf(Locale.ROOT, "  %-10s n=%-7d p50 %8.1f  p90 %8.1f  p99 %8.1f  p99.9 %8.1f  max %8.1f ms%n",
                    stage, p.path("count").asLong(), p.path("p50").asDouble(), p.path("p90").asDouble(),
                    p.path("p99").asDouble(), p.path("p99_9").asDouble(), p.path("max").asDouble());
            }
        }
        var cost = report.path("cost").path("totalPerMillionEventsUsd");
        err.printf(Locale.ROOT, "projected per million events (priced items, prices %s): %s%n",
            report.path("cost").path("prices").path("checked").asBoolean() ? "checked" : "NOT checked", cost);
        boolean sustained = report.path("verdict").path("sustained").asBoolean();
        err.println(sustained ? "verdict: sustained" : "verdict: NOT sustained: " + LoadReport.reasons(report));
        err.println("report: " + directory.resolve("report.html") + " and report.json");
        err.flush();
    }

    /** The project root the launcher passes ({@code -Dreplay.project.root}), or {@code null}. */
    private static Path projectRoot() {
        String root = System.getProperty("replay.project.root");
        return root == null || root.isBlank() ? null : Path.of(root);
    }

    /** The local stack's meter file when it was written in the last few seconds (the stack is running). */
    private static Path freshLocalMeter(Path root, boolean emulated) {
        if (root == null || !emulated) {
            return null;
        }
        Path file = root.resolve(".local-aws/logs/" + MeterFile.DEFAULT_NAME);
        try {
            return Files.exists(file) && Files.getLastModifiedTime(file).toInstant()
                .isAfter(Instant.now().minusSeconds(5)) ? file : null;
        } catch (IOException e) {
            return null;
        }
    }
}
