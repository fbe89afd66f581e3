package za.co.personalisation.benchmarks.coldstart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.FunctionDefinition;
import za.co.personalisation.local.template.LocalResources;
import za.co.personalisation.local.template.Template;

/**
 * Cold start of each function against the local emulator: a fresh JVM per sample runs {@link ColdStartProbe} on
 * the function's own jar (template.yaml's CodeUri module, {@code target/<module>.jar}) with the environment
 * template.yaml gives it, including {@code JAVA_TOOL_OPTIONS}; beside it, for every function ({@link #NAIVE}), a
 * naive build of the same handler: SDK default clients (the Apache HTTP client on the class path, default credential
 * and region chains), no JVM options. Samples of the two builds alternate, so both
 * see the same machine load. Prints a Markdown table (docs/benchmarks.md, "Cold start").
 *
 * <p>Run from the repository root after {@code ./mvnw -q -pl benchmarks -am package -DskipTests}:
 * {@code java -cp benchmarks/target/benchmarks.jar za.co.personalisation.benchmarks.coldstart.ColdStart
 * [--moto-port 4900] [--runs 5]}
 */
public final class ColdStart {

    static final String USAGE = "usage: ColdStart [--moto-port PORT] [--runs N]   (from the repository root, after"
        + " ./mvnw -q -pl benchmarks -am package -DskipTests)";
    private static final Pattern RESULT = Pattern.compile(
        "COLDSTART jvmMs=(\\d+) initMs=([0-9.]+) firstMs=([0-9.]+) secondMs=([0-9.]+)");
    /** Each function's naive build: a class with a static {@code create(Settings)} returning its handler. */
    static final Map<String, String> NAIVE = Map.of(
        "IngestFunction", "za.co.personalisation.ingest.NaiveIngestHandler",
        "EnrichFunction", "za.co.personalisation.enrich.NaiveEnrichHandler",
        "NotifyFunction", "za.co.personalisation.notify.NaiveNotifyHandler",
        "DeliverFunction", "za.co.personalisation.deliver.NaiveDeliverHandler",
        "FeedbackFunction", "za.co.personalisation.feedback.NaiveFeedbackHandler");

    /** template.yaml's parameters as the local runtime gives them (LocalRuntime): the keys have no default. */
    static final Map<String, String> PARAMETERS = Map.of("Stage", "local", "ErasureKey", MotoServer.ERASURE_KEY,
        "HoldoutKey", MotoServer.HOLDOUT_KEY);

    /** One fresh JVM's figures, in milliseconds. */
    record Sample(long jvm, double init, double first, double second) {

        double coldStart() {
            return init + first;
        }
    }

    /** What the command line asked for. */
    record Options(int motoPort, int runs) {

        static Options parse(String... args) {
            int port = 4900;
            int runs = 5;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--moto-port" -> port = number(args[i], value, 1, 65_535);
                    case "--runs" -> runs = number(args[i], value, 1, 100);
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
                i++;
            }
            return new Options(port, runs);
        }

        private static int number(String name, String value, int min, int max) {
            try {
                int number = Integer.parseInt(String.valueOf(value));
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " needs a whole number from " + min + " to " + max + ", not '"
                + value + "'");
        }
    }

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ColdStart: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Path root = ProjectRoot.find();
        // the probe's classes and the local runtime's (its Lambda Context), beside the function's own jar
        List<Path> probe = List.of(root.resolve("benchmarks/target/classes"),
            root.resolve("local/runtime/target/classes"));
        Path naiveHttp = root.resolve("benchmarks/target/naive-http");
        Template template = Template.load(root.resolve("template.yaml"));
        Path work = Files.createDirectories(root.resolve("benchmarks/target/cold-start"));
        try (MotoServer moto = MotoServer.start(root, options.motoPort(), work.resolve("moto.log"))) {
            Map<String, String> base = Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(),
                "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
            LocalResources resources = new LocalResources(template, PARAMETERS, MotoServer.REGION,
                "personalisation-local");
            resources.create(new AwsClients(Settings.of(base)));
            List<String> rows = new ArrayList<>();
            for (FunctionDefinition function : FunctionDefinition.all(template, resources)) {
                Path jar = root.resolve(function.codeUri()).resolve("target/" + function.codeUri() + ".jar");
                if (!Files.isRegularFile(jar)) {
                    System.err.println("ColdStart: " + jar + " is missing: build it first");
                    System.err.println(USAGE);
                    System.exit(2);
                }
                Map<String, String> environment = new HashMap<>(function.environment());
                environment.putAll(base);
                environment.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
                environment.put(AwsClients.XRAY_TRACING, "false");
                String kind = eventKind(function);
                Map<String, List<Sample>> samples = new LinkedHashMap<>();
                for (int run = 0; run < options.runs(); run++) {
                    samples.computeIfAbsent("this build", k -> new ArrayList<>()).add(run(withProbe(jar, probe),
                        environment, function.handlerClass(), kind, "public"));
                    String naive = NAIVE.get(function.logicalId());
                    if (naive != null) {
                        Map<String, String> plain = new HashMap<>(environment);
                        plain.remove("JAVA_TOOL_OPTIONS");
                        List<Path> classPath = new ArrayList<>(withProbe(jar, probe));
                        classPath.addAll(jars(naiveHttp));
                        samples.computeIfAbsent("naive", k -> new ArrayList<>()).add(run(classPath, plain,
                            function.handlerClass(), kind, naive));
                    }
                }
                long jarBytes = Files.size(jar);
                samples.forEach((build, list) -> rows.add(row(function.logicalId(), build, build.equals("naive")
                    ? jarBytes + jars(naiveHttp).stream().mapToLong(ColdStart::size).sum() : jarBytes, list)));
            }
            System.out.println("| function | build | jar MB | JVM start ms | init ms | first invocation ms |"
                + " init + first ms (median of " + options.runs() + ", min-max) | second invocation ms |");
            System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
        }
    }

    static String eventKind(FunctionDefinition function) {
        for (FunctionDefinition.Event event : function.events()) {
            switch (event.type()) {
                case "Api":
                    return "api";
                case "Kinesis":
                    return "kinesis";
                case "DynamoDB":
                    return "dynamodb";
                case "SQS":
                    return "sqs";
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(function.logicalId() + " has no event source the probe knows");
    }

    static String row(String function, String build, long jarBytes, List<Sample> samples) {
        double[] cold = samples.stream().mapToDouble(Sample::coldStart).sorted().toArray();
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %.0f | %.0f | %.0f | **%.0f** (%.0f-%.0f) | %.1f |",
            function, build, jarBytes / 1e6, median(samples.stream().mapToDouble(Sample::jvm).toArray()),
            median(samples.stream().mapToDouble(Sample::init).toArray()),
            median(samples.stream().mapToDouble(Sample::first).toArray()), median(cold), cold[0],
            cold[cold.length - 1], median(samples.stream().mapToDouble(Sample::second).toArray()));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The probe's figures from its output, or an error naming what it printed instead. */
    static Sample parse(List<String> output) {
        for (String line : output) {
            Matcher matcher = RESULT.matcher(line);
            if (matcher.find()) {
                return new Sample(Long.parseLong(matcher.group(1)), Double.parseDouble(matcher.group(2)),
                    Double.parseDouble(matcher.group(3)), Double.parseDouble(matcher.group(4)));
            }
        }
        int from = Math.max(0, output.size() - 5);
        throw new IllegalStateException("the probe printed no COLDSTART line; its last lines: "
            + String.join(" | ", output.subList(from, output.size())));
    }

    private static Sample run(List<Path> classPath, Map<String, String> environment, String handler, String kind,
        String factory) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xshare:auto", "-cp", String.join(
            System.getProperty("path.separator"), classPath.stream().map(Path::toString).toList()),
            ColdStartProbe.class.getName(), handler, kind, factory).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            reader.lines().forEach(output::add);
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return parse(output);
    }

    private static List<Path> withProbe(Path jar, List<Path> probe) {
        List<Path> classPath = new ArrayList<>(List.of(jar));
        classPath.addAll(probe);
        return classPath;
    }

    private static List<Path> jars(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException(directory + " is missing: build the benchmarks module first");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the size of " + file, e);
        }
    }
}
