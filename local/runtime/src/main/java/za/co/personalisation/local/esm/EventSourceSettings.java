package za.co.personalisation.local.esm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * An event source mapping's settings as template.yaml declares them, with Lambda's documented defaults for what
 * is left out.
 *
 * @param maxRetries        MaximumRetryAttempts; -1 = until the record expires
 * @param maxRecordAge      MaximumRecordAgeInSeconds; {@code null} = until the record expires
 * @param onFailureArn      DestinationConfig.OnFailure.Destination, or {@code null}
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
    int parallelizationFactor) {

    /** Reads a Kinesis, DynamoDB or SQS event of a function. */
    public static EventSourceSettings of(FunctionDefinition.Event event) {
        boolean sqs = event.type().equals("SQS");
        String source = sqs ? event.string("Queue", null) : event.string("Stream", null);
        int age = event.integer("MaximumRecordAgeInSeconds", -1);
        Object responseTypes = event.properties().get("FunctionResponseTypes");
        Map<?, ?> destination = event.properties().get("DestinationConfig") instanceof Map<?, ?> config
            && config.get("OnFailure") instanceof Map<?, ?> onFailure ? onFailure : Map.of();
        Object destinationArn = destination.get("Destination");
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
            event.integer("ParallelizationFactor", 1));
    }
}
