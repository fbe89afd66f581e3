package za.co.personalisation.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.regex.Pattern;
import za.co.personalisation.aws.config.Settings;

/**
 * The command line of {@code ./pipeline run} ({@link LocalRuntime#main}): its options, their defaults and
 * environment variables, and the usage text. Bad or missing arguments are an {@link IllegalArgumentException} with
 * a one-line message; main prints it with the usage and exits with status 2.
 *
 * <p>The emulator's port is fixed by default (4566, the port AWS tooling for local stacks conventionally uses) so
 * that the AWS CLI, the SDKs and {@code ./pipeline offers --local} find the running stack without hand-built
 * endpoint variables. Not moto's own default, 5000: macOS's AirPlay receiver listens there.
 */
public final class RunCommandLine {

    public static final int DEFAULT_PORT = 3000;
    public static final int DEFAULT_MOTO_PORT = 4566;
    public static final String DEFAULT_STAGE = "local";
    /** Overrides {@link #DEFAULT_PORT}; the {@code --port} option overrides both. */
    public static final String PORT_VARIABLE = "PIPELINE_PORT";
    /** Overrides {@link #DEFAULT_MOTO_PORT}; the {@code --moto-port} option overrides both. */
    public static final String MOTO_PORT_VARIABLE = "PIPELINE_MOTO_PORT";

    public static final String USAGE = String.join(System.lineSeparator(),
        "usage: ./pipeline run [--port N] [--moto-port N] [--stage NAME]",
        "  --port N        the API, the page and the /local/ views on http://localhost:N",
        "                  (default " + DEFAULT_PORT + ", or $" + PORT_VARIABLE + ")",
        "  --moto-port N   the local AWS emulator on http://127.0.0.1:N, for the AWS CLI and ./pipeline offers --local",
        "                  (default " + DEFAULT_MOTO_PORT + ", or $" + MOTO_PORT_VARIABLE + "; 0 picks a free port)",
        "  --stage NAME    the template's Stage parameter, the suffix of every resource name (default "
            + DEFAULT_STAGE + ")",
        "  -h, --help      print this and exit",
        "Runs in the foreground until Ctrl-C; send events from another terminal. Guide: docs/local.md");

    /** template.yaml's AllowedPattern for the Stage parameter (RunCommandLineTest keeps the two equal). */
    static final String STAGE_PATTERN = "[a-z][a-z0-9-]{1,15}";
    private static final Pattern STAGE = Pattern.compile(STAGE_PATTERN);

    /** What to start with; {@code help} = print the usage and exit 0. */
    public record Parsed(int port, int motoPort, String stage, boolean help) {
    }

    private RunCommandLine() {
    }

    /** Options first, then environment variables, then the defaults. */
    public static Parsed parse(List<String> args, Settings environment) {
        int port = port(environment.get(PORT_VARIABLE, Integer.toString(DEFAULT_PORT)), "$" + PORT_VARIABLE);
        int motoPort = port(environment.get(MOTO_PORT_VARIABLE, Integer.toString(DEFAULT_MOTO_PORT)),
            "$" + MOTO_PORT_VARIABLE);
        String stage = DEFAULT_STAGE;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-h", "--help" -> {
                    return new Parsed(port, motoPort, stage, true);
                }
                case "--port" -> port = port(value(args, ++i, arg), arg);
                case "--moto-port" -> motoPort = port(value(args, ++i, arg), arg);
                case "--stage" -> stage = stage(value(args, ++i, arg));
                default -> throw new IllegalArgumentException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                    : "unexpected argument '" + arg + "' (run takes options only)");
            }
        }
        if (port != 0 && port == motoPort) {
            throw new IllegalArgumentException("--port and --moto-port are both " + port + "; they need two ports");
        }
        return new Parsed(port, motoPort, stage, false);
    }

    /**
     * Why a fixed port cannot be used, or {@code null} when both are free. Checked before anything starts, so that
     * a second {@code ./pipeline run} says which port is taken instead of failing half-way.
     */
    public static String portInUse(Parsed parsed) {
        if (!free(parsed.port())) {
            return "port " + parsed.port() + " on 127.0.0.1 (the API, --port) is in use: is ./pipeline run already"
                + " running? Stop it, or pick another with --port N (or $" + PORT_VARIABLE + ")";
        }
        if (!free(parsed.motoPort())) {
            return "port " + parsed.motoPort() + " on 127.0.0.1 (the emulator, --moto-port) is in use: is"
                + " ./pipeline run already running? Stop it, or pick another with --moto-port N (or $"
                + MOTO_PORT_VARIABLE + ")";
        }
        return null;
    }

    private static boolean free(int port) {
        if (port == 0) {
            return true;
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size() || args.get(index).startsWith("-")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    private static int port(String value, String source) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new IllegalArgumentException(source + " must be a port number from 0 to 65535; got '" + value + "'");
    }

    private static String stage(String value) {
        if (!STAGE.matcher(value).matches()) {
            throw new IllegalArgumentException("--stage must match " + STAGE_PATTERN + " (template.yaml's"
                + " AllowedPattern for Stage); got '" + value + "'");
        }
        return value;
    }
}
