package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The functions run with SnapStart (template.yaml): every environment resumes from one snapshot, so a random
 * source made or seeded during init draws the same numbers in every environment ("Handling uniqueness with Lambda
 * SnapStart"). Code that ships in a function jar takes its jitter from aws-support's {@code retry.Jitter}, never
 * from {@code java.util.Random}, {@code ThreadLocalRandom} or {@code SplittableRandom}.
 */
class SnapStartUniquenessTest {

    private static final Path ROOT = ProjectRoot.find();
    private static final List<String> FUNCTION_CODE = List.of("core", "aws-support", "ingest-function",
        "enrich-function", "notify-function", "deliver-function", "feedback-function");
    private static final Pattern SNAPSHOTTED_RANDOM =
        Pattern.compile("new Random\\(|ThreadLocalRandom|new SplittableRandom\\(");

    @Test
    void functionCode_drawsNoRandomnessThatASnapshotWouldFreeze() throws IOException {
        List<String> offenders = FUNCTION_CODE.stream()
            .flatMap(module -> javaFiles(ROOT.resolve(module).resolve("src/main/java")))
            .filter(file -> !file.endsWith("za/co/personalisation/aws/retry/Jitter.java")) // says why, in words
            .filter(file -> SNAPSHOTTED_RANDOM.matcher(read(file)).find())
            .map(file -> ROOT.relativize(file).toString()).sorted().toList();

        assertThat(offenders).as("main classes of function jars using a random source a snapshot freezes")
            .isEmpty();
    }

    private static Stream<Path> javaFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(path -> path.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
