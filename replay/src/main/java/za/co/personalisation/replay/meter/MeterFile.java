package za.co.personalisation.replay.meter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When the system property {@value #PROPERTY} names a file, {@link CallMeter}'s counts are written to it every
 * second (atomically: a reader never sees half a file). This is how {@code replay load} reads the calls that the
 * local stack's functions make in another JVM ({@code replay/replay local-stack} sets the property).
 */
public final class MeterFile {

    public static final String PROPERTY = "replay.meter.file";
    /** The file's name under the local stack's .local-aws/logs. */
    public static final String DEFAULT_NAME = "sdk-calls.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MeterFile() {
    }

    static void startIfConfigured(AtomicBoolean started) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank() || !started.compareAndSet(false, true)) {
            return;
        }
        Path path = Path.of(file);
        Thread writer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    write(path);
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    started.set(false);
                    return;
                }
            }
        }, "replay-meter-file");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes the counts now. */
    public static void write(Path path) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("writtenAt", Instant.now().toString());
        root.put("pid", ProcessHandle.current().pid());
        root.set("calls", CallMeter.snapshot().toJson());
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
        Files.write(temporary, MAPPER.writeValueAsBytes(root));
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
