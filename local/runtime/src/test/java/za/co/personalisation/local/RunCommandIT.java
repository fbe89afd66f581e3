package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The run command's process hygiene, on a real child JVM running {@link LocalRuntime#main}: it serves the API,
 * and whether it is stopped with SIGTERM (as Ctrl-C or a service manager would) or killed outright, no emulator
 * process is left behind; and it can be started again straight away.
 */
class RunCommandIT {

    private static final Pattern API = Pattern.compile("API and page\\s+http://localhost:(\\d+)/");

    @Test
    void sigterm_stopsTheRuntimeAndItsEmulator_andASecondStartWorks() throws Exception {
        for (int run = 1; run <= 2; run++) {
            Running running = start();
            assertThat(postSeedEvent(running.port())).isEqualTo(202);

            running.process().destroy();

            assertThat(running.process().waitFor(20, TimeUnit.SECONDS)).as("runtime exits on SIGTERM").isTrue();
            assertGone(running.emulator());
        }
    }

    @Test
    void sigkill_leavesNoEmulatorBehind() throws Exception {
        Running running = start();

        running.process().destroyForcibly();

        assertThat(running.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertGone(running.emulator());
    }

    private record Running(Process process, int port, List<ProcessHandle> emulator) {
    }

    private static Running start() throws Exception {
        Path root = ProjectRoot.find();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Dproject.root=" + root, "-cp",
            System.getProperty("java.class.path"), LocalRuntime.class.getName(), "--port", "0")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.add(line);
            Matcher matcher = API.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "child-output");
                drain.setDaemon(true);
                drain.start();
                List<ProcessHandle> emulator = process.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("moto_runner.py")).toList();
                assertThat(emulator).as("the runtime started its emulator").hasSize(1);
                return new Running(process, Integer.parseInt(matcher.group(1)), emulator);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the runtime did not come up; it printed: " + seen);
    }

    private static int postSeedEvent(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"customerId\":\"12345\",\"interest\":\"electronics\",\"location\":\"Cape Town\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    private static void assertGone(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && processes.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(100);
        }
        assertThat(processes).as("emulator processes still alive").noneMatch(ProcessHandle::isAlive);
    }
}
