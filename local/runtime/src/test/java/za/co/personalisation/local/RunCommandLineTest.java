package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.ProjectRoot;

class RunCommandLineTest {

    private static final Settings NO_ENVIRONMENT = Settings.of(Map.of());

    @Test
    void parse_withNothing_usesTheFixedDefaults() {
        RunCommandLine.Parsed parsed = RunCommandLine.parse(List.of(), NO_ENVIRONMENT);

        assertThat(parsed).isEqualTo(new RunCommandLine.Parsed(3000, 4566, "local", false));
    }

    @Test
    void parse_environmentOverridesDefaults_andOptionsOverrideTheEnvironment() {
        Settings environment = Settings.of(Map.of("PIPELINE_PORT", "3100", "PIPELINE_MOTO_PORT", "4600"));

        assertThat(RunCommandLine.parse(List.of(), environment))
            .isEqualTo(new RunCommandLine.Parsed(3100, 4600, "local", false));
        assertThat(RunCommandLine.parse(List.of("--moto-port", "0", "--port", "3001", "--stage", "dev"), environment))
            .isEqualTo(new RunCommandLine.Parsed(3001, 0, "dev", false));
    }

    @Test
    void parse_help_asksForTheUsage() {
        assertThat(RunCommandLine.parse(List.of("--help"), NO_ENVIRONMENT).help()).isTrue();
        assertThat(RunCommandLine.parse(List.of("--port", "1", "-h"), NO_ENVIRONMENT).help()).isTrue();
    }

    @Test
    void parse_badOrMissingArguments_sayWhatIsWrongInOneLine() {
        assertRefused(List.of("--prot", "3001"), "unknown option '--prot'");
        assertRefused(List.of("3001"), "unexpected argument '3001'");
        assertRefused(List.of("--port"), "--port needs a value");
        assertRefused(List.of("--port", "--stage", "dev"), "--port needs a value");
        assertRefused(List.of("--moto-port", "abc"), "--moto-port must be a port number from 0 to 65535; got 'abc'");
        assertRefused(List.of("--port", "65536"), "--port must be a port number from 0 to 65535; got '65536'");
        assertRefused(List.of("--port", "-1"), "--port needs a value");
        assertRefused(List.of("--stage", "Prod_1"), "--stage must match");
        assertRefused(List.of("--port", "4000", "--moto-port", "4000"), "they need two ports");
    }

    @Test
    void parse_badEnvironmentVariable_namesIt() {
        assertThatThrownBy(() -> RunCommandLine.parse(List.of(), Settings.of(Map.of("PIPELINE_MOTO_PORT", "x"))))
            .hasMessage("$PIPELINE_MOTO_PORT must be a port number from 0 to 65535; got 'x'");
    }

    @Test
    void usage_namesEveryOptionAndItsDefault() {
        assertThat(RunCommandLine.USAGE).startsWith("usage: ./pipeline run [--port N] [--moto-port N] [--stage NAME]")
            .contains("default 3000, or $PIPELINE_PORT").contains("default 4566, or $PIPELINE_MOTO_PORT")
            .contains("default local").contains("--help");
    }

    @Test
    void stagePattern_isTheTemplatesAllowedPattern() throws IOException {
        String template = Files.readString(ProjectRoot.find().resolve("template.yaml"));

        assertThat(template).containsPattern("  Stage:\\n    Type: String\\n    Default: \\w+\\n    AllowedPattern: \""
            + java.util.regex.Pattern.quote(RunCommandLine.STAGE_PATTERN) + "\"");
    }

    @Test
    void portInUse_namesTheTakenPortAndTheOptionThatMovesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThat(RunCommandLine.portInUse(new RunCommandLine.Parsed(0, port, "local", false)))
                .startsWith("port " + port + " on 127.0.0.1 (the emulator, --moto-port) is in use")
                .contains("--moto-port N (or $PIPELINE_MOTO_PORT)");
            assertThat(RunCommandLine.portInUse(new RunCommandLine.Parsed(port, 0, "local", false)))
                .startsWith("port " + port + " on 127.0.0.1 (the API, --port) is in use");
        }
        assertThat(RunCommandLine.portInUse(new RunCommandLine.Parsed(0, 0, "local", false))).isNull();
    }

    private static void assertRefused(List<String> args, String message) {
        assertThatThrownBy(() -> RunCommandLine.parse(args, NO_ENVIRONMENT)).as(String.join(" ", args))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(message)
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
