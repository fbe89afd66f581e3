package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The pipeline script's own commands answer bad usage with one line naming the problem, then the usage, and exit
 * status 2; they never reach curl or a build with it. (./pipeline run's options are RunCommandLine's, tested there.)
 */
class PipelineScriptTest {

    @Test
    void badArguments_oneLineThenTheUsage_exit2() throws Exception {
        assertRefused(List.of("status", "--port"), "pipeline status: --port needs a value",
            "usage: ./pipeline status [--port 3000]");
        assertRefused(List.of("status", "--port", "http"), "pipeline status: --port must be a port number; got 'http'",
            "usage: ./pipeline status [--port 3000]");
        assertRefused(List.of("status", "--prot", "3001"), "pipeline status: unexpected argument '--prot'",
            "usage: ./pipeline status [--port 3000]");
        assertRefused(List.of("trace"), "pipeline trace: name the event: its eventId, as POST /events answered it",
            "usage: ./pipeline trace EVENT_ID [--port 3000]");
        assertRefused(List.of("trace", "../status"), "pipeline trace: '../status' is not an eventId (a letter or"
            + " digit, then letters, digits and . _ : -)", "usage: ./pipeline trace EVENT_ID [--port 3000]");
        assertRefused(List.of("trace", "e-1", "--port", "99999"),
            "pipeline trace: --port must be a port number; got '99999'",
            "usage: ./pipeline trace EVENT_ID [--port 3000]");
        assertRefused(List.of("report"), "pipeline report: name the report: offers (got '')",
            "usage: ./pipeline report offers [--local | --stage STAGE] [--from WHEN] [--to WHEN] [--json]");
        assertRefused(List.of("report", "offer"), "pipeline report: name the report: offers (got 'offer')",
            "usage: ./pipeline report offers [--local | --stage STAGE] [--from WHEN] [--to WHEN] [--json]");
    }

    @Test
    void unknownCommand_isNamed_andEveryCommandListed() throws Exception {
        Tools.Result result = pipeline(List.of("deploy"));

        assertThat(result.exitCode()).isEqualTo(2);
        List<String> lines = result.output().lines().toList();
        assertThat(lines.get(0)).isEqualTo("pipeline: unknown command 'deploy'");
        assertThat(lines.get(1)).startsWith("usage: ./pipeline run [--port 3000] [--moto-port 4566]");
        for (String command : List.of("test", "status", "trace", "replay", "offers [--local]",
            "report offers")) {
            assertThat(result.output()).contains("./pipeline " + command);
        }
    }

    private static void assertRefused(List<String> args, String error, String usage) throws Exception {
        Tools.Result result = pipeline(args);

        assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
        assertThat(result.output().lines().toList()).as(String.join(" ", args)).containsExactly(error, usage);
    }

    private static Tools.Result pipeline(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "pipeline"));
        command.addAll(args);
        return Tools.run(ProjectRoot.find(), command);
    }
}
