package za.co.personalisation.local.esm;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * An event source mapping's settings as template.yaml declares them, with Lambda's documented defaults for what
 * is left out.
 *
 * @param startingPosition          TRIM_HORIZON, LATEST or AT_TIMESTAMP (streams only)
 * @param maxRetries                MaximumRetryAttempts; -1 = until the record expires
 * @param maxRecordAge              MaximumRecordAgeInSeconds; {@code null} = until the record expires
 * @param onFailureArn              DestinationConfig.OnFailure.Destination, or {@code null}
 * @param parallelizationFactor     ParallelizationFactor: concurrent batches per shard (1 to 10)
 * @param startingPositionTimestamp StartingPositionTimestamp, for AT_TIMESTAMP; else {@code null}
 * @param filters                   FilterCriteria; {@link FilterCriteria#NONE} when there is none
 */
public record EventSourceSettings(
    String sourceArn,
    int batchSize,
    Duration batchingWindow,
    String startingPosition,
    boolean bisectOnError,
    int maxRetries,
    Duration maxRecordAge,
    String onFailureArn,
    boolean reportBatchItemFailures,
    int parallelizationFactor,
    Instant startingPositionTimestamp,
    FilterCriteria filters) {

    public EventSourceSettings {
        if (parallelizationFactor < 1 || parallelizationFactor > 10) {
            throw new IllegalArgumentException("ParallelizationFactor must be 1 to 10 (Lambda's range); got "
                + parallelizationFactor);
        }
        if ("AT_TIMESTAMP".equals(startingPosition) && startingPositionTimestamp == null) {
            throw new IllegalArgumentException("StartingPosition AT_TIMESTAMP needs StartingPositionTimestamp"
                + " (Unix time in seconds)");
        }
        filters = filters == null ? FilterCriteria.NONE : filters;
    }

    /** The settings without AT_TIMESTAMP and FilterCriteria. */
    public EventSourceSettings(String sourceArn, int batchSize, Duration batchingWindow, String startingPosition,
        boolean bisectOnError, int maxRetries, Duration maxRecordAge, String onFailureArn,
        boolean reportBatchItemFailures, int parallelizationFactor) {
        this(sourceArn, batchSize, batchingWindow, startingPosition, bisectOnError, maxRetries, maxRecordAge,
            onFailureArn, reportBatchItemFailures, parallelizationFactor, null, FilterCriteria.NONE);
    }

    /** The stream mappings' properties the local pollers honour; anything else is refused at start-up. */
    private static final Set<String> STREAM_PROPERTIES = Set.of("Stream", "StartingPosition",
        "StartingPositionTimestamp", "BatchSize", "MaximumBatchingWindowInSeconds", "ParallelizationFactor",
        "BisectBatchOnFunctionError", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "FunctionResponseTypes",
        "DestinationConfig", "FilterCriteria", "Enabled");
    /**
     * The SQS mapping's properties the local pollers honour. ScalingConfig's MaximumConcurrency (2 to 1000) is how
     * many pollers invoke at once ({@link #pollers}).
     */
    private static final Set<String> SQS_PROPERTIES = Set.of("Queue", "BatchSize", "MaximumBatchingWindowInSeconds",
        "FunctionResponseTypes", "FilterCriteria", "ScalingConfig", "Enabled");

    /** Reads a Kinesis, DynamoDB or SQS event of a function. */
    public static EventSourceSettings of(FunctionDefinition.Event event) {
        boolean sqs = event.type().equals("SQS");
        refuseWhatIsNotEmulated(event, sqs);
        String source = sqs ? event.string("Queue", null) : event.string("Stream", null);
        int age = event.integer("MaximumRecordAgeInSeconds", -1);
        Object responseTypes = event.properties().get("FunctionResponseTypes");
        Map<?, ?> destination = event.properties().get("DestinationConfig") instanceof Map<?, ?> config
            && config.get("OnFailure") instanceof Map<?, ?> onFailure ? onFailure : Map.of();
        Object destinationArn = destination.get("Destination");
        Object timestamp = event.properties().get("StartingPositionTimestamp");
        return new EventSourceSettings(
            source,
            event.integer("BatchSize", sqs ? 10 : 100),
            Duration.ofSeconds(event.integer("MaximumBatchingWindowInSeconds", 0)),
            event.string("StartingPosition", "LATEST"),
            event.flag("BisectBatchOnFunctionError"),
            event.integer("MaximumRetryAttempts", -1),
            age < 0 ? null : Duration.ofSeconds(age),
            destinationArn == null ? null : destinationArn.toString(),
            responseTypes instanceof List<?> types && types.contains("ReportBatchItemFailures"),
            event.integer("ParallelizationFactor", 1),
            timestamp == null ? null : epochSeconds(timestamp.toString()),
            FilterCriteria.of(event.properties().get("FilterCriteria")));
    }

    /**
     * How many batches an SQS mapping invokes at once: ScalingConfig's MaximumConcurrency, or 5 without it (Lambda
     * starts an SQS mapping with five concurrent batches and scales up from there; locally it stays at five).
     */
    public static int pollers(FunctionDefinition.Event event) {
        refuseWhatIsNotEmulated(event, true);
        if (event.properties().get("ScalingConfig") instanceof Map<?, ?> scaling
            && scaling.get("MaximumConcurrency") != null) {
            return Integer.parseInt(scaling.get("MaximumConcurrency").toString());
        }
        return 5;
    }

    /**
     * Whether the mapping polls: the Enabled property (default true). A disabled mapping reads nothing, as in
     * Lambda, so the local runtime starts no poller for it.
     */
    public static boolean enabled(FunctionDefinition.Event event) {
        refuseWhatIsNotEmulated(event, event.type().equals("SQS"));
        Object enabled = event.properties().get("Enabled");
        if (enabled == null || "true".equals(enabled.toString())) {
            return true;
        }
        if ("false".equals(enabled.toString())) {
            return false;
        }
        throw new IllegalArgumentException(where(event) + " sets Enabled to '" + enabled + "'; it takes true or false");
    }

    /**
     * A property the pollers do not implement would be silently ignored, and the stack would behave differently
     * from AWS without saying so; like an unknown intrinsic function, it stops the start with its name.
     */
    private static void refuseWhatIsNotEmulated(FunctionDefinition.Event event, boolean sqs) {
        Set<String> unknown = new TreeSet<>(event.properties().keySet());
        unknown.removeAll(sqs ? SQS_PROPERTIES : STREAM_PROPERTIES);
        if (event.properties().get("DestinationConfig") instanceof Map<?, ?> destination) {
            destination.keySet().stream().filter(key -> !"OnFailure".equals(key))
                .forEach(key -> unknown.add("DestinationConfig." + key));
        }
        if (event.properties().get("ScalingConfig") instanceof Map<?, ?> scaling) {
            scaling.keySet().stream().filter(key -> !"MaximumConcurrency".equals(key))
                .forEach(key -> unknown.add("ScalingConfig." + key));
            Object concurrency = scaling.get("MaximumConcurrency");
            if (concurrency != null && !(concurrency.toString().matches("\\d{1,4}")
                && Integer.parseInt(concurrency.toString()) >= 2 && Integer.parseInt(concurrency.toString()) <= 1000)) {
                throw new IllegalArgumentException(where(event) + " sets ScalingConfig.MaximumConcurrency to "
                    + concurrency + "; Lambda takes 2 to 1000");
            }
        }
        if (event.properties().get("FunctionResponseTypes") instanceof List<?> types) {
            types.stream().filter(type -> !"ReportBatchItemFailures".equals(type))
                .forEach(type -> unknown.add("FunctionResponseTypes " + type));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where(event) + " sets " + String.join(", ", unknown) + ", which the"
                + " local runtime does not emulate; remove it from template.yaml or implement it in"
                + " local/runtime (esm/EventSourceSettings and the poller), see docs/local-runtime.md");
        }
    }

    private static String where(FunctionDefinition.Event event) {
        return "template.yaml's " + event.type() + " event " + event.name();
    }

    /** A copy with another starting position (tests and tools start mappings at a chosen point). */
    public EventSourceSettings startingAt(String position, Instant timestamp) {
        return new EventSourceSettings(sourceArn, batchSize, batchingWindow, position, bisectOnError, maxRetries,
            maxRecordAge, onFailureArn, reportBatchItemFailures, parallelizationFactor, timestamp, filters);
    }

    private static Instant epochSeconds(String seconds) {
        BigDecimal value = new BigDecimal(seconds);
        long whole = value.longValue();
        long nanos = value.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }
}
