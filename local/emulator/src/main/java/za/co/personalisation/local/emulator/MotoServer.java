package za.co.personalisation.local.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One moto server process: the local AWS. Installed on first use (local/moto/ensure-venv.sh), started on a port
 * of its choosing (or the one asked for), and stopped by {@link #close()}.
 *
 * <p>It cannot outlive this JVM: the runner exits when its standard input closes, which the operating system does
 * when this process ends for any reason, and a shutdown hook stops it on a normal exit, Ctrl-C or SIGTERM.
 */
public final class MotoServer implements AutoCloseable {

    /** Credentials and region the emulator accepts; any value works, these are the documented ones. */
    public static final String REGION = "af-south-1";
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local";
    /**
     * The erasure tombstones' HMAC key on the emulator (ERASURE_KEY): fixed, because nothing here is secret; a
     * deployed stack gets its own from the template parameter ErasureKey.
     */
    public static final String ERASURE_KEY = "local-erasure-key-not-a-secret-0000";
    /**
     * The control-group draw's HMAC key on the emulator (HOLDOUT_KEY): fixed, so that tests can work out who is
     * held out; a deployed stack gets its own from the template parameter HoldoutKey.
     */
    public static final String HOLDOUT_KEY = "local-holdout-key-not-a-secret-000";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final OutputStream lifeline;
    private final URI endpoint;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.lifeline = process.getOutputStream();
        this.endpoint = endpoint;
        this.shutdownHook = new Thread(this::stopProcess, "moto-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Installs moto if needed and starts it.
     *
     * @param root project root (see {@link ProjectRoot#find()})
     * @param port port to bind on 127.0.0.1, or 0 for any free port
     * @param log  file that receives the emulator's own request log
     */
    public static MotoServer start(Path root, int port, Path log) {
        return start(root, port, log, Map.of());
    }

    /**
     * As {@link #start(Path, int, Path)}, with more variables in the emulator's environment (for instance
     * MOTO_FAST_PATHS=0, moto's own code paths, to compare the runner's fast paths with).
     */
    public static MotoServer start(Path root, int port, Path log, Map<String, String> environment) {
        String python = ensureInstalled(root);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(python, root.resolve("local/moto/moto_runner.py").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("PYTHONUNBUFFERED", "1");
            // moto answers each request on a thread of its own; glibc gives busy threads their own malloc arenas,
            // and memory freed in them was kept: under load the emulator's resident memory grew several times
            // faster than what Python held (traced 64 MB, resident 432 MB; docs/benchmarks.md, "Load").
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            builder.environment().put("MOTO_ALLOW_NONEXISTENT_REGION", "true");
            builder.environment().putAll(environment);
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            int bound = awaitReady(process, out, log);
            Thread drain = new Thread(() -> drain(out), "moto-stdout");
            drain.setDaemon(true);
            drain.start();
            return new MotoServer(process, URI.create("http://127.0.0.1:" + bound));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local AWS emulator", e);
        }
    }

    private static String ensureInstalled(Path root) {
        Path script = root.resolve("local/moto/ensure-venv.sh");
        try {
            Process install = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
            install.getOutputStream().close();
            String python = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!install.waitFor(15, TimeUnit.MINUTES) || install.exitValue() != 0 || python.isEmpty()) {
                throw new IllegalStateException("installing the local AWS emulator failed (" + script
                    + "); its messages are above");
            }
            return python;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the local AWS emulator", e);
        }
    }

    private static int awaitReady(Process process, BufferedReader out, Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            if (line.startsWith("MOTO_READY ")) {
                return Integer.parseInt(line.substring("MOTO_READY ".length()).trim());
            }
            seen.add(line);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the local AWS emulator did not start within " + START_TIMEOUT.toSeconds()
            + " s; its output: " + seen + "; see " + log);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // moto prints little on stdout; reading keeps its pipe from filling up
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** The emulator's endpoint, for {@code AWS_ENDPOINT_URL}. */
    public URI endpoint() {
        return endpoint;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Forgets every resource and message: a fresh emulator, without a restart. */
    public void reset() {
        send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The SMS and email messages the emulator recorded, as JSON ({@code {"sms":[…],"email":[…]}}). */
    public String outboxJson() {
        return send(HttpRequest.newBuilder(endpoint.resolve("/_local/outbox")).GET());
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("emulator answered " + response.statusCode() + ": "
                    + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("the local AWS emulator is unreachable at " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook is running or has run
        }
    }

    private void stopProcess() {
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // closing the lifeline is only a signal
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
