package za.co.personalisation.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import za.co.personalisation.aws.log.LogSink;

/**
 * What CloudWatch does for a deployed stack and moto does not: turns the functions' EMF log lines and the
 * template's metric filters into metrics, records the Lambda, API Gateway and SQS metrics the platform would
 * publish, evaluates the template's alarms and reports their state changes. Every datapoint and alarm state is
 * also written to the emulator's CloudWatch (PutMetricData, PutMetricAlarm, SetAlarmState), so SDK and CLI
 * queries against the local stack see them.
 */
public final class LocalObservability implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final MetricStore store = new MetricStore();
    private final String apiName;
    private final String stage;
    private final List<MetricFilter> filters;
    private final AlarmEvaluator evaluator;
    private final CloudWatchClient cloudWatch;
    private final PrintStream console;
    private final Clock clock;
    private final java.util.Set<String> inAlarm = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Emf.Point> outgoing = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-observability");
        thread.setDaemon(true);
        return thread;
    });

    public LocalObservability(String apiName, String stage, List<MetricFilter> filters, List<AlarmDefinition> alarms,
        CloudWatchClient cloudWatch, PrintStream console, Clock clock) {
        this.apiName = apiName;
        this.stage = stage;
        this.filters = List.copyOf(filters);
        this.evaluator = new AlarmEvaluator(alarms, store, clock.instant());
        this.cloudWatch = cloudWatch;
        this.console = console;
        this.clock = clock;
    }

    /** A sink that feeds every line to the metric pipeline before passing it on. */
    public LogSink tap(LogSink downstream) {
        return line -> {
            accept(line);
            downstream.line(line);
        };
    }

    /**
     * Processes one log line: EMF becomes metrics; a function's JSON line (its {@code function} field names the
     * function, so its log group) goes through the metric filters; the local runtime's own {@code lambda.report},
     * {@code esm.batch} and {@code api.request} lines become the AWS/Lambda (invocations, errors, duration,
     * iterator age) and AWS/ApiGateway metrics the platform would publish.
     */
    public void accept(String line) {
        List<Emf.Point> points = Emf.parse(line);
        if (!points.isEmpty()) {
            points.forEach(this::record);
            return;
        }
        JsonNode json;
        try {
            json = line.startsWith("{") ? MAPPER.readTree(line) : null;
        } catch (IOException e) {
            return;
        }
        if (json == null) {
            return;
        }
        String function = json.path("function").asText("");
        String group = "/aws/lambda/" + function;
        for (MetricFilter filter : filters) {
            if (filter.matches(group, line)) {
                record(new Emf.Point(filter.metric(), filter.value(), clock.instant()));
            }
        }
        switch (json.path("message").asText("")) {
            case "lambda.report" -> invocation(function, json.path("durationMs").asLong(),
                !"success".equals(json.path("outcome").asText()));
            case "api.request" -> apiRequest(apiName, stage, json.path("latencyMs").asLong(),
                json.path("status").asInt());
            case "esm.batch" -> iteratorAge(json.path("functionName").asText(), json.path("iteratorAgeMs").asLong());
            default -> {
            }
        }
    }

    /** AWS/Lambda metrics of one invocation. */
    public void invocation(String functionName, long durationMillis, boolean error) {
        Instant now = clock.instant();
        Map<String, String> dimensions = Map.of("FunctionName", functionName);
        record(new Emf.Point(new MetricStore.MetricId("AWS/Lambda", "Invocations", dimensions), 1, now));
        record(new Emf.Point(new MetricStore.MetricId("AWS/Lambda", "Errors", dimensions), error ? 1 : 0, now));
        record(new Emf.Point(new MetricStore.MetricId("AWS/Lambda", "Duration", dimensions), durationMillis, now));
    }

    /** AWS/Lambda IteratorAge of a stream batch: how old its newest record was when the function got it. */
    public void iteratorAge(String functionName, long ageMillis) {
        record(new Emf.Point(new MetricStore.MetricId("AWS/Lambda", "IteratorAge",
            Map.of("FunctionName", functionName)), ageMillis, clock.instant()));
    }

    /** AWS/ApiGateway metrics of one request. */
    public void apiRequest(String apiName, String stage, long latencyMillis, int status) {
        Instant now = clock.instant();
        Map<String, String> dimensions = Map.of("ApiName", apiName, "Stage", stage);
        record(new Emf.Point(new MetricStore.MetricId("AWS/ApiGateway", "Count", dimensions), 1, now));
        record(new Emf.Point(new MetricStore.MetricId("AWS/ApiGateway", "Latency", dimensions), latencyMillis, now));
        record(new Emf.Point(new MetricStore.MetricId("AWS/ApiGateway", "4XXError", dimensions),
            status >= 400 && status < 500 ? 1 : 0, now));
        record(new Emf.Point(new MetricStore.MetricId("AWS/ApiGateway", "5XXError", dimensions),
            status >= 500 ? 1 : 0, now));
    }

    /** AWS/SQS ApproximateNumberOfMessagesVisible of a queue. */
    public void queueDepth(String queueName, long visible) {
        record(new Emf.Point(new MetricStore.MetricId("AWS/SQS", "ApproximateNumberOfMessagesVisible",
            Map.of("QueueName", queueName)), visible, clock.instant()));
    }

    private void record(Emf.Point point) {
        store.record(point.id(), point.value(), point.at());
        outgoing.add(point);
    }

    public MetricStore store() {
        return store;
    }

    public Map<String, AlarmEvaluator.State> alarmStates() {
        return evaluator.states();
    }

    /** Creates the alarms in the emulator and starts evaluating every {@code seconds}. */
    public void start(long seconds, Runnable beforeEachEvaluation) {
        for (AlarmDefinition alarm : evaluator.alarms()) {
            try {
                cloudWatch.putMetricAlarm(b -> b.alarmName(alarm.name()).comparisonOperator(alarm.comparison())
                    .threshold(alarm.threshold()).evaluationPeriods(alarm.evaluationPeriods())
                    .namespace("Local").metricName(alarm.logicalId()).period((int) alarm.period().toSeconds())
                    .statistic("Sum"));
            } catch (SdkException e) {
                console.println("  ! cannot create alarm " + alarm.name() + " in the emulator: " + e.getMessage());
            }
        }
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                beforeEachEvaluation.run();
                flush();
                evaluate(clock.instant());
            } catch (RuntimeException e) {
                console.println("  ! alarm evaluation failed: " + e.getMessage());
            }
        }, seconds, seconds, TimeUnit.SECONDS);
    }

    /** Evaluates the alarms now and reports changes. */
    public Map<String, AlarmEvaluator.State> evaluate(Instant now) {
        Map<String, AlarmEvaluator.State> changed = evaluator.evaluate(now);
        changed.forEach((name, state) -> {
            boolean alarming = state.value().equals("ALARM");
            if (alarming ? inAlarm.add(name) : inAlarm.remove(name)) {
                console.printf("  ALARM %s -> %s (%s)%n", name, state.value(), state.reason());
            }
            try {
                cloudWatch.setAlarmState(b -> b.alarmName(name).stateValue(StateValue.fromValue(state.value()))
                    .stateReason(state.reason()));
            } catch (SdkException e) {
                console.println("  ! cannot set alarm state in the emulator: " + e.getMessage());
            }
        });
        return changed;
    }

    private void flush() {
        Map<String, List<MetricDatum>> byNamespace = new HashMap<>();
        Emf.Point point;
        while ((point = outgoing.poll()) != null) {
            List<Dimension> dimensions = new ArrayList<>();
            point.id().dimensions().forEach((name, value) -> dimensions.add(Dimension.builder().name(name)
                .value(value).build()));
            byNamespace.computeIfAbsent(point.id().namespace(), key -> new ArrayList<>()).add(MetricDatum.builder()
                .metricName(point.id().name()).dimensions(dimensions).value(point.value()).timestamp(point.at())
                .build());
        }
        byNamespace.forEach((namespace, data) -> {
            for (int from = 0; from < data.size(); from += 500) {
                List<MetricDatum> chunk = data.subList(from, Math.min(from + 500, data.size()));
                try {
                    cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(chunk));
                } catch (SdkException e) {
                    console.println("  ! cannot write metrics to the emulator: " + e.getMessage());
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
