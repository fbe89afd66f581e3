package za.co.personalisation.benchmarks.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.local.template.Template;

class ColdStartTest {

    @Test
    void parse_readsTheProbesLine_amongTheJvmsOtherOutput() {
        ColdStart.Sample sample = ColdStart.parse(List.of("Picked up JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=1",
            "{\"level\":\"INFO\"}", "COLDSTART jvmMs=85 initMs=412.5 firstMs=230.1 secondMs=12.0"));

        assertThat(sample).isEqualTo(new ColdStart.Sample(85, 412.5, 230.1, 12.0));
        assertThat(sample.coldStart()).isEqualTo(642.6);
    }

    @Test
    void parse_withoutAResult_saysWhatTheProbePrintedInstead() {
        assertThatThrownBy(() -> ColdStart.parse(List.of("Exception in thread \"main\" java.lang.Boom")))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("no COLDSTART line")
            .hasMessageContaining("java.lang.Boom");
    }

    @Test
    void median_ofOddAndEvenCounts() {
        assertThat(ColdStart.median(new double[] {9, 1, 5})).isEqualTo(5);
        assertThat(ColdStart.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void row_showsTheMedianColdStartAndItsRange() {
        String row = ColdStart.row("EnrichFunction", "naive", 25_300_000, List.of(
            new ColdStart.Sample(80, 500, 300, 10), new ColdStart.Sample(90, 400, 200, 12),
            new ColdStart.Sample(70, 600, 400, 11)));

        assertThat(row).isEqualTo("| EnrichFunction | naive | 25.3 | 80 | 500 | 300 | **800** (600-1000) | 11.0 |");
    }

    @Test
    void options_defaultToThisHelpersPorts_andBadArgumentsAreNamed() {
        assertThat(ColdStart.Options.parse()).isEqualTo(new ColdStart.Options(4900, 5));
        assertThat(ColdStart.Options.parse("--runs", "3", "--moto-port", "5000"))
            .isEqualTo(new ColdStart.Options(5000, 3));
        assertThatThrownBy(() -> ColdStart.Options.parse("--runs", "0")).hasMessageContaining("--runs needs");
        assertThatThrownBy(() -> ColdStart.Options.parse("--runs")).hasMessageContaining("not 'null'");
        assertThatThrownBy(() -> ColdStart.Options.parse("--fast")).hasMessageContaining("unknown argument '--fast'");
    }

    @Test
    void probeEvents_areWhatTheFunctionsExpect() {
        KinesisEvent kinesis = (KinesisEvent) ColdStartProbe.event("kinesis");
        byte[] data = kinesis.getRecords().get(0).getKinesis().getData().array();
        assertThat(StreamEventCodec.decode(data)).isInstanceOfSatisfying(InterestEvent.class,
            event -> assertThat(event.customerId()).isEqualTo("cold-start-1"));
        assertThat(((APIGatewayProxyRequestEvent) ColdStartProbe.event("api")).getBody())
            .contains("\"customerId\":\"cold-start-1\"");
        assertThatThrownBy(() -> ColdStartProbe.event("s3")).hasMessageContaining("unknown event kind s3");
    }

    @Test
    void everyFunctionInTheTemplate_hasANaiveBuildOfItsOwnHandler() throws Exception {
        Template template = Template.load(Path.of("..", "template.yaml"));
        List<Template.Resource> functions = template.resourcesOfType("AWS::Serverless::Function");

        assertThat(functions).extracting(Template.Resource::logicalId)
            .containsExactlyInAnyOrderElementsOf(ColdStart.NAIVE.keySet());
        for (Template.Resource function : functions) {
            String handler = String.valueOf(function.properties().get("Handler")).split("::")[0];
            Class<?> built = Class.forName(ColdStart.NAIVE.get(function.logicalId())).getMethod("create",
                Settings.class).getReturnType();
            assertThat(built.getName()).as(function.logicalId()).isEqualTo(handler);
        }
    }

    @Test
    void parameters_giveEveryTemplateParameterThatHasNoDefault() {
        // a parameter added to template.yaml without a default stopped this tool at its start (HoldoutKey)
        Template template = Template.load(Path.of("..", "template.yaml"));

        assertThat(ColdStart.PARAMETERS).containsKeys(template.parameterNames().stream()
            .filter(name -> !template.parameterDefaults().containsKey(name)).toArray(String[]::new));
    }

    @Test
    void failure_namesAFailedInvocation_soThatItsTimeIsNotReportedAsAColdStart() {
        // the naive ingest's first figures were a CBOR client the emulator refused, retried for 3 s, answered 503
        assertThat(ColdStartProbe.failure(new APIGatewayProxyResponseEvent().withStatusCode(503)
            .withBody("{\"type\":\"stream_unavailable\"}"))).contains("503").contains("stream_unavailable");
        assertThat(ColdStartProbe.failure(new APIGatewayProxyResponseEvent().withStatusCode(202))).isNull();
        assertThat(ColdStartProbe.failure(new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("m1")))))
            .isEqualTo("1 message(s) reported failed");
        assertThat(ColdStartProbe.failure(new StreamsEventResponse(List.of()))).isNull();
        assertThat(ColdStartProbe.failure(new StreamsEventResponse(List.of(
            new StreamsEventResponse.BatchItemFailure("49590338271490256608559692538361571095921575989136588898")))))
            .isEqualTo("1 record(s) reported failed");
    }
}
