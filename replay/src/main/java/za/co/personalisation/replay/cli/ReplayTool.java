package za.co.personalisation.replay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import za.co.personalisation.replay.report.Failures;

/** The analysts' tool: {@code replay capture | replay | load}. Documented in docs/replay.md. */
@Command(name = "replay", mixinStandardHelpOptions = true, version = "replay 0.1.0",
    description = "Capture, replay and load-test the personalisation pipeline, against the local stack or a"
        + " deployed one (endpoints and credentials from the standard AWS configuration).",
    subcommands = {CaptureCommand.class, ReplayCommand.class, LoadCommand.class})
public final class ReplayTool {

    private ReplayTool() {
    }

    /**
     * The tool's command line, ready to execute. A command that fails (the stack does not answer, a file cannot be
     * written) ends with one line saying what failed and exit code 1, never a stack trace.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new ReplayTool()).setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler((failure, command, parsed) -> {
                command.getErr().println("replay " + command.getCommandName() + ": " + Failures.oneLine(failure));
                command.getErr().flush();
                return 1;
            });
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
