package za.co.personalisation.replay.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveWriterTest {

    @TempDir
    Path dir;

    @Test
    void writtenRecords_readBackUnchanged_acrossSeveralCommits() throws IOException {
        Path archive = dir.resolve("a.ndjson.gz");
        List<ArchiveRecord> written = records("shardId-000000000000", 0, 7);
        try (ArchiveWriter writer = ArchiveWriter.open(archive, 0)) {
            for (int i = 0; i < written.size(); i++) {
                writer.write(written.get(i));
                if (i % 3 == 2) {
                    writer.commit();
                }
            }
        }

        List<ArchiveRecord> read = readAll(archive, Files.size(archive));

        assertThat(read).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(read.get(i).sequenceNumber()).isEqualTo(written.get(i).sequenceNumber());
            assertThat(read.get(i).arrival()).isEqualTo(written.get(i).arrival());
            assertThat(read.get(i).partitionKey()).isEqualTo(written.get(i).partitionKey());
            assertThat(read.get(i).data()).isEqualTo(written.get(i).data());
        }
    }

    @Test
    void reopen_afterACrashMidWrite_cutsBackToTheCommittedLength_soNoRecordIsTwiceOrLost() throws IOException {
        Path archive = dir.resolve("a.ndjson.gz");
        long committed;
        try (ArchiveWriter writer = ArchiveWriter.open(archive, 0)) {
            records("shardId-000000000000", 0, 3).forEach(record -> write(writer, record));
            committed = writer.commit();
            // a second part is being written when the process dies: half a gzip member reaches the disk
            records("shardId-000000000000", 3, 2).forEach(record -> write(writer, record));
        }
        Files.write(archive, "\u001f\u008b half a member".getBytes(StandardCharsets.ISO_8859_1),
            StandardOpenOption.APPEND);

        try (ArchiveWriter resumed = ArchiveWriter.open(archive, committed)) {
            records("shardId-000000000000", 3, 2).forEach(record -> write(resumed, record));
        }

        assertThat(readAll(archive, Files.size(archive))).extracting(ArchiveRecord::sequenceNumber)
            .containsExactly("100", "101", "102", "103", "104");
    }

    @Test
    void reader_limitedToTheCommittedLength_ignoresAHalfWrittenTail() throws IOException {
        Path archive = dir.resolve("a.ndjson.gz");
        long committed;
        try (ArchiveWriter writer = ArchiveWriter.open(archive, 0)) {
            records("shardId-000000000000", 0, 2).forEach(record -> write(writer, record));
            committed = writer.commit();
        }
        // the first half of a real member: what a crash in the middle of writing one leaves behind
        Path other = dir.resolve("b.ndjson.gz");
        try (ArchiveWriter writer = ArchiveWriter.open(other, 0)) {
            records("shardId-000000000000", 2, 50).forEach(record -> write(writer, record));
        }
        byte[] member = Files.readAllBytes(other);
        Files.write(archive, Arrays.copyOf(member, member.length / 2), StandardOpenOption.APPEND);

        assertThat(readAll(archive, committed)).hasSize(2);
        assertThatThrownBy(() -> readAll(archive, Files.size(archive))).isInstanceOf(RuntimeException.class)
            .hasMessageContaining("interrupted");
    }

    @Test
    void open_whenTheFileIsShorterThanItsCheckpoint_refusesToGuess() throws IOException {
        Path archive = dir.resolve("a.ndjson.gz");
        Files.write(archive, new byte[10]);

        assertThatThrownBy(() -> ArchiveWriter.open(archive, 100)).isInstanceOf(IOException.class)
            .hasMessageContaining("shorter");
    }

    @Test
    void line_holdsShardSequenceArrivalKeyAndBase64Data() {
        ArchiveRecord record = new ArchiveRecord("shardId-1", "42", Instant.parse("2026-11-25T10:00:00.123Z"), "c1",
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(record.toLine()).isEqualTo("{\"shard\":\"shardId-1\",\"sequenceNumber\":\"42\","
            + "\"arrival\":\"2026-11-25T10:00:00.123Z\",\"partitionKey\":\"c1\",\"data\":\"eyJhIjoxfQ==\"}");
        assertThat(ArchiveRecord.fromLine(record.toLine()).data()).isEqualTo(record.data());
        assertThatThrownBy(() -> ArchiveRecord.fromLine("{\"shard\":1}")).hasMessageContaining("'shard'");
    }

    static List<ArchiveRecord> records(String shard, int from, int count) {
        List<ArchiveRecord> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(new ArchiveRecord(shard, Integer.toString(100 + i),
                Instant.parse("2026-11-25T10:00:00Z").plusMillis(i * 10L), "customer-" + (i % 3),
                ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    static List<ArchiveRecord> readAll(Path archive, long limit) throws IOException {
        List<ArchiveRecord> records = new ArrayList<>();
        try (ArchiveReader reader = ArchiveReader.open(archive, limit, record -> true)) {
            reader.forEachRemaining(records::add);
        }
        return records;
    }

    private static void write(ArchiveWriter writer, ArchiveRecord record) {
        try {
            writer.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
