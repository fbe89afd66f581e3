package za.co.personalisation.replay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.core.profile.ShadowCustomers;
import za.co.personalisation.replay.kinesis.ReplayBackoff;
import za.co.personalisation.replay.archive.ArchiveRecord;
import za.co.personalisation.replay.archive.ArchiveSource;
import za.co.personalisation.replay.archive.CaptureWindow;
import za.co.personalisation.replay.archive.KinesisCapture;
import za.co.personalisation.replay.kinesis.KinesisPutter;
import za.co.personalisation.replay.kinesis.ShardMap;
import za.co.personalisation.replay.kinesis.ShardThrottle;
import za.co.personalisation.aws.retry.Sleeper;
import za.co.personalisation.replay.playback.ApiTarget;
import za.co.personalisation.replay.playback.CustomerRemapper;
import za.co.personalisation.replay.playback.EnvelopeRewriter;
import za.co.personalisation.replay.playback.Pacer;
import za.co.personalisation.replay.playback.ReplayRunner;
import za.co.personalisation.replay.playback.ReplayStats;
import za.co.personalisation.replay.playback.ReplayTarget;
import za.co.personalisation.replay.playback.StreamTarget;

/** {@code replay replay}: recorded traffic, marked as replay, into a stream or the API. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Replays recorded traffic from an archive (replay capture) or a window of a stream into a target"
            + " stream or the event API, at the original pace times --speed, or as fast as the target's shard limits"
            + " allow (1,000 records/s and 1 MiB/s per shard; throttled records are retried with backoff).",
        "Every replayed record is marked replay=true in its envelope, so that its notifications go to the sandbox"
            + " queue and never to a customer. A record that cannot be marked (not a valid envelope) is skipped.",
        "--remap gives the events shadow customerIds (shadow tests); it is required for --to-api, whose request"
            + " body has no replay flag."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:every record replayed (or skipped with a reason)", "1:some records failed", "2:bad usage",
        "130:stopped (Ctrl-C)"})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Source (one of):%n")
    Source source;

    static final class Source {
        @Option(names = "--archive", paramLabel = "FILE", description = "an archive written by replay capture")
        Path archive;

        @Option(names = "--from-stream", paramLabel = "NAME", description = "a stream; give the window with --start"
            + " and --end")
        String stream;
    }

    @Option(names = "--start", paramLabel = "TIME", description = "with --from-stream: first arrival time"
        + " (default: the oldest record)")
    String start;

    @Option(names = "--end", paramLabel = "TIME", description = "with --from-stream: arrival time to stop before"
        + " (default: now)")
    String end;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Target (one of):%n")
    Target target;

    static final class Target {
        @Option(names = "--to-stream", paramLabel = "NAME", description = "a Kinesis stream (e.g. a test copy's"
            + " interest-events stream)")
        String stream;

        @Option(names = "--to-api", paramLabel = "URL", description = "the event API's base URL (POST <URL>/events)")
        URI api;
    }

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "1",
        description = "original pace times FACTOR (10 = ten times as fast); 0 = as fast as the limits allow"
            + " (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--max", description = "as fast as the limits allow (same as --speed 0)")
    boolean max;

    @Option(names = "--remap", paramLabel = "MODE", defaultValue = "none",
        description = "customerId mapping: none, prefix (PREFIX + id) or hash (PREFIX + HMAC of the id)"
            + " (default: ${DEFAULT-VALUE})")
    String remap;

    @Option(names = "--remap-prefix", paramLabel = "PREFIX", defaultValue = "shadow-",
        description = "prefix of mapped customerIds, starting with shadow- (default: ${DEFAULT-VALUE})")
    String remapPrefix;

    @Option(names = "--remap-salt", paramLabel = "SALT", description = "secret for --remap hash")
    String remapSalt;

    @Option(names = "--event-id-suffix", paramLabel = "SUFFIX", description = "appended to every eventId, so that"
        + " replaying the same traffic again is not taken for duplicates (e.g. :r2)")
    String eventIdSuffix;

    @Option(names = "--shift-to-now", description = "shift occurredAt and receivedAt so that the first record"
        + " looks as if it happened now (old traffic is otherwise judged by its old times)")
    boolean shiftToNow;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100",
        description = "events per API request, 1 to 500 (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--shard-records-per-second", paramLabel = "N", defaultValue = "1000",
        description = "write limit per shard (default: ${DEFAULT-VALUE}, Kinesis' own)")
    double shardRecords;

    @Option(names = "--shard-bytes-per-second", paramLabel = "N", defaultValue = "1048576",
        description = "write limit per shard in bytes (default: ${DEFAULT-VALUE}, Kinesis' own)")
    double shardBytes;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Clock clock = Clock.systemUTC();
        CustomerRemapper remapper = switch (remap) {
            case "none" -> CustomerRemapper.none();
            case "prefix" -> CustomerRemapper.prefix(remapPrefix);
            case "hash" -> CustomerRemapper.hash(remapPrefix, remapSalt);
            default -> throw new ParameterException(spec.commandLine(), "--remap must be none, prefix or hash, not '"
                + remap + "'");
        };
        if (!remapper.isIdentity() && !ShadowCustomers.isShadow(remapPrefix)) {
            throw new ParameterException(spec.commandLine(), "--remap-prefix must start with '"
                + ShadowCustomers.PREFIX + "': only shadow customers' ids do, and the pipeline applies replayed"
                + " traffic to shadow customers only");
        }
        if (target.api != null && remapper.isIdentity()) {
            throw new ParameterException(spec.commandLine(), "--to-api needs --remap prefix or --remap hash: the"
                + " API's body has no replay flag, so replayed events must belong to shadow customers, who can be"
                + " reached by nobody");
        }
        if (source.archive == null && start == null && end == null) {
            err.println("replay: no --start or --end: the whole stream as it is now");
        }
        AwsClients clients = aws.clients();
        KinesisClient kinesis = clients.kinesis();
        Path temporary = null;
        Path archive = source.archive;
        ReplayStats stats = new ReplayStats();
        try (Interruption interruption = new Interruption()) {
            if (archive == null) {
                temporary = Files.createTempDirectory("replay-window");
                archive = temporary.resolve("window.ndjson.gz");
                CaptureWindow window = new CaptureWindow(Times.parse(start, clock), Times.parse(end == null
                    ? clock.instant().toString() : end, clock), false);
                err.printf("replay: reading %s, %s%n", source.stream, window.describe()).flush();
                KinesisCapture.Result captured = new KinesisCapture(kinesis, clock, Sleeper.SYSTEM,
                    Duration.ofSeconds(5), new SplittableRandom()).run(source.stream, window, archive,
                    ArchiveSource.checkpointFor(archive), interruption.flag(), (c, open, last) -> { });
                if (!captured.complete()) {
                    return 130;
                }
            }
            try (ArchiveSource records = ArchiveSource.open(archive)) {
                Duration shift = shiftToNow ? shift(archive, clock.instant()) : Duration.ZERO;
                EnvelopeRewriter rewriter = new EnvelopeRewriter(remapper, eventIdSuffix, shift);
                ReplayTarget destination = target(clients, kinesis, stats);
                double factor = max ? 0 : speed;
                err.printf("replay: %,d records into %s, %s%n", records.size(), destination.describe(),
                    factor == 0 ? "as fast as the limits allow" : "at " + factor + "x the original pace").flush();
                Instant began = clock.instant();
                AtomicBoolean stop = interruption.flag();
                Thread progress = progress(err, stats, records.size());
                try {
                    new ReplayRunner(rewriter, new Pacer(factor), Sleeper.SYSTEM, stats).run(records, destination,
                        stop);
                } finally {
                    progress.interrupt();
                }
                Duration took = Duration.between(began, clock.instant());
                err.printf("replay: read %,d, sent %,d (all marked replay=true), skipped %,d %s, failed %,d %s,"
                    + " retried %s, in %.1f s%n", stats.readCount(), stats.sentCount(), stats.skippedCount(),
                    stats.skippedByReason(), stats.failedCount(), stats.failedByError(), stats.retriedByError(),
                    took.toMillis() / 1000.0).flush();
                if (stop.get()) {
                    return 130;
                }
            }
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
        return stats.failedCount() == 0 ? 0 : 1;
    }

    private ReplayTarget target(AwsClients clients, KinesisClient kinesis, ReplayStats stats) {
        SplittableRandom random = new SplittableRandom();
        if (target.api != null) {
            return new ApiTarget(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), target.api,
                batchSize, Sleeper.SYSTEM, random, stats);
        }
        return new StreamTarget(target.stream, new KinesisPutter(kinesis, target.stream, ReplayBackoff.STANDARD, 10,
            Sleeper.SYSTEM, random), ShardMap.of(kinesis, target.stream), new ShardThrottle(shardRecords,
            shardBytes), Sleeper.SYSTEM, stats);
    }

    /** From the first record's arrival to now. */
    private static Duration shift(Path archive, Instant now) throws IOException {
        try (ArchiveSource records = ArchiveSource.open(archive)) {
            if (!records.hasNext()) {
                return Duration.ZERO;
            }
            ArchiveRecord first = records.next();
            return Duration.between(first.arrival(), now);
        }
    }

    private static Thread progress(PrintWriter err, ReplayStats stats, long total) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    return;
                }
                err.printf("  %,d/%,d read, %,d sent, %,d skipped, %,d failed%n", stats.readCount(), total,
                    stats.sentCount(), stats.skippedCount(), stats.failedCount()).flush();
            }
        }, "replay-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it up eventually
        }
    }
}
