package za.co.personalisation.local;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.OfferReportSource;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.log.LogSink;
import za.co.personalisation.local.api.ApiGateway;
import za.co.personalisation.local.api.LocalPages;
import za.co.personalisation.local.feedback.LocalFeedback;
import za.co.personalisation.local.journey.Journeys;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.esm.DynamoDbStreamEventSource;
import za.co.personalisation.local.esm.EventSource;
import za.co.personalisation.local.esm.EventSourceSettings;
import za.co.personalisation.local.esm.KinesisEventSource;
import za.co.personalisation.local.esm.LocalFunction;
import za.co.personalisation.local.esm.OnFailureDestination;
import za.co.personalisation.local.esm.SqsEventSource;
import za.co.personalisation.local.observe.AlarmDefinition;
import za.co.personalisation.local.observe.DashboardView;
import za.co.personalisation.local.observe.LocalObservability;
import za.co.personalisation.local.observe.MetricFilter;
import za.co.personalisation.local.observe.XRayRelay;
import za.co.personalisation.local.observe.XRayTracer;
import za.co.personalisation.local.outbox.Outbox;
import za.co.personalisation.local.template.ApiDefinition;
import za.co.personalisation.local.template.FunctionDefinition;
import za.co.personalisation.local.template.LocalResources;
import za.co.personalisation.local.template.Template;

/**
 * The whole pipeline on one machine: moto as the AWS, template.yaml's resources created in it, the sample catalog
 * and customers seeded, the four functions' handlers invoked in-process by an API Gateway emulation and by event
 * source mapping pollers, and an outbox of what was sent.
 *
 * <pre>java … za.co.personalisation.local.LocalRuntime [--port 3000] [--moto-port 4566] [--stage local]</pre>
 * (what {@code ./pipeline run} starts; options in {@link RunCommandLine})
 */
public final class LocalRuntime implements AutoCloseable {

    static {
        // On Lambda every execution environment is a JVM of its own, whose keep-alive cache (the JDK's default: 5
        // idle connections per host) its one invocation at a time never outgrows. Here every environment of every
        // function shares one JVM, so with more than 5 calls to the emulator at once each extra call opened a new
        // connection (and the emulator a new thread) and closed it after. One idle connection per environment, as
        // on AWS: the functions' code and HTTP settings are unchanged. Read once, when the first connection is
        // made; a value given on the command line wins.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
    }

    /**
     * How to start. {@code motoPort} 0 = any free port; {@code moto} non-null = use that emulator;
     * {@code functionsEndpoint} non-null = the AWS endpoint the functions' clients use instead of the emulator's
     * (the chaos run's fault proxy in front of it); the event source pollers and the tools still use the emulator.
     */
    public record Options(Path root, int port, int motoPort, String stage, MotoServer moto, PrintStream console,
        String functionsEndpoint) {

        public Options(Path root, int port, int motoPort, String stage, MotoServer moto, PrintStream console) {
            this(root, port, motoPort, stage, moto, console, null);
        }
    }

    private final Options options;
    private final boolean ownsMoto;
    private final MotoServer moto;
    private final List<EventSource> sources = new ArrayList<>();
    private final List<LocalFunction> functions = new ArrayList<>();
    private final LocalResources resources;
    private final ApiGateway api;
    private final Outbox outbox;
    private final ConsoleReporter console;
    private final BufferedWriter functionLog;
    private final List<String> seededCustomers;
    private final String profilesTable;
    private final String contactsTable;
    private final DynamoDbClient dynamoDb;
    private final ApiDefinition apiDefinition;
    private final LocalObservability observability;
    private final XRayRelay xray;
    private final LocalFeedback feedback;

    private LocalRuntime(Options options) throws IOException {
        this.options = options;
        Path logs = options.root().resolve(".local-aws/logs");
        this.functionLog = openFunctionLog(logs, options.console());
        this.ownsMoto = options.moto() == null;
        this.moto = ownsMoto ? MotoServer.start(options.root(), options.motoPort(), logs.resolve("moto.log"))
            : options.moto();
        Clock clock = Clock.systemUTC();
        Map<String, String> base = Map.of(
            AwsClients.ENDPOINT_URL, moto.endpoint().toString(),
            "AWS_REGION", MotoServer.REGION,
            "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
        AwsClients clients = new AwsClients(Settings.of(base));
        Template template = Template.load(options.root().resolve("template.yaml"));
        this.resources = new LocalResources(template, Map.of("Stage", options.stage(),
            "ErasureKey", MotoServer.ERASURE_KEY, "HoldoutKey", MotoServer.HOLDOUT_KEY), MotoServer.REGION,
            "personalisation-" + options.stage());
        resources.create(clients);
        this.dynamoDb = clients.dynamoDb();
        this.profilesTable = resources.ref("ProfilesTable");
        this.contactsTable = resources.ref("ContactsTable");
        int offers = Seeder.offers(dynamoDb, resources.ref("OffersTable"), clock.instant());
        this.seededCustomers = List.copyOf(Seeder.customers(dynamoDb, profilesTable, contactsTable,
            new ContactHashes(MotoServer.ERASURE_KEY), clock.instant()));
        this.outbox = new Outbox(moto, dynamoDb, resources.ref("NotificationsTable"));
        this.feedback = new LocalFeedback(outbox, clients.sns(), resources.ref("FeedbackTopic"), clock,
            LocalFeedback.RECEIPT_DELAY);
        this.observability = new LocalObservability(apiName(template), options.stage(),
            MetricFilter.all(template, resources.intrinsics()), AlarmDefinition.all(template, resources.intrinsics()),
            clients.configure(CloudWatchClient.builder()).build(), options.console(), clock);
        JsonLog.setDefaultSink(observability.tap(fileSink(functionLog, options.console())));
        this.xray = new XRayRelay(clients.configure(XRayClient.builder()).build(), options.console());
        Map<String, LocalFunction> byId = wireFunctions(template, clients, base, new XRayTracer(xray.address()),
            clock);
        this.apiDefinition = ApiDefinition.read(template, resources.intrinsics());
        this.api = new ApiGateway(options.port(), apiDefinition, byId, pages(logs, clock),
            JsonLog.forFunction("api-gateway"), clock);
        this.console = new ConsoleReporter(outbox, this::status, options.console());
        sources.forEach(EventSource::start);
        feedback.start();
        api.start();
        watchQueueDepths(template, clients.sqs());
        console.start();
        printBanner(logs, offers);
    }

    /** The file every function's log lines go to (warnings and errors also to the console). */
    private static BufferedWriter openFunctionLog(Path logs, PrintStream console) throws IOException {
        Files.createDirectories(logs);
        BufferedWriter log = Files.newBufferedWriter(logs.resolve("functions.log"), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        JsonLog.setDefaultSink(fileSink(log, console));
        return log;
    }

    /**
     * One {@link LocalFunction} per function in the template, with the environment it declares, and the event
     * source mappings that invoke it (its API events are routed by the API Gateway emulation instead).
     *
     * @return the functions by logical id
     */
    private Map<String, LocalFunction> wireFunctions(Template template, AwsClients clients, Map<String, String> base,
        XRayTracer tracer, Clock clock) {
        JsonLog log = JsonLog.forFunction("local-runtime");
        Map<String, LocalFunction> byId = new LinkedHashMap<>();
        for (FunctionDefinition definition : FunctionDefinition.all(template, resources)) {
            Map<String, String> environment = new HashMap<>(definition.environment());
            environment.putAll(base);
            if (options.functionsEndpoint() != null) {
                environment.put(AwsClients.ENDPOINT_URL, options.functionsEndpoint());
            }
            environment.put("AWS_LAMBDA_FUNCTION_NAME", definition.name());
            environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(definition.memoryMb()));
            environment.put(AwsClients.XRAY_TRACING, "true");
            Settings settings = Settings.of(environment);
            String arn = resources.attribute(definition.logicalId(), "Arn");
            if (!Handlers.knows(definition.handlerClass())) {
                throw new IllegalArgumentException("template.yaml's " + definition.logicalId() + " names handler "
                    + definition.handlerClass() + ", which the local runtime does not know");
            }
            LocalFunction function = new LocalFunction(definition, arn,
                () -> Handlers.create(definition.handlerClass(), settings), tracer);
            functions.add(function);
            byId.put(definition.logicalId(), function);
            for (FunctionDefinition.Event event : definition.events()) {
                if (!event.type().equals("Api") && !EventSourceSettings.enabled(event)) {
                    continue;
                }
                switch (event.type()) {
                    case "Api" -> {
                        // routed by the API Gateway emulation, from ApiDefinition
                    }
                    case "Kinesis" -> sources.add(new KinesisEventSource(EventSourceSettings.of(event), function,
                        clients.kinesis(), destination(clients, event), MotoServer.REGION, arn, clock, log));
                    case "DynamoDB" -> sources.add(new DynamoDbStreamEventSource(EventSourceSettings.of(event),
                        function, clients.dynamoDbStreams(), destination(clients, event), MotoServer.REGION, arn,
                        clock, log));
                    case "SQS" -> sources.add(new SqsEventSource(EventSourceSettings.of(event),
                        EventSourceSettings.pollers(event), function, clients.sqs(), MotoServer.REGION, clock, log));
                    default -> throw new IllegalArgumentException("event type " + event.type() + " of "
                        + definition.logicalId() + " is not emulated locally");
                }
            }
        }
        return byId;
    }

    /** The page and its local views: outbox, status, config, customers, suggestions, metrics, journeys. */
    private LocalPages pages(Path logs, Clock clock) throws IOException {
        Map<String, List<String>> suggested = Seeder.suggestions();
        java.util.function.Supplier<Object> suggestions = () -> suggested;
        Journeys journeys = new Journeys(logs.resolve("functions.log"), dynamoDb, resources.ref(
            "NotificationsTable"), clock);
        DashboardView dashboard = new DashboardView(DashboardView.read(options.root().resolve(
            "cloudwatch/dashboard.json")), resources.parameters(), observability.store(), observability::alarmStates,
            clock, Duration.ofMinutes(15));
        OfferReportSource offersReport = new OfferReportSource(dynamoDb, resources.ref("NotificationsTable"));
        return feedback.routes(new LocalPages(options.root().resolve("frontend")))
            .view("outbox", () -> Map.of("messages", outbox.messages()))
            .view("status", this::status)
            .view("config", this::config)
            .view("customers", this::customers)
            .view("suggestions", suggestions::get)
            .view("metrics", dashboard::render)
            .view("offers-report", () -> offersReport.report(null, null).toJson())
            .journey(journeys::of);
    }

    /** Every 10 s, each queue's depth, as CloudWatch's ApproximateNumberOfMessagesVisible for the alarms. */
    private void watchQueueDepths(Template template, SqsClient sqs) {
        List<String> queues = template.resourcesOfType("AWS::SQS::Queue").stream().map(Template.Resource::logicalId)
            .toList();
        observability.start(10, () -> queues.forEach(queue -> observability.queueDepth(
            resources.attribute(queue, "QueueName"), Long.parseLong(sqs.getQueueAttributes(b -> b
                .queueUrl(resources.ref(queue)).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))));
    }

    private void printBanner(Path logs, int offers) {
        options.console().printf("%nPersonalisation pipeline running locally%n"
                + "  API and page  http://localhost:%d/   (POST /events; API key header x-api-key: %s)%n"
                + "  outbox        http://localhost:%d/local/outbox%n"
                + "  status        http://localhost:%d/local/status   (or ./pipeline status)%n"
                + "  journey       http://localhost:%d/local/journey/{eventId}%n"
                + "  dashboard     http://localhost:%d/local/dashboard%n"
                + "  emulator      %s (moto)%n"
                + "  seeded        %d offers; customers %s%n"
                + "  function logs %s%n"
                + "  guide         docs/local-runtime.md%n"
                + "Press Ctrl-C to stop.%n%n",
            api.port(), ApiGateway.LOCAL_API_KEY, api.port(), api.port(), api.port(), api.port(), moto.endpoint(),
            offers, seededCustomers, logs.resolve("functions.log"));
    }

    public static LocalRuntime start(Options options) {
        try {
            return new LocalRuntime(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local runtime", e);
        }
    }

    private static OnFailureDestination destination(AwsClients clients, FunctionDefinition.Event event) {
        String arn = EventSourceSettings.of(event).onFailureArn();
        return arn == null ? null : new OnFailureDestination(clients.sqs(), arn);
    }

    public int port() {
        return api.port();
    }

    public MotoServer moto() {
        return moto;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** The sample customers seeded at start-up. */
    public List<String> seededCustomers() {
        return seededCustomers;
    }

    /** The physical name (Ref) of a template resource, e.g. a table name or queue URL. */
    public String ref(String logicalId) {
        return resources.ref(logicalId);
    }

    /** The local X-Ray daemon: every function segment, by trace id. */
    public XRayRelay xray() {
        return xray;
    }

    /** Local metrics and alarms (what CloudWatch does for a deployed stack). */
    public LocalObservability observability() {
        return observability;
    }

    /** The API's name, as API Gateway reports it in its metrics' ApiName dimension. */
    private String apiName(Template template) {
        return template.resourcesOfType("AWS::Serverless::Api").stream().findFirst()
            .map(api -> resources.intrinsics().string(api.properties().getOrDefault("Name", api.logicalId())))
            .orElse("local");
    }

    /** Requests, events in flight per stage, notifications sent, alarms: what the console and the page show. */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("time", Instant.now().toString());
        status.put("apiRequests", api.requests());
        status.put("apiRejectedByGateway", api.rejected());
        Map<String, Object> inFlight = new LinkedHashMap<>();
        Map<String, Object> byFunction = new LinkedHashMap<>();
        for (LocalFunction function : functions) {
            String id = function.definition().logicalId();
            long waiting = function.running();
            long filtered = 0;
            for (EventSource source : sources) {
                if (source.functionId().equals(id)) {
                    waiting += source.inFlight();
                    filtered += source.filtered();
                    if (source instanceof SqsEventSource queue) {
                        waiting += queued(queue);
                    }
                }
            }
            inFlight.put(stage(id), waiting);
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("invocations", function.invocations());
            counts.put("errors", function.errors());
            counts.put("timeouts", function.timeouts());
            counts.put("coldStarts", function.coldStarts());
            counts.put("peakConcurrency", function.peakRunning());
            counts.put("filteredOut", filtered);
            byFunction.put(id, counts);
        }
        status.put("inFlight", inFlight);
        status.put("functions", byFunction);
        List<String> mappings = new ArrayList<>();
        sources.forEach(source -> mappings.add(source.describe()));
        status.put("eventSources", mappings);
        Map<String, Long> sent = new LinkedHashMap<>();
        for (Outbox.Message message : console.messages()) {
            sent.merge(message.channel(), 1L, Long::sum);
        }
        status.put("notificationsSent", sent);
        status.put("messagesSent", console.sent());
        Map<String, String> alarms = new java.util.TreeMap<>();
        observability.alarmStates().forEach((name, state) -> alarms.put(name, state.value()));
        status.put("alarms", alarms);
        return status;
    }

    private static String stage(String functionId) {
        String stage = functionId.replace("Function", "").toLowerCase(java.util.Locale.ROOT);
        return stage.isEmpty() ? functionId : stage;
    }

    private static long queued(SqsEventSource queue) {
        try {
            return queue.queued();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** What the page needs to call the API: routes, which need a key, and the local key. */
    Map<String, Object> config() {
        List<Map<String, Object>> routes = new ArrayList<>();
        for (ApiDefinition.RouteDefinition route : apiDefinition.routes()) {
            routes.add(Map.of("method", route.method(), "path", route.path(), "apiKeyRequired",
                route.apiKeyRequired()));
        }
        return Map.of("stage", apiDefinition.stage(), "apiKeyHeader", "x-api-key", "apiKey",
            ApiGateway.LOCAL_API_KEY, "routes", routes, "customers", seededCustomers);
    }

    /** The seeded customers as the page shows them: consent per channel and masked contact details. */
    List<Map<String, Object>> customers() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String id : seededCustomers) {
            Map<String, Object> customer = new LinkedHashMap<>();
            customer.put("customerId", id);
            Map<String, AttributeValue> profile = ProfileItems.get(dynamoDb, profilesTable, id);
            Map<String, String> consent = new LinkedHashMap<>();
            if (profile != null) {
                ProfileItems.consentOf(profile).forEach((channel, value) -> consent.put(channel.wireName(),
                    value.state().wireName()));
            }
            customer.put("consent", consent);
            customer.put("exists", profile != null);
            ContactItems.Contact contact = ContactItems.get(dynamoDb, contactsTable, id);
            Map<String, String> masked = new LinkedHashMap<>();
            if (contact != null) {
                if (contact.phone() != null) {
                    masked.put("phone", Outbox.mask(contact.phone()));
                }
                if (contact.email() != null) {
                    masked.put("email", Outbox.mask(contact.email()));
                }
                masked.put("locale", contact.locale());
                masked.put("timeZone", contact.timeZone());
            }
            customer.put("contact", masked);
            list.add(customer);
        }
        return list;
    }

    private static LogSink fileSink(BufferedWriter out, PrintStream console) {
        return line -> {
            synchronized (out) {
                try {
                    out.write(line);
                    out.newLine();
                    out.flush();
                } catch (IOException e) {
                    console.println("cannot write the function log: " + e.getMessage());
                }
            }
            if (line.contains("\"level\":\"ERROR\"") || line.contains("\"level\":\"WARN\"")) {
                console.println("  ! " + line);
            }
        };
    }

    @Override
    public void close() {
        if (console != null) {
            console.close();
        }
        api.close();
        feedback.close();
        sources.forEach(EventSource::close);
        xray.close(); // uploads the segments it still holds, so before the emulator stops
        if (ownsMoto) {
            moto.close();
        }
        observability.close();
        JsonLog.setDefaultSink(LogSink.stdout());
        try {
            functionLog.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }

    /** {@code ./pipeline run}: see {@link RunCommandLine#USAGE}. Exit 2 on bad arguments, 1 if it cannot start. */
    public static void main(String[] args) {
        RunCommandLine.Parsed parsed;
        try {
            parsed = RunCommandLine.parse(List.of(args), Settings.fromEnvironment());
        } catch (IllegalArgumentException e) {
            System.err.println("pipeline run: " + e.getMessage());
            System.err.println(RunCommandLine.USAGE);
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.println(RunCommandLine.USAGE);
            return;
        }
        String busy = RunCommandLine.portInUse(parsed);
        if (busy != null) {
            System.err.println("pipeline run: " + busy);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        LocalRuntime runtime;
        try {
            runtime = start(new Options(ProjectRoot.find(), parsed.port(), parsed.motoPort(), parsed.stage(), null,
                System.out));
        } catch (RuntimeException e) {
            System.err.println("The local runtime could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping: API, pollers, emulator…");
            runtime.close();
            stopped.countDown();
        }, "local-runtime-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
