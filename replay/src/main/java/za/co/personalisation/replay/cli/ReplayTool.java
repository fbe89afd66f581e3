package za.co.personalisation.replay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The analysts' tool: {@code replay capture | replay | load}. Documented in docs/replay.md. */
@Command(name = "replay", mixinStandardHelpOptions = true, version = "replay 0.1.0",
    description = "Capture, replay and load-test the personalisation pipeline, against the local stack or a"
        + " deployed one (endpoints and credentials from the standard AWS configuration).",
    subcommands = {CaptureCommand.class, ReplayCommand.class, LoadCommand.class})
public final class ReplayTool {

    private ReplayTool() {
    }

    /** The tool's command line, ready to execute. */
    public static CommandLine commandLine() {
        return new CommandLine(new ReplayTool()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
