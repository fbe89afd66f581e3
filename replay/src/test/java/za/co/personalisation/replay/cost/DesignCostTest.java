package za.co.personalisation.replay.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesignCostTest {

    /** Round prices, so that every expected figure below can be checked by hand. */
    private static Prices prices() throws Exception {
        StringBuilder items = new StringBuilder();
        String[][] priced = {
            {"apigateway.rest.request", "1000000", "4", "null"},
            {"lambda.request", "1000000", "1", "1"},
            {"lambda.gbSecond.arm64", "1", "0.00001", "null"},
            {"kinesis.putPayloadUnit", "1000000", "null", "null"},
            {"kinesis.shardHour", "1", "0.01", "null"},
            {"kinesis.extendedRetention.shardHour", "1", "0.02", "null"},
            {"dynamodb.readRequestUnit", "1000000", "0.1", "null"},
            {"dynamodb.writeRequestUnit", "1000000", "0.5", "null"},
            {"sns.publish", "1000000", "0.5", "null"},
            {"sqs.request", "1000000", "0.4", "null"},
            {"xray.traceRecorded", "1000000", "5", "null"},
            {"cloudwatch.logs.ingestedGb", "1", "0.5", "null"}};
        for (String[] item : priced) {
            items.append(items.length() == 0 ? "" : ",").append("{\"id\":\"").append(item[0])
                .append("\",\"source\":\"https://aws.amazon.com/x\",\"per\":").append(item[1])
                .append(",\"us-east-1\":").append(item[2]).append(",\"af-south-1\":").append(item[3]).append('}');
        }
        return Prices.parse(new ObjectMapper().readTree("{\"regions\":[\"us-east-1\",\"af-south-1\"],\"items\":["
            + items + "]}"), "test");
    }

    @Test
    void naive_billsARequestAnInvocationAReadAWriteAPublishAndATracePerEvent() throws Exception {
        DesignCost.Projection naive = DesignCost.naive(new DesignCost.Naive(1024, 20, 1, 1, 0, 1.0), prices());

        // 4 API + 1 Lambda request + 0.02 s × 1 GB × 0.00001 × 1e6 = 0.2 + 0.1 read + 0.5 write + 0.5 SNS + 5 X-Ray
        assertThat(naive.total().get("us-east-1")).isCloseTo(4 + 1 + 0.2 + 0.1 + 0.5 + 0.5 + 5, within(1e-9));
        assertThat(naive.completeTotal("us-east-1")).isNotNull();
        assertThat(naive.completeTotal("af-south-1")).isNull();
        assertThat(naive.unpriced().get("af-south-1")).contains("apigateway.rest.request", "xray.traceRecorded")
            .doesNotContain("lambda.request");
    }

    @Test
    void pipeline_dividesTheApiAndTracesByTheEventsPerRequest_andEnrichByItsBatch() throws Exception {
        DesignCost.Pipeline one = pipeline(1);
        DesignCost.Pipeline ten = pipeline(10);

        Map<String, Double> perEvent = units(DesignCost.pipeline(ten, prices()));
        assertThat(perEvent.get("apigateway.rest.request")).isCloseTo(0.1, within(1e-12));
        // invocations: 0.1 ingest + 0.01 enrich + 0.01 notify + 0.02 deliver + 0.01 feedback
        assertThat(perEvent.get("lambda.request")).isCloseTo(0.15, within(1e-12));
        assertThat(perEvent.get("xray.traceRecorded")).isCloseTo(0.15, within(1e-12));
        // function time per event: 0.1 × 10 ms + 0.01 × 200 ms + 0.01 × 50 ms + 0.02 × 100 ms + 0.01 × 30 ms
        // = 5.8 ms at 1 GB
        assertThat(perEvent.get("lambda.gbSecond.arm64")).isCloseTo(0.0058, within(1e-12));
        assertThat(DesignCost.pipeline(one, prices()).total().get("us-east-1"))
            .isGreaterThan(DesignCost.pipeline(ten, prices()).total().get("us-east-1") * 5);
        // Kinesis PUT units have no price in this file: listed as unpriced, never counted as zero silently
        assertThat(DesignCost.pipeline(ten, prices()).unpriced().get("us-east-1"))
            .containsExactly("kinesis.putPayloadUnit");
        // one shard-hour per 3,600,000 events (see pipeline()): billed as a shard-hour and again as retention
        assertThat(perEvent.get("kinesis.shardHour")).isCloseTo(1 / 3_600_000.0, within(1e-15));
        assertThat(line(DesignCost.pipeline(ten, prices()), "kinesis.extendedRetention.shardHour")
            .perMillionEvents().get("us-east-1")).isCloseTo(0.02 / 3.6, within(1e-9));
        assertThat(DesignCost.pipeline(ten, prices()).completeTotal("us-east-1")).isNull();
    }

    @Test
    void pipeline_refusesFewerThanOneEventPerRequest() {
        assertThatThrownBy(() -> pipeline(0.5)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least 1");
    }

    @Test
    void bundledPrices_namesTheItemsThatHaveNoPrice() {
        DesignCost.Projection projection = DesignCost.pipeline(pipeline(1), Prices.bundled());

        assertThat(projection.unpriced().get("us-east-1")).containsExactly("kinesis.extendedRetention.shardHour");
        assertThat(projection.unpriced().get("af-south-1")).contains("apigateway.rest.request",
            "dynamodb.writeRequestUnit", "kinesis.shardHour").doesNotContain("kinesis.putPayloadUnit");
    }

    @Test
    void documentedPipeline_spreadsTheTemplatesShardOverTheSoakRate() {
        DesignCost.Pipeline documented = DesignCost.documentedPipeline(10);

        // one shard at 60 events/s: 216,000 events a shard-hour
        assertThat(documented.shardHoursPerEvent()).isCloseTo(1 / 216_000.0, within(1e-15));
        assertThatThrownBy(() -> new DesignCost.Pipeline(1, 10, 100, 200, 0.01, 50, 0.02, 100, 0.01, 30, 1, 1, 0.02,
            0.08, 0, 1024, 1.0, -1)).hasMessageContaining("cannot be negative");
    }

    @Test
    void table_givesARatioOnlyForCompleteTotals_andALowerBoundWhileALineIsUnpriced() throws Exception {
        String table = DesignCost.table(prices(), 10);
        String naiveRow = row(table, "| naive");
        String pipelineRow = row(table, "| this pipeline, 10 events a request");

        // naive in us-east-1: every line priced (4 + 1 + 0.2 + 0.1 + 0.5 + 0.5 + 5, + 0.21 for 450 bytes of logs at
        // 0.5 per GB); in af-south-1 only the Lambda request (1)
        assertThat(naiveRow).startsWith("| naive: API → one Lambda per event → DynamoDB read + write → SNS | 11.51 |"
            + " 1.00 | at least 1.00 (no price for apigateway.rest.request,");
        // the naive design is incomplete in af-south-1, so no ratio there
        assertThat(naiveRow).contains("| — |");
        // the pipeline has no Kinesis PUT price in the test file: a lower bound, and a lower-bound ratio
        assertThat(pipelineRow).contains("at least ").contains("(no price for kinesis.putPayloadUnit)");
        assertThat(pipelineRow.split("\\|")[3].trim()).startsWith("at least 0.");
        assertThat(table).contains("| apigateway.rest.request | not found |");
    }

    @Test
    void documentedTable_isTheOneInDocsBenchmarks() throws Exception {
        String table = DesignCost.table(Prices.bundled(), 1, 10, 50);
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "benchmarks.md"));

        assertThat(table).contains("| naive: API → one Lambda per event → DynamoDB read + write → SNS |");
        // the figures published are the ones the model computes, every table whole: change one, regenerate the other
        assertThat(docs).contains(table);
    }

    private static DesignCost.Pipeline pipeline(double eventsPerRequest) {
        return new DesignCost.Pipeline(eventsPerRequest, 10, 100, 200, 0.01, 50, 0.02, 100, 0.01, 30, 1, 1, 0.02,
            0.08, 0, 1024, 1.0, 1 / 3_600_000.0);
    }

    private static CostModel.Line line(DesignCost.Projection projection, String item) {
        return projection.lines().stream().filter(line -> line.item().equals(item)).findFirst().orElseThrow();
    }

    private static String row(String table, String prefix) {
        return java.util.Arrays.stream(table.split("\n")).filter(line -> line.startsWith(prefix)).findFirst()
            .orElseThrow();
    }

    private static Map<String, Double> units(DesignCost.Projection projection) {
        Map<String, Double> units = new HashMap<>();
        projection.lines().forEach(line -> units.put(line.item(), line.unitsPerEvent()));
        return units;
    }
}
