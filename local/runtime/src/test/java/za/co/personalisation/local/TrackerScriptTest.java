package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The retailer's tracker script (frontend/tracker.js), unit-tested with Node's test runner
 * (frontend/test/tracker.test.mjs: batching, retry and backoff, never retrying 4xx, beacons on page hide). The
 * browser test (FrontendBrowserIT) drives the real beacon against the local stack. Skipped, with the reason, only
 * where Node.js is not installed.
 */
class TrackerScriptTest {

    @Test
    void trackerScript_passesItsNodeTests() throws Exception {
        Path root = ProjectRoot.find();
        ProcessRun version = run(root, "node", "--version");
        Assumptions.assumeTrue(version.exit() == 0, "Node.js is not installed: " + version.output());

        ProcessRun tests = ProcessRun.of(root, 120, "node", "--test",
            root.resolve("frontend/test/tracker.test.mjs").toString());

        assertThat(tests.exit()).as("node --test frontend/test/tracker.test.mjs:%n%s", tests.output()).isZero();
        assertThat(tests.output()).containsPattern("# pass (1[2-9]|[2-9]\\d)").contains("# fail 0");
    }

    private static ProcessRun run(Path root, String... command) {
        try {
            return ProcessRun.of(root, 30, command);
        } catch (java.io.IOException e) {
            return new ProcessRun(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessRun(130, "interrupted");
        }
    }
}
