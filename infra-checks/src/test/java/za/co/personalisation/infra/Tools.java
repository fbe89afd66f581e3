package za.co.personalisation.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's own tools (scripts, pinned linters) and captures what they print. */
final class Tools {

    /** Exit code and combined output of a finished command. */
    record Result(int exitCode, String output) {
    }

    private Tools() {
    }

    static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
        return run(directory, command, Map.of());
    }

    /** As {@link #run(Path, List)}, with these variables added to the command's environment. */
    static Result run(Path directory, List<String> command, Map<String, String> environment)
        throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), output);
    }

    /** The bin directory of the pinned linters' virtualenv, installing it on first use. */
    static Path lintBin(Path root) throws IOException, InterruptedException {
        return venvBin(root, "build/lint/ensure-venv.sh", "cfn-lint and checkov");
    }

    /** The bin directory of the pinned AWS SAM CLI's virtualenv, installing it on first use. */
    static Path samBin(Path root) throws IOException, InterruptedException {
        return venvBin(root, "build/sam/ensure-venv.sh", "the AWS SAM CLI");
    }

    private static Path venvBin(Path root, String installer, String what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve(installer).toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String bin = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0 || bin.isEmpty()) {
            throw new IllegalStateException("installing " + what + " failed; see the messages above");
        }
        return Path.of(bin);
    }
}
