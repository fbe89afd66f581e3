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
        // invocations: 0.1 ingest + 0.01 enrich + 0.01 notify + 0.02 deliver
        assertThat(perEvent.get("lambda.request")).isCloseTo(0.14, within(1e-12));
        assertThat(perEvent.get("xray.traceRecorded")).isCloseTo(0.14, within(1e-12));
        // function time per event: 0.1 × 10 ms + 0.01 × 200 ms + 0.01 × 50 ms + 0.02 × 100 ms = 5.5 ms at 1 GB
        assertThat(perEvent.get("lambda.gbSecond.arm64")).isCloseTo(0.0055, within(1e-12));
        assertThat(DesignCost.pipeline(one, prices()).total().get("us-east-1"))
            .isGreaterThan(DesignCost.pipeline(ten, prices()).total().get("us-east-1") * 5);
        // Kinesis has no price in this file: listed as unpriced, never counted as zero silently
        assertThat(DesignCost.pipeline(ten, prices()).unpriced().get("us-east-1"))
            .containsExactly("kinesis.putPayloadUnit");
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

        assertThat(projection.unpriced().get("us-east-1")).containsExactly("kinesis.putPayloadUnit");
        assertThat(projection.unpriced().get("af-south-1")).contains("apigateway.rest.request",
            "dynamodb.writeRequestUnit");
    }

    @Test
    void documentedTable_isTheOneInDocsBenchmarks() throws Exception {
        String table = DesignCost.table(Prices.bundled(), 1, 10, 50);
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "benchmarks.md"));

        assertThat(table).contains("| naive: API → one Lambda per event → DynamoDB read + write → SNS |");
        // the figures published are the ones the model computes: change one, regenerate the other
        for (String row : table.split("\n")) {
            if (row.startsWith("| naive") || row.startsWith("| this pipeline")) {
                assertThat(docs).contains(row);
            }
        }
    }

    private static DesignCost.Pipeline pipeline(double eventsPerRequest) {
        return new DesignCost.Pipeline(eventsPerRequest, 10, 100, 200, 0.01, 50, 0.02, 100, 1, 1, 0.02, 0.08, 0,
            1024, 1.0);
    }

    private static Map<String, Double> units(DesignCost.Projection projection) {
        Map<String, Double> units = new HashMap<>();
        projection.lines().forEach(line -> units.put(line.item(), line.unitsPerEvent()));
        return units;
    }
}
