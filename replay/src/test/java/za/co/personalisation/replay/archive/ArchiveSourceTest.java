package za.co.personalisation.replay.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveSourceTest {

    @TempDir
    Path dir;

    @Test
    void records_comeInArrivalOrderAcrossShards_andInSequenceOrderWithinEach() throws IOException {
        Path archive = dir.resolve("a.ndjson.gz");
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        try (ArchiveWriter writer = ArchiveWriter.open(archive, 0)) {
            // a capture reads shard by shard: shard 0's records first, then shard 1's
            writer.write(record("shard-0", "1", t.plusMillis(0)));
            writer.write(record("shard-0", "2", t.plusMillis(30)));
            writer.write(record("shard-0", "3", t.plusMillis(30)));
            writer.commit();
            writer.write(record("shard-1", "1", t.plusMillis(10)));
            writer.write(record("shard-1", "2", t.plusMillis(40)));
        }

        List<String> order = new ArrayList<>();
        try (ArchiveSource source = ArchiveSource.open(archive)) {
            assertThat(source.size()).isEqualTo(5);
            source.forEachRemaining(record -> order.add(record.shardId() + "/" + record.sequenceNumber()));
        }

        assertThat(order).containsExactly("shard-0/1", "shard-1/1", "shard-0/2", "shard-0/3", "shard-1/2");
    }

    @Test
    void open_besideAnIncompleteCapture_readsOnlyWhatItsCheckpointCommitted() throws IOException {
        Path archive = dir.resolve("a.ndjson.gz");
        long committed;
        try (ArchiveWriter writer = ArchiveWriter.open(archive, 0)) {
            writer.write(record("shard-0", "1", Instant.EPOCH));
            committed = writer.commit();
            writer.write(record("shard-0", "2", Instant.EPOCH));
        }
        new Checkpoint("s", "TRIM_HORIZON .. end", committed, 1, Map.of(), false, Instant.EPOCH)
            .save(ArchiveSource.checkpointFor(archive));
        assertThat(Files.size(archive)).isGreaterThan(committed);

        try (ArchiveSource source = ArchiveSource.open(archive)) {
            assertThat(source.size()).isEqualTo(1);
        }
    }

    private static ArchiveRecord record(String shard, String sequence, Instant arrival) {
        return new ArchiveRecord(shard, sequence, arrival, "k", sequence.getBytes(StandardCharsets.UTF_8));
    }
}
