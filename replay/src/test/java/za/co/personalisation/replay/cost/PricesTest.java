package za.co.personalisation.replay.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PricesTest {

    @Test
    void bundledFile_pricesBothRegions_everyItemWithItsSourcePageAndEvidence_andSaysWhatIsUnchecked() {
        Prices prices = Prices.bundled();

        assertThat(prices.regions()).containsExactly("us-east-1", "af-south-1");
        assertThat(prices.items()).isNotEmpty().allSatisfy(item -> {
            assertThat(item.source()).startsWith("https://aws.amazon.com/");
            assertThat(item.prices()).containsKeys("us-east-1", "af-south-1");
            // where the figure was read, or that it was not found
            assertThat(item.evidence()).satisfiesAnyOf(evidence -> assertThat(evidence).contains("https://"),
                evidence -> assertThat(evidence).startsWith("NOT "));
            if (item.evidence().startsWith("NOT FOUND")) {
                assertThat(item.prices().values()).containsOnlyNulls();
            }
        });
        assertThat(prices.items()).extracting(Prices.Item::service).contains("Kinesis Data Streams", "Lambda",
            "DynamoDB", "SNS", "SQS", "SES", "API Gateway", "CloudWatch");
        assertThat(prices.checked()).isFalse();
        assertThat(prices.asOf()).isEqualTo("2026-12-06");
        assertThat(prices.warning()).contains("NOT ALL FROM AWS'S OWN PAGES");
        for (String id : new String[] {"apigateway.rest.request", "lambda.request", "lambda.gbSecond.arm64",
            "kinesis.putPayloadUnit", "kinesis.shardHour", "kinesis.extendedRetention.shardHour",
            "dynamodb.writeRequestUnit", "dynamodb.readRequestUnit", "dynamodb.streams.readRequestUnit", "sns.publish",
            "sns.sms.za", "sqs.request", "ses.email", "cloudwatch.logs.ingestedGb", "xray.traceRecorded"}) {
            assertThat(prices.item(id)).isNotNull();
        }
    }

    @Test
    void bundledFile_everyPriceHasADatedPageSayingIt_andOnlyAwsPagesVerify() {
        Prices prices = Prices.bundled();

        assertThat(prices.items()).allSatisfy(item -> {
            for (String region : prices.regions()) {
                if (item.prices().get(region) != null) {
                    // a price is never without the page it was read from, what that page says and its date
                    assertThat(item.sources()).as(item.id() + " in " + region)
                        .anySatisfy(page -> {
                            assertThat(page.regions()).contains(region);
                            assertThat(page.url()).startsWith("https://");
                            assertThat(page.says()).isNotBlank();
                            assertThat(page.dated()).isNotBlank();
                        });
                }
            }
        });
        // AWS's pricing pages render their figures in the browser: only two figures were read on AWS's own pages
        assertThat(prices.items()).filteredOn(item -> item.verified("us-east-1")).extracting(Prices.Item::id)
            .containsExactlyInAnyOrder("apigateway.rest.request", "xray.traceRecorded");
        assertThat(prices.items()).noneMatch(item -> item.verified("af-south-1"));
        assertThat(prices.item("kinesis.putPayloadUnit").prices()).containsEntry("us-east-1", 0.014)
            .containsEntry("af-south-1", 0.0224);
    }

    @Test
    void verifiedWithoutAPriceOrWithoutAnAwsPage_isRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> Prices.parse(json.readTree("{\"regions\":[\"us-east-1\"],\"items\":[{\"id\":\"x\","
            + "\"source\":\"https://aws.amazon.com/x\",\"us-east-1\":null,\"verified\":{\"us-east-1\":true}}]}"),
            "test")).hasMessageContaining("x is marked verified in us-east-1 but has no price there");
        assertThatThrownBy(() -> Prices.parse(json.readTree("{\"regions\":[\"us-east-1\"],\"items\":[{\"id\":\"x\","
            + "\"source\":\"https://aws.amazon.com/x\",\"us-east-1\":1,\"verified\":{\"us-east-1\":true},"
            + "\"sources\":[{\"regions\":[\"us-east-1\"],\"url\":\"https://blog.example/x\",\"aws\":false}]}]}"),
            "test")).hasMessageContaining("without an AWS page");
    }

    @Test
    void unitPrice_dividesByThePricedQuantity_andAnUnknownPriceIsNull() {
        Prices prices = Prices.bundled();

        assertThat(prices.item("sqs.request").unitPrice("us-east-1")).isEqualTo(0.40 / 1_000_000);
        assertThat(prices.item("sns.sms.za").unitPrice("us-east-1")).isNull();
    }

    @Test
    void itemsWithoutASourceOrARegion_areRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> Prices.parse(json.readTree("{\"regions\":[\"us-east-1\"],\"items\":[{\"id\":\"x\","
            + "\"us-east-1\":1}]}"), "test")).hasMessageContaining("https \"source\"");
        assertThatThrownBy(() -> Prices.parse(json.readTree("{\"regions\":[\"us-east-1\"],\"items\":[{\"id\":\"x\","
            + "\"source\":\"https://aws.amazon.com/x\"}]}"), "test")).hasMessageContaining("write null");
    }
}
