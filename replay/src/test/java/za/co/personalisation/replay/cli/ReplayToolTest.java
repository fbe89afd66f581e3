package za.co.personalisation.replay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ReplayToolTest {

    @Test
    void help_listsTheThreeCommands() {
        Run run = run("--help");

        assertThat(run.code).isZero();
        assertThat(run.out).contains("capture", "replay", "load");
    }

    @Test
    void replayIntoTheApi_withoutRemapping_isRefused_becauseTheApiCannotCarryTheReplayFlag() {
        Run run = run("replay", "--archive", "a.ndjson.gz", "--to-api", "http://127.0.0.1:1");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("--to-api needs --remap prefix or --remap hash");
    }

    @Test
    void remapPrefix_thatIsNotAShadowCustomersPrefix_isRefused() {
        // docs/replay.md, "The rule": the pipeline applies replayed traffic to shadow customers (shadow-…) only
        Run run = run("replay", "--archive", "a.ndjson.gz", "--to-stream", "s", "--remap", "prefix",
            "--remap-prefix", "test-");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("--remap-prefix must start with 'shadow-'");
    }

    @Test
    void badValues_areUsageErrorsThatSayWhatIsAccepted() {
        assertThat(run("load", "--target", "carrier-pigeon").err).contains("--target must be api, api-batch or"
            + " kinesis");
        assertThat(run("load", "--duration", "60s").err).contains("not an ISO-8601 duration such as PT60S");
        assertThat(run("replay", "--archive", "a", "--to-stream", "s", "--remap", "rot13").err)
            .contains("--remap must be none, prefix or hash");
        assertThat(run("capture").err).contains("Missing required option: '--out=FILE'");
        assertThat(run("replay", "--archive", "a").err).contains("Missing required argument");
    }

    @Test
    void aStackThatDoesNotAnswer_endsTheCommandWithOneLineAndExitOne_neverAStackTrace() {
        Run run = run("load", "--endpoint-url", "http://127.0.0.1:1", "--api-url", "http://127.0.0.1:1",
            "--rate", "10", "--count", "10", "--region", "af-south-1");

        assertThat(run.code).as(run.err).isEqualTo(1);
        assertThat(run.err).contains("replay load: ").doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(run.err.lines().filter(line -> line.startsWith("replay load: "))).hasSize(1);
    }

    @Test
    void times_areInstantsOrDurationsAgo() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        assertThat(Times.parse("PT2H", clock)).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(Times.parse("2026-11-25T09:30:00Z", clock)).isEqualTo(Instant.parse("2026-11-25T09:30:00Z"));
        assertThat(Times.parse(null, clock)).isNull();
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = ReplayTool.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
