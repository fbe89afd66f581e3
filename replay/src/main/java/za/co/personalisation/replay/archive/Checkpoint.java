package za.co.personalisation.replay.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a capture stands: which window of which stream it captures, how many bytes of the archive are committed,
 * and per shard the last sequence number in those bytes. Saved atomically after each commit of the archive, so it
 * never claims more than the archive holds.
 *
 * @param stream       stream name
 * @param window       the capture's window as given (see {@link CaptureWindow#describe()})
 * @param archiveBytes committed length of the archive
 * @param records      records in those bytes
 * @param shards       by shard id, in the order first seen
 * @param complete     every shard was read to the end of the window
 * @param updatedAt    when it was saved
 */
public record Checkpoint(String stream, String window, long archiveBytes, long records,
    Map<String, ShardPosition> shards, boolean complete, Instant updatedAt) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A shard's progress: the last sequence number committed ({@code null}: none yet), and whether it is done. */
    public record ShardPosition(String lastSequenceNumber, boolean done) {
    }

    public Checkpoint {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(window, "window");
        shards = Collections.unmodifiableMap(new LinkedHashMap<>(shards));
    }

    public static Checkpoint start(String stream, String window, Instant now) {
        return new Checkpoint(stream, window, 0, 0, Map.of(), false, now);
    }

    public static Checkpoint read(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(Files.readAllBytes(file));
        if (root.path("version").asInt() != 1) {
            throw new IOException(file + " is not a version 1 capture checkpoint");
        }
        Map<String, ShardPosition> shards = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> shard : root.path("shards").properties()) {
            JsonNode last = shard.getValue().get("lastSequenceNumber");
            shards.put(shard.getKey(), new ShardPosition(last == null || last.isNull() ? null : last.asText(),
                shard.getValue().path("done").asBoolean()));
        }
        return new Checkpoint(root.path("stream").asText(), root.path("window").asText(),
            root.path("archiveBytes").asLong(), root.path("records").asLong(), shards,
            root.path("complete").asBoolean(), Instant.parse(root.path("updatedAt").asText()));
    }

    /** Writes to a temporary file and renames it over {@code file}: a crash leaves the old or the new one. */
    public void save(Path file) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", 1);
        root.put("stream", stream);
        root.put("window", window);
        root.put("archiveBytes", archiveBytes);
        root.put("records", records);
        root.put("complete", complete);
        root.put("updatedAt", updatedAt.toString());
        ObjectNode positions = root.putObject("shards");
        shards.forEach((id, position) -> positions.putObject(id)
            .put("lastSequenceNumber", position.lastSequenceNumber())
            .put("done", position.done()));
        Path parent = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        Files.write(temporary, MAPPER.writeValueAsBytes(root));
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Checkpoint with(long newArchiveBytes, long newRecords, Map<String, ShardPosition> newShards,
        boolean nowComplete, Instant now) {
        return new Checkpoint(stream, window, newArchiveBytes, newRecords, newShards, nowComplete, now);
    }
}
