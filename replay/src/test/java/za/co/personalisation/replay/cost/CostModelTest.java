package za.co.personalisation.replay.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.replay.meter.CallCounts;
import za.co.personalisation.replay.meter.CallKey;

class CostModelTest {

    @Test
    void use_separatesPipelineWork_unbilledPolling_measurementAndLocalOnlyWork() {
        assertThat(CostModel.use(new CallKey("EnrichFunction", "dynamodb", "PutItem")))
            .isEqualTo(CostModel.Use.PIPELINE);
        assertThat(CostModel.use(new CallKey("EnrichFunction", "kinesis", "GetRecords")))
            .isEqualTo(CostModel.Use.UNBILLED_POLLING);
        assertThat(CostModel.use(new CallKey("NotifyFunction", "dynamodbstreams", "GetRecords")))
            .isEqualTo(CostModel.Use.UNBILLED_POLLING);
        assertThat(CostModel.use(new CallKey("DeliverFunction", "sqs", "ReceiveMessage")))
            .isEqualTo(CostModel.Use.PIPELINE);
        assertThat(CostModel.use(new CallKey("client", "kinesis", "PutRecords"))).isEqualTo(CostModel.Use.PIPELINE);
        assertThat(CostModel.use(new CallKey("client", "dynamodb", "Scan"))).isEqualTo(CostModel.Use.MEASUREMENT);
        assertThat(CostModel.use(new CallKey("local-runtime", "dynamodb", "Scan")))
            .isEqualTo(CostModel.Use.LOCAL_ONLY);
    }

    @Test
    void lines_priceWhatWasCounted_perMillionEvents() {
        CallCounts calls = new CallCounts(List.of(
            row("IngestFunction", "kinesis", "PutRecords", 1_000, 1_000),
            row("EnrichFunction", "dynamodb", "PutItem", 500, 1_500),
            row("EnrichFunction", "dynamodb", "GetItem", 500, 500),
            row("EnrichFunction", "kinesis", "GetRecords", 50, 0),
            row("client", "dynamodb", "Scan", 3, 30)));
        CostModel.Inputs inputs = new CostModel.Inputs(1_000, calls, 1_000, Map.of("IngestFunction", 1_000L,
            "EnrichFunction", 10L), 1024, 1024L * 1024 * 1024 / 1000, 10, 1, 0.05);

        Map<String, CostModel.Line> lines = byItem(CostModel.lines(inputs, Prices.bundled()));

        assertThat(lines.get("kinesis.putPayloadUnit").unitsPerEvent()).isEqualTo(1.0);
        // one PUT payload unit per event at 0.014 USD per million (prices.json, a third party quoting AWS)
        assertThat(lines.get("kinesis.putPayloadUnit").perMillionEvents().get("us-east-1")).isCloseTo(0.014,
            within(1e-12));
        assertThat(lines.get("dynamodb.writeRequestUnit").unitsPerEvent()).isEqualTo(1.5);
        assertThat(lines.get("dynamodb.writeRequestUnit").perMillionEvents().get("us-east-1")).isCloseTo(0.9375,
            within(1e-9));
        assertThat(lines.get("apigateway.rest.request").perMillionEvents().get("us-east-1")).isCloseTo(3.5,
            within(1e-9));
        assertThat(lines.get("lambda.request").unitsPerEvent()).isEqualTo(1.01);
        assertThat(lines.get("cloudwatch.logs.ingestedGb").unitsPerEvent()).isCloseTo(1e-6, within(1e-9));
        assertThat(lines.get("apigateway.rest.request").perMillionEvents().get("af-south-1")).isNull();
        // the tool's own Scan is measurement: it is not in the bill
        assertThat(lines.get("dynamodb.readRequestUnit").unitsPerEvent()).isEqualTo(0.5);
        // X-Ray: the first request each second (10) and 5 % of the other 990
        assertThat(lines.get("xray.traceRecorded").unitsPerEvent()).isCloseTo((10 + 49.5) / 1000, within(1e-9));
    }

    @Test
    void xraySampledShare_isTheTemplatesSamplingRule() throws Exception {
        String template = java.nio.file.Files.readString(java.nio.file.Path.of("..", "template.yaml"));
        java.util.regex.Matcher rate = java.util.regex.Pattern.compile("FixedRate: ([0-9.]+)").matcher(template);

        assertThat(rate.find()).as("template.yaml has a sampling rule").isTrue();
        // the load report prices traces at this share; it must follow the rule, not X-Ray's default 5 %
        assertThat(CostModel.TEMPLATE_XRAY_SAMPLED_SHARE).isEqualTo(Double.parseDouble(rate.group(1)));
    }

    @Test
    void callsPerEvent_countAttemptsByService() {
        CallCounts calls = new CallCounts(List.of(row("EnrichFunction", "dynamodb", "PutItem", 500, 500),
            row("EnrichFunction", "dynamodb", "GetItem", 500, 500)));

        assertThat(CostModel.callsPerEvent(calls, CostModel.Use.PIPELINE, 1_000)).containsEntry("dynamodb", 1.0);
    }

    @Test
    void shardHours_perMillionEvents_atASteadyRate() throws Exception {
        Prices prices = Prices.parse(new ObjectMapper().readTree("{\"regions\":[\"us-east-1\",\"af-south-1\"],"
            + "\"items\":[{\"id\":\"kinesis.shardHour\",\"source\":\"https://aws.amazon.com/x\",\"us-east-1\":0.015,"
            + "\"af-south-1\":null},{\"id\":\"kinesis.extendedRetention.shardHour\","
            + "\"source\":\"https://aws.amazon.com/x\","
            + "\"us-east-1\":0.020,\"af-south-1\":0.03}]}"), "test");

        // 1 shard × (0.015 + 0.020) USD an hour at 1,000 events/s = 3.6 million events an hour
        assertThat(CostModel.shardHoursPerMillion(prices, 1, 1_000).get("us-east-1"))
            .isCloseTo(0.035 / 3.6, within(1e-9));
        assertThat(CostModel.shardHoursPerMillion(prices, 1, 1_000).get("af-south-1")).isNull();
        // the bundled file has no shard-hour price: unknown, not zero
        assertThat(CostModel.shardHoursPerMillion(Prices.bundled(), 1, 1_000).get("us-east-1")).isNull();
    }

    private static CallCounts.Row row(String caller, String service, String operation, long calls, double units) {
        return new CallCounts.Row(new CallKey(caller, service, operation), calls, calls, 0, calls * 1_000_000L,
            calls, units);
    }

    private static Map<String, CostModel.Line> byItem(List<CostModel.Line> lines) {
        Map<String, CostModel.Line> map = new HashMap<>();
        lines.forEach(line -> map.put(line.item(), line));
        return map;
    }
}
