package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The Python tools (the emulator, the template linters, the SAM CLI, uv) install from lock files: every package
 * pinned with {@code ==} and carrying SHA-256 hashes, installed with {@code pip install --require-hashes --no-deps}
 * and then {@code pip check} (which refuses a set with a dependency the lock leaves out). Each lock is made from
 * its {@code requirements.in} by build/lock-python.sh, so every direct requirement must appear in the lock at the
 * version the .in file names. That the install really
 * refuses a wrong hash or an unpinned dependency is pip's behaviour; this test keeps the files and the script in
 * the shape that switches it on.
 */
class PythonLockFilesTest {

    private static final List<String> LOCKED = List.of("local/moto", "build/lint", "build/sam", "build/lock");
    private static final Pattern PIN = Pattern.compile("^([A-Za-z0-9._-]+)(\\[[^]]*])?==([^ ;\\\\]+)");

    @Test
    void everyLock_pinsEveryPackageWithHashes() throws IOException {
        for (String dir : LOCKED) {
            List<Requirement> lock = requirements(ProjectRoot.find().resolve(dir + "/requirements.txt"));

            assertThat(lock).as(dir + "/requirements.txt lists packages").isNotEmpty();
            assertThat(lock).as(dir + "/requirements.txt: every package pinned with == and hashed")
                .allSatisfy(requirement -> {
                    assertThat(requirement.version()).as(requirement.line()).isNotNull();
                    assertThat(requirement.line()).as(requirement.line()).contains("--hash=sha256:");
                });
        }
    }

    @Test
    void everyDirectRequirement_isInItsLockAtTheSameVersion() throws IOException {
        for (String dir : LOCKED) {
            Path root = ProjectRoot.find();
            Map<String, List<String>> locked = new LinkedHashMap<>();
            for (Requirement requirement : requirements(root.resolve(dir + "/requirements.txt"))) {
                locked.computeIfAbsent(requirement.name(), name -> new ArrayList<>()).add(requirement.version());
            }
            for (Requirement direct : requirements(root.resolve(dir + "/requirements.in"))) {
                assertThat(direct.version()).as(dir + "/requirements.in pins " + direct.line()).isNotNull();
                assertThat(locked.get(direct.name()))
                    .as(dir + "/requirements.txt is stale for " + direct.name() + ": run build/lock-python.sh")
                    .containsExactly(direct.version());
            }
        }
    }

    @Test
    void theInstaller_requiresHashes() throws IOException {
        String installer = Files.readString(ProjectRoot.find().resolve("build/ensure-venv.sh"));

        assertThat(installer).contains("pip install").contains("--require-hashes").contains("--no-deps")
            .contains("pip check");
        for (String wrapper : List.of("local/moto/ensure-venv.sh", "build/lint/ensure-venv.sh",
            "build/sam/ensure-venv.sh")) {
            assertThat(Files.readString(ProjectRoot.find().resolve(wrapper))).as(wrapper)
                .containsPattern("(build/|\\.\\./)ensure-venv\\.sh").contains("requirements.txt");
        }
    }

    private record Requirement(String name, String version, String line) {
    }

    /** One entry per requirement, continuation lines (the hashes) joined to it; comments dropped. */
    private static List<Requirement> requirements(Path file) throws IOException {
        List<String> entries = new ArrayList<>();
        StringBuilder entry = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            entry.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!line.endsWith("\\")) {
                entries.add(entry.toString().strip());
                entry.setLength(0);
            }
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String line : entries) {
            Matcher pin = PIN.matcher(line);
            boolean pinned = pin.find();
            String name = pinned ? pin.group(1) : line.split("[ <>=!~;\\[]", 2)[0];
            // PEP 503: names compare case-insensitively, with runs of - _ . alike
            requirements.add(new Requirement(name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-"),
                pinned ? pin.group(3) : null, line));
        }
        return requirements;
    }
}
