package za.co.personalisation.replay.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.replay.cli.ReplayTool;
import za.co.personalisation.aws.retry.Sleeper;

/** Capture against a real (emulated) Kinesis stream of two shards, through the SDK. */
@ExtendWith(MotoExtension.class)
class CaptureIT {

    private static final AtomicInteger STREAMS = new AtomicInteger();

    @TempDir
    Path dir;

    private MotoExtension.Emulator emulator;
    private KinesisClient kinesis;
    private String stream;

    @BeforeEach
    void stream(MotoExtension.Emulator emulator) {
        this.emulator = emulator;
        this.kinesis = new AwsClients(Settings.of(emulator.environment())).kinesis();
        this.stream = "recorded-" + STREAMS.incrementAndGet();
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
    }

    @Test
    void capture_fromTrimHorizon_takesEveryRecordOfEveryShard_inEachShardsOrder() throws Exception {
        List<String> sent = put(0, 40);
        Path archive = dir.resolve("all.ndjson.gz");

        KinesisCapture.Result result = capture(10_000).run(stream, CaptureWindow.trimHorizon(), archive,
            ArchiveSource.checkpointFor(archive), new AtomicBoolean(), (c, open, last) -> { });

        assertThat(result.complete()).isTrue();
        List<ArchiveRecord> records = ArchiveWriterTest.readAll(archive, Files.size(archive));
        assertThat(records).extracting(CaptureIT::text).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(records).extracting(ArchiveRecord::shardId).containsOnly("shardId-000000000000",
            "shardId-000000000001");
        for (String shard : Set.of("shardId-000000000000", "shardId-000000000001")) {
            List<BigInteger> sequences = records.stream().filter(r -> r.shardId().equals(shard))
                .map(r -> new BigInteger(r.sequenceNumber())).toList();
            assertThat(sequences).isSorted();
        }
        assertThat(Checkpoint.read(ArchiveSource.checkpointFor(archive)).complete()).isTrue();
    }

    @Test
    void capture_betweenTwoTimes_takesOnlyWhatArrivedInTheWindow() throws Exception {
        put(0, 5);
        Instant from = awaitNextSecond();
        List<String> inside = put(5, 5);
        Instant to = awaitNextSecond();
        put(10, 5);
        Path archive = dir.resolve("window.ndjson.gz");

        KinesisCapture.Result result = capture(10_000).run(stream, new CaptureWindow(from, to, false), archive,
            ArchiveSource.checkpointFor(archive), new AtomicBoolean(), (c, open, last) -> { });

        assertThat(result.complete()).isTrue();
        assertThat(ArchiveWriterTest.readAll(archive, Files.size(archive))).extracting(CaptureIT::text)
            .containsExactlyInAnyOrderElementsOf(inside);
    }

    @Test
    void capture_stoppedAndKilledMidWrite_thenResumed_hasEveryRecordExactlyOnce() throws Exception {
        List<String> sent = put(0, 60);
        Path archive = dir.resolve("resumed.ndjson.gz");
        Path checkpoint = ArchiveSource.checkpointFor(archive);
        AtomicBoolean stop = new AtomicBoolean();

        KinesisCapture.Result first = capture(7).run(stream, CaptureWindow.trimHorizon(), archive, checkpoint, stop,
            (committed, open, last) -> stop.set(committed.records() >= 14));
        // the process dies while writing the next part: half a gzip member reaches the disk
        Files.write(archive, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x4b, 0x4c},
            StandardOpenOption.APPEND);
        KinesisCapture.Result second = capture(7).run(stream, CaptureWindow.trimHorizon(), archive, checkpoint,
            new AtomicBoolean(), (c, open, last) -> { });

        assertThat(first.stopped()).isTrue();
        assertThat(first.records()).isBetween(14L, 59L);
        assertThat(second.complete()).isTrue();
        assertThat(second.capturedNow()).isEqualTo(60 - first.records());
        List<ArchiveRecord> records = ArchiveWriterTest.readAll(archive, Files.size(archive));
        assertThat(records).extracting(CaptureIT::text).containsExactlyInAnyOrderElementsOf(sent);
        Set<String> positions = new HashSet<>();
        records.forEach(record -> assertThat(positions.add(record.shardId() + record.sequenceNumber())).isTrue());
    }

    @Test
    void capture_resumedWithAnotherWindow_isRefused_ratherThanMixingTwoCaptures() throws Exception {
        put(0, 3);
        Path archive = dir.resolve("a.ndjson.gz");
        Path checkpoint = ArchiveSource.checkpointFor(archive);
        capture(10_000).run(stream, new CaptureWindow(Instant.now().minusSeconds(3600), null, false), archive,
            checkpoint, new AtomicBoolean(true), (c, open, last) -> { });

        assertThatThrownBy(() -> capture(10_000).run(stream, CaptureWindow.trimHorizon(), archive, checkpoint,
            new AtomicBoolean(), (c, open, last) -> { })).isInstanceOf(IOException.class)
            .hasMessageContaining("belongs to another capture");
    }

    @Test
    void captureCommand_writesTheArchive_andSaysSoOnStderr() throws Exception {
        List<String> sent = put(0, 12);
        Path archive = dir.resolve("cli.ndjson.gz");

        int code = ReplayTool.run("capture", "--endpoint-url", emulator.endpoint().toString(), "--stream", stream,
            "--out", archive.toString());

        assertThat(code).isZero();
        assertThat(ArchiveWriterTest.readAll(archive, Files.size(archive))).extracting(CaptureIT::text)
            .containsExactlyInAnyOrderElementsOf(sent);
        assertThat(ReplayTool.run("capture", "--endpoint-url", emulator.endpoint().toString(), "--stream", stream,
            "--out", archive.toString())).as("an already complete capture is left as it is").isZero();
    }

    private KinesisCapture capture(int pageSize) {
        return new KinesisCapture(kinesis, Clock.systemUTC(), Sleeper.SYSTEM, Duration.ZERO, new SplittableRandom(),
            pageSize);
    }

    /** Puts records whose data is "record-i" with partition keys spread over both shards. */
    private List<String> put(int from, int count) {
        List<String> texts = new ArrayList<>();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            texts.add("record-" + i);
            entries.add(PutRecordsRequestEntry.builder().partitionKey("customer-" + i)
                .data(SdkBytes.fromString("record-" + i, StandardCharsets.UTF_8)).build());
        }
        assertThat(kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount()).isZero();
        return texts;
    }

    /** Arrival times have a resolution the emulator decides; a fresh second keeps the batches apart. */
    private static Instant awaitNextSecond() throws InterruptedException {
        Instant next = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        while (Instant.now().isBefore(next.plusMillis(50))) {
            Thread.sleep(20);
        }
        return next;
    }

    private static String text(ArchiveRecord record) {
        return new String(record.data(), StandardCharsets.UTF_8);
    }
}
