package za.co.personalisation.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A command the tests run (node, a shell script) with its exit code and everything it printed. */
record ProcessRun(int exit, String output) {

    /** Runs {@code command} in {@code directory} with no standard input; exit -1 when it outlives the timeout. */
    static ProcessRun of(Path directory, int timeoutSeconds, String... command)
        throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
            .start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (IOException ignored) {
                // the process ended
            }
        }, "process-output");
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(5_000);
            return new ProcessRun(-1, "timed out after " + timeoutSeconds + " s:\n" + output.toString(
                StandardCharsets.UTF_8));
        }
        reader.join(5_000);
        return new ProcessRun(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }
}
