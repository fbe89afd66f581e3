package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * cloudwatch/ is the source of the alarms, metric filters, dashboard and queries; template.yaml carries a copy
 * so that it deploys as it is. The copy must be exactly what cloudwatch/sync-template.py makes of the sources.
 */
class CloudWatchSourcesTest {

    @Test
    void templateBlock_isExactlyWhatTheSyncScriptGenerates(@TempDir Path copy) throws Exception {
        Path root = ProjectRoot.find();
        copyTree(root.resolve("cloudwatch"), copy.resolve("cloudwatch"));
        Files.copy(root.resolve("template.yaml"), copy.resolve("template.yaml"));

        Tools.Result result = Tools.run(copy, List.of("python3", "cloudwatch/sync-template.py"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Files.readString(copy.resolve("template.yaml")))
            .as("template.yaml differs from cloudwatch/: run python3 cloudwatch/sync-template.py")
            .isEqualTo(Files.readString(root.resolve("template.yaml")));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
