package za.co.personalisation.replay.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import za.co.personalisation.replay.archive.ArchiveSource;
import za.co.personalisation.replay.archive.CaptureWindow;
import za.co.personalisation.replay.archive.KinesisCapture;
import za.co.personalisation.aws.retry.Sleeper;

/** {@code replay capture}: a window of a Kinesis stream into a gzip NDJSON archive, resumably. */
@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Reads a Kinesis stream (every shard) into a gzip NDJSON archive: one record a line with its"
            + " shard, sequence number, arrival time, partition key and data (base64).",
        "Resumable: a checkpoint beside the archive (<archive>.checkpoint.json) records what is committed; run the"
            + " same command again after an interruption and it carries on, with no record twice.",
        "Times are ISO-8601 instants (2026-11-25T10:00:00Z) or durations ago (PT2H)."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:the window is captured", "1:failed (message on stderr)", "2:bad usage",
        "130:stopped (Ctrl-C); run again to resume"})
final class CaptureCommand implements Callable<Integer> {

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Option(names = "--stream", paramLabel = "NAME", description = "stream to read (default: the stage's"
        + " interest-events stream)")
    String stream;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "archive to write"
        + " (e.g. capture.ndjson.gz)")
    Path out;

    @Option(names = "--from", paramLabel = "TIME", description = "start at the first record that arrived at or after"
        + " TIME (AT_TIMESTAMP); default: the oldest record kept (TRIM_HORIZON)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "stop before the first record that arrived at or"
        + " after TIME; default: the end of the stream when the capture catches up")
    String to;

    @Option(names = "--follow", description = "keep reading new records until Ctrl-C (or until --to has passed)")
    boolean follow;

    @Option(names = "--commit-every", paramLabel = "DURATION", defaultValue = "PT5S",
        converter = Times.DurationConverter.class,
        description = "how often the archive is committed and the checkpoint saved (default: ${DEFAULT-VALUE})")
    Duration commitEvery;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Clock clock = Clock.systemUTC();
        CaptureWindow window = new CaptureWindow(Times.parse(from, clock), Times.parse(to, clock), follow);
        String name = stream != null ? stream : aws.names().stream();
        Path checkpoint = ArchiveSource.checkpointFor(out);
        KinesisCapture capture = new KinesisCapture(aws.clients().kinesis(), clock, Sleeper.SYSTEM, commitEvery,
            new SplittableRandom());
        err.printf("capture: stream %s, %s, into %s (checkpoint %s)%n", name, window.describe(), out,
            checkpoint.getFileName()).flush();
        Instant started = clock.instant();
        KinesisCapture.Result result;
        try (Interruption interruption = new Interruption()) {
            result = capture.run(name, window, out, checkpoint, interruption.flag(), (committed, open, last) ->
                err.printf("  %,d records committed (%,d bytes), %d shard(s) still open%s%n", committed.records(),
                    committed.archiveBytes(), open, last == null ? "" : ", last arrival " + last).flush());
        }
        Duration took = Duration.between(started, clock.instant());
        if (result.complete()) {
            err.printf("capture: complete, %,d records in %s (%,d new in %d s)%n", result.records(), out,
                result.capturedNow(), took.toSeconds());
            return 0;
        }
        err.printf("capture: stopped with %,d records committed; run the same command again to resume%n",
            result.records());
        return 130;
    }
}
