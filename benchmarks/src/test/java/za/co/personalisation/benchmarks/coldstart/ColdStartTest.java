package za.co.personalisation.benchmarks.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;

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
}
