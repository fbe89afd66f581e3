package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The page as a person uses it, in headless Chromium (Debian's chromium driven by playwright-core): the local
 * runtime serves frontend/ and the API, and frontend/test/e2e.mjs picks customer 12345, submits an interest and a
 * location with the keyboard, and waits for the offer and the event's journey to appear, then for the offer's
 * delivery receipt, and presses "Reply STOP" (issue 17). The test installs what it
 * needs by itself (frontend/test/ensure-browser.sh: apt-get chromium as root, npm ci for playwright-core); only
 * where that is impossible (not root and no chromium, or no Node.js) is it skipped, with the reason.
 * A screenshot of the page is left in local/runtime/target/e2e/local-page.png.
 */
@ExtendWith(MotoExtension.class)
class FrontendBrowserIT {

    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private static LocalRuntime runtime;

    @BeforeAll
    static void start(MotoServer moto) {
        runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
            new PrintStream(CONSOLE, true, StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void aPersonSubmitsTheForm_andSeesTheOfferArriveWithItsJourney() throws Exception {
        Path root = ProjectRoot.find();
        ProcessRun install = ProcessRun.of(root, 900, "bash",
            root.resolve("frontend/test/ensure-browser.sh").toString());
        Assumptions.assumeTrue(install.exit() != 3, "browser test skipped, cannot install its tools here: "
            + install.output());
        assertThat(install.exit()).as("installing the browser test's tools failed:%n%s", install.output())
            .isZero();

        Path shots = root.resolve("local/runtime/target/e2e");
        ProcessRun e2e = ProcessRun.of(root, 240, "node", root.resolve("frontend/test/e2e.mjs").toString(),
            "http://127.0.0.1:" + runtime.port() + "/", shots.toString());

        assertThat(e2e.exit()).as("the browser test failed:%n%s%nruntime console:%n%s", e2e.output(),
            CONSOLE.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(e2e.output()).contains("the offer arrives in the live list for customer 12345")
            .contains("ok     the offer shows its delivery receipt, and Reply STOP marks it opted out")
            .contains("ok     events still waiting when the page is left go in one beacon")
            .contains("ok     the dashboard draws every widget from the local metrics")
            .containsPattern("e2e: \\d+ passed, 0 failed");
        assertThat(shots.resolve("dashboard.png")).isRegularFile().satisfies(png ->
            assertThat(java.nio.file.Files.size(png)).as("dashboard screenshot size").isGreaterThan(20_000));
    }
}
