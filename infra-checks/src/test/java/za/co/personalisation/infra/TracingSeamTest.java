package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The X-Ray SDK for Java is in maintenance (end of support 2027-02-25; docs/observability.md, "From the X-Ray SDK
 * to OpenTelemetry"). Until it is replaced it stays behind its one seam, so that the move touches one class:
 * AwsClients adds its interceptor to the SDK clients and reads the invocation's trace id for the logs, and the
 * local runtime's XRayTracer plays Lambda's part.
 */
class TracingSeamTest {

    private static final Path ROOT = ProjectRoot.find();
    private static final List<String> SEAM = List.of(
        "aws-support/src/main/java/za/co/personalisation/aws/clients/AwsClients.java",
        "local/runtime/src/main/java/za/co/personalisation/local/observe/XRayTracer.java");

    @Test
    void onlyTheSeam_importsTheXRaySdk() throws IOException {
        List<String> users = files("*.java").filter(file -> file.toString().contains("/src/main/"))
            .filter(file -> read(file).contains("import com.amazonaws.xray."))
            .map(file -> ROOT.relativize(file).toString()).sorted().toList();

        assertThat(users).as("main classes importing com.amazonaws.xray").containsExactlyInAnyOrderElementsOf(SEAM);
    }

    @Test
    void onlyAwsSupport_dependsOnTheXRaySdk() throws IOException {
        List<String> poms = files("pom.xml").filter(pom -> read(pom).contains("<artifactId>aws-xray-recorder"))
            .map(pom -> ROOT.relativize(pom).toString()).sorted().toList();

        assertThat(poms).as("the parent manages the version; aws-support alone depends on it")
            .containsExactly("aws-support/pom.xml", "pom.xml");
    }

    private static Stream<Path> files(String glob) throws IOException {
        var matcher = ROOT.getFileSystem().getPathMatcher("glob:" + glob);
        return Files.walk(ROOT).filter(path -> !path.toString().contains("/target/")
                && !path.toString().contains("/.local-aws/") && !path.toString().contains("/node_modules/"))
            .filter(path -> matcher.matches(path.getFileName())).toList().stream();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
