package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * The run command on a real child JVM running {@link LocalRuntime#main}: bad arguments and a taken port end it with
 * one line and no stack trace; and its process hygiene: it serves the API,
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

    @Test
    void badArguments_printOneLineAndTheUsage_andExit2_withoutAStackTrace() throws Exception {
        for (List<String> args : List.of(List.of("--prot", "3001"), List.of("--port"), List.of("--port", "http"),
            List.of("--stage", "Prod"))) {
            Finished finished = runToEnd(args);

            assertThat(finished.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(finished.output().get(0)).as(String.join(" ", args)).startsWith("pipeline run: ");
            assertThat(finished.output().get(1)).isEqualTo(RunCommandLine.USAGE.lines().findFirst().orElseThrow());
            assertThat(finished.output()).as("no stack trace").noneMatch(line -> line.startsWith("\tat ")
                || line.contains("Exception"));
            assertThat(finished.output()).hasSize(1 + (int) RunCommandLine.USAGE.lines().count());
        }
    }

    @Test
    void help_printsTheUsage_andExits0() throws Exception {
        Finished finished = runToEnd(List.of("--help"));

        assertThat(finished.exitCode()).isZero();
        assertThat(String.join("\n", finished.output())).isEqualTo(RunCommandLine.USAGE.replace("\r", ""));
    }

    @Test
    void emulatorPortTaken_saysWhichAndExits1_beforeStartingAnything() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Finished finished = runToEnd(List.of("--port", "0", "--moto-port",
                Integer.toString(taken.getLocalPort())));

            assertThat(finished.exitCode()).isEqualTo(1);
            assertThat(finished.output()).containsExactly("pipeline run: port " + taken.getLocalPort()
                + " on 127.0.0.1 (the emulator, --moto-port) is in use: is ./pipeline run already running? Stop it,"
                + " or pick another with --moto-port N (or $PIPELINE_MOTO_PORT)");
        }
    }

    private record Finished(int exitCode, List<String> output) {
    }

    /** Runs LocalRuntime.main in a child JVM that is expected to exit by itself (within 30 s). */
    private static Finished runToEnd(List<String> args) throws Exception {
        Path root = ProjectRoot.find();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Dproject.root=" + root, "-cp", System.getProperty("java.class.path"),
            LocalRuntime.class.getName()));
        command.addAll(args);
        ProcessRun run = ProcessRun.of(root, 30, command.toArray(String[]::new));
        assertThat(run.exit()).as("the runtime exits by itself; it printed: " + run.output()).isNotEqualTo(-1);
        return new Finished(run.exit(), run.output().lines().toList());
    }

    private record Running(Process process, int port, List<ProcessHandle> emulator) {
    }

    private static Running start() throws Exception {
        Path root = ProjectRoot.find();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Dproject.root=" + root, "-cp",
            System.getProperty("java.class.path"), LocalRuntime.class.getName(), "--port", "0", "--moto-port", "0")
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
