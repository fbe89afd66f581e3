package za.co.personalisation.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.FunctionDefinition;
import za.co.personalisation.local.template.Template;

/** Event source mapping properties the local pollers do not implement stop the start, by name. */
class EventSourceSettingsTest {

    private static final Map<String, Object> KINESIS = Map.of("Stream", "arn:aws:kinesis:af-south-1:1:stream/s",
        "StartingPosition", "TRIM_HORIZON", "BatchSize", 100);
    private static final Map<String, Object> SQS = Map.of("Queue", "arn:aws:sqs:af-south-1:1:q", "BatchSize", 10);

    @Test
    void of_streamPropertyNotEmulated_isRefusedByName() {
        for (String type : List.of("Kinesis", "DynamoDB")) {
            assertThatThrownBy(() -> EventSourceSettings.of(event(type, KINESIS, "TumblingWindowInSeconds", 60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("template.yaml's " + type + " event Events sets TumblingWindowInSeconds,"
                    + " which the local runtime does not emulate");
        }
        assertThatThrownBy(() -> EventSourceSettings.of(event("Kinesis", KINESIS, "MetricsConfig",
            Map.of("Metrics", List.of("EventCount"))))).hasMessageContaining("sets MetricsConfig,");
        assertThatThrownBy(() -> EventSourceSettings.of(event("Kinesis", KINESIS, "DestinationConfig",
            Map.of("OnSuccess", Map.of("Destination", "arn"))))).hasMessageContaining("DestinationConfig.OnSuccess");
        assertThatThrownBy(() -> EventSourceSettings.of(event("Kinesis", KINESIS, "FunctionResponseTypes",
            List.of("ReportBatchItemFailures", "Other")))).hasMessageContaining("FunctionResponseTypes Other");
    }

    @Test
    void of_sqsStreamOnlyProperty_isRefused() {
        assertThatThrownBy(() -> EventSourceSettings.of(event("SQS", SQS, "ParallelizationFactor", 2)))
            .hasMessageContaining("sets ParallelizationFactor,");
    }

    @Test
    void pollers_isMaximumConcurrency_orFiveWithoutIt() {
        assertThat(EventSourceSettings.pollers(event("SQS", SQS, "ScalingConfig", Map.of("MaximumConcurrency", 7))))
            .isEqualTo(7);
        assertThat(EventSourceSettings.pollers(event("SQS", SQS, "BatchSize", 10))).isEqualTo(5);
    }

    @Test
    void of_scalingConfig_acceptsLambdasRangeOfMaximumConcurrency_only() {
        assertThat(EventSourceSettings.of(event("SQS", SQS, "ScalingConfig", Map.of("MaximumConcurrency", 5)))
            .batchSize()).isEqualTo(10);
        for (Object bad : List.of(1, 1001, "many")) {
            assertThatThrownBy(() -> EventSourceSettings.of(event("SQS", SQS, "ScalingConfig",
                Map.of("MaximumConcurrency", bad)))).hasMessageContaining("Lambda takes 2 to 1000");
        }
        assertThatThrownBy(() -> EventSourceSettings.of(event("SQS", SQS, "ScalingConfig",
            Map.of("MinimumConcurrency", 2)))).hasMessageContaining("ScalingConfig.MinimumConcurrency");
    }

    @Test
    void enabled_defaultsToTrue_honoursFalse_andRefusesOtherValues() {
        assertThat(EventSourceSettings.enabled(event("SQS", SQS, null, null))).isTrue();
        assertThat(EventSourceSettings.enabled(event("SQS", SQS, "Enabled", true))).isTrue();
        assertThat(EventSourceSettings.enabled(event("Kinesis", KINESIS, "Enabled", false))).isFalse();
        assertThatThrownBy(() -> EventSourceSettings.enabled(event("SQS", SQS, "Enabled", "yes")))
            .hasMessageContaining("takes true or false");
        assertThatThrownBy(() -> EventSourceSettings.enabled(event("Kinesis", KINESIS, "TumblingWindowInSeconds",
            60))).as("a disabled or enabled mapping is checked all the same")
            .hasMessageContaining("TumblingWindowInSeconds");
    }

    @Test
    void everyMappingInTheTemplate_isEmulated() {
        Template template = Template.load(ProjectRoot.find().resolve("template.yaml"));
        int mappings = 0;
        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            for (Object spec : map(function.properties().get("Events")).values()) {
                Map<String, Object> event = map(spec);
                String type = String.valueOf(event.get("Type"));
                if (List.of("Kinesis", "DynamoDB", "SQS").contains(type)) {
                    mappings++;
                    FunctionDefinition.Event parsed = new FunctionDefinition.Event(function.logicalId(), type,
                        map(event.get("Properties")));
                    assertThat(EventSourceSettings.enabled(parsed)).as(function.logicalId()).isTrue();
                }
            }
        }
        assertThat(mappings).isEqualTo(5);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static FunctionDefinition.Event event(String type, Map<String, Object> base, String property,
        Object value) {
        Map<String, Object> properties = new HashMap<>(base);
        if (property != null) {
            properties.put(property, value);
        }
        return new FunctionDefinition.Event("Events", type, properties);
    }
}
