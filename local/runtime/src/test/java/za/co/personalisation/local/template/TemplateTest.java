package za.co.personalisation.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;

/** template.yaml as the local runtime reads it: short-form tags, intrinsics, and the functions' wiring. */
class TemplateTest {

    private final Template template = Template.load(ProjectRoot.find().resolve("template.yaml"));

    @Test
    void load_readsShortFormTagsAsLongForms() {
        Map<String, Object> function = template.resourcesOfType("AWS::Serverless::Function").get(0).properties();
        Map<String, Object> variables = Template.map(Template.map(function.get("Environment")).get("Variables"));

        assertThat(variables.get("EVENTS_STREAM")).isEqualTo(Map.of("Ref", "InterestEventsStream"));
        assertThat(function.get("FunctionName")).isEqualTo(Map.of("Fn::Sub", "personalisation-ingest-${Stage}"));
    }

    @Test
    void apiDefinition_readsTheStageThrottle_andEachRoutesReservedConcurrency() {
        ApiDefinition api = ApiDefinition.read(template, Map.of("Stage", "local", "FrontendOrigin",
            "http://localhost:3000"));

        assertThat(api.throttle()).isEqualTo(new ApiDefinition.Throttle(1000, 500));
        assertThat(api.routes()).filteredOn(route -> route.functionLogicalId().equals("IngestFunction"))
            .isNotEmpty().allSatisfy(route -> assertThat(route.concurrency()).isEqualTo(200));
    }

    @Test
    void resolve_evaluatesRefGetAttSubAndJoin() {
        Map<String, String> refs = Map.of("Queue", "http://q/url");
        Map<String, String> attrs = Map.of("Queue.Arn", "arn:aws:sqs:af-south-1:123456789012:q");
        Intrinsics intrinsics = new Intrinsics(Map.of("Stage", "local", "AWS::Region", "af-south-1"),
            new Intrinsics.Resources() {
                @Override
                public String ref(String logicalId) {
                    return refs.get(logicalId);
                }

                @Override
                public String attribute(String logicalId, String attribute) {
                    return attrs.get(logicalId + "." + attribute);
                }
            });

        assertThat(intrinsics.resolve(Map.of("Ref", "Stage"))).isEqualTo("local");
        assertThat(intrinsics.resolve(Map.of("Ref", "Queue"))).isEqualTo("http://q/url");
        assertThat(intrinsics.resolve(Map.of("Fn::GetAtt", List.of("Queue", "Arn"))))
            .isEqualTo("arn:aws:sqs:af-south-1:123456789012:q");
        assertThat(intrinsics.resolve(Map.of("Fn::Sub", "t-${Stage}-${AWS::Region}-${Queue.Arn}")))
            .isEqualTo("t-local-af-south-1-arn:aws:sqs:af-south-1:123456789012:q");
        assertThat(intrinsics.resolve(Map.of("Fn::Sub", List.of("${X}-${Stage}", Map.of("X", "y")))))
            .isEqualTo("y-local");
        assertThat(intrinsics.resolve(Map.of("Fn::Join", List.of(",", List.of("a", Map.of("Ref", "Stage"))))))
            .isEqualTo("a,local");
        assertThatThrownBy(() -> intrinsics.resolve(Map.of("Fn::If", List.of("c", "a", "b"))))
            .hasMessageContaining("does not evaluate Fn::If");
        assertThatThrownBy(() -> intrinsics.resolve(Map.of("Ref", "Missing")))
            .hasMessageContaining("'Missing'");
    }

    @Test
    void everyEventSourceMapping_reportsBatchItemFailures_andStreamsHaveEveryReliabilitySetting() {
        int mappings = 0;
        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            for (Object spec : Template.map(function.properties().get("Events")).values()) {
                Map<String, Object> event = Template.map(spec);
                String type = String.valueOf(event.get("Type"));
                Map<String, Object> p = Template.map(event.get("Properties"));
                if (type.equals("Api")) {
                    continue;
                }
                mappings++;
                assertThat(p.get("FunctionResponseTypes")).as(function.logicalId() + " " + type)
                    .isEqualTo(List.of("ReportBatchItemFailures"));
                if (type.equals("Kinesis") || type.equals("DynamoDB")) {
                    assertThat(p).as(function.logicalId()).containsEntry("BisectBatchOnFunctionError", true)
                        .containsKeys("MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "StartingPosition");
                    assertThat(Template.map(Template.map(p.get("DestinationConfig")).get("OnFailure")))
                        .containsEntry("Type", "SQS").containsKey("Destination");
                }
            }
        }
        assertThat(mappings).isEqualTo(5);
    }
}
