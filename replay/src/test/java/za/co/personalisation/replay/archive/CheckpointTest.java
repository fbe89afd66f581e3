package za.co.personalisation.replay.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void saved_readsBackTheSame_withShardOrderKept() throws IOException {
        Map<String, Checkpoint.ShardPosition> shards = new LinkedHashMap<>();
        shards.put("shardId-2", new Checkpoint.ShardPosition("4960", true));
        shards.put("shardId-1", new Checkpoint.ShardPosition(null, false));
        Checkpoint checkpoint = new Checkpoint("interest-events-local", "AT_TIMESTAMP 2026-11-25T10:00:00Z .. end",
            1234, 56, shards, false, Instant.parse("2026-11-25T10:05:00Z"));
        Path file = dir.resolve("c.json");

        checkpoint.save(file);

        assertThat(Checkpoint.read(file)).isEqualTo(checkpoint);
        assertThat(Checkpoint.read(file).shards().keySet()).containsExactly("shardId-2", "shardId-1");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void read_ofAnotherKindOfFile_saysWhatItIsNot() throws IOException {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"version\":7}");

        assertThatThrownBy(() -> Checkpoint.read(file)).hasMessageContaining("not a version 1 capture checkpoint");
    }

    @Test
    void window_describesItself_andRefusesToEndBeforeItStarts() {
        Instant from = Instant.parse("2026-11-25T10:00:00Z");
        assertThat(new CaptureWindow(from, from.plusSeconds(60), false).describe())
            .isEqualTo("AT_TIMESTAMP 2026-11-25T10:00:00Z .. 2026-11-25T10:01:00Z");
        assertThat(CaptureWindow.trimHorizon().describe()).isEqualTo("TRIM_HORIZON .. end");
        assertThat(new CaptureWindow(from, null, false).includes(from.minusMillis(1))).isFalse();
        assertThatThrownBy(() -> new CaptureWindow(from, from, false)).hasMessageContaining("ends");
    }
}
