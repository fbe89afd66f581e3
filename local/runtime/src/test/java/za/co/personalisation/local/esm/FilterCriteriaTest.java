package za.co.personalisation.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Lambda's event filtering, rule by rule, as the Lambda developer guide's "Filter rule syntax" table defines it
 * (Control which events Lambda sends to your function), against records in the shapes the guide documents for
 * DynamoDB Streams, Kinesis and SQS (fixtures under src/test/resources). Each rule is checked both ways: a record
 * it must let through and one it must drop.
 */
class FilterCriteriaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode kinesis = fixture("kinesis-filter-record.json");
    private final JsonNode dynamoDb = fixture("dynamodb-filter-record.json");
    private final JsonNode sqs = fixture("sqs-filter-record.json");

    @Test
    void equals_matchesAnyListedValue_andNothingElse() {
        // "PaymentType": [ "Credit", "Debit" ] -- a list is an OR of its values
        assertThat(filter("{\"data\":{\"interest\":[\"books\",\"electronics\"]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"interest\":[\"books\"]}}").matches(kinesis)).isFalse();
        // case matters for equals
        assertThat(filter("{\"data\":{\"interest\":[\"Electronics\"]}}").matches(kinesis)).isFalse();
    }

    @Test
    void equals_onNumbersComparesValues_andBooleansAndNullAreTyped() {
        assertThat(filter("{\"data\":{\"score\":[7.50]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"score\":[\"7.5\"]}}").matches(kinesis)).as("a string is not a number")
            .isFalse();
        assertThat(filter("{\"data\":{\"replay\":[false]}}").matches(kinesis)).isTrue();
        // "UserID": [ null ] matches a null value, not a missing one
        assertThat(filter("{\"data\":{\"campaign\":[null]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"nowhere\":[null]}}").matches(kinesis)).isFalse();
    }

    @Test
    void equalsIgnoreCase_prefix_andSuffix() {
        assertThat(filter("{\"data\":{\"interest\":[{\"equals-ignore-case\":\"ELECTRONICS\"}]}}").matches(kinesis))
            .isTrue();
        assertThat(filter("{\"data\":{\"location\":[{\"prefix\":\"ZA/WC/\"}]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"location\":[{\"prefix\":\"ZA/GP/\"}]}}").matches(kinesis)).isFalse();
        assertThat(filter("{\"data\":{\"location\":[{\"suffix\":\"/cape-town\"}]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"location\":[{\"suffix\":\"/durban\"}]}}").matches(kinesis)).isFalse();
    }

    @Test
    void numeric_equalsAndRanges_onNumbersOnly() {
        // "Price": [ { "numeric": [ ">", 10, "<=", 20 ] } ]
        assertThat(filter("{\"data\":{\"score\":[{\"numeric\":[\">\",7,\"<=\",7.5]}]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"score\":[{\"numeric\":[\">\",7.5]}]}}").matches(kinesis)).isFalse();
        assertThat(filter("{\"data\":{\"score\":[{\"numeric\":[\"=\",7.5]}]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"score\":[{\"numeric\":[\">=\",0,\"<\",7.5]}]}}").matches(kinesis))
            .isFalse();
        // DynamoDB numbers are strings in the stream record ({"N": "3"}): a numeric rule never matches them
        assertThat(filter("{\"dynamodb\":{\"NewImage\":{\"version\":{\"N\":[{\"numeric\":[\">\",0]}]}}}}")
            .matches(dynamoDb)).isFalse();
        assertThat(filter("{\"dynamodb\":{\"NewImage\":{\"version\":{\"N\":[\"3\"]}}}}").matches(dynamoDb))
            .isTrue();
    }

    @Test
    void exists_trueAndFalse() {
        assertThat(filter("{\"data\":{\"eventId\":[{\"exists\":true}]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"coupon\":[{\"exists\":true}]}}").matches(kinesis)).isFalse();
        assertThat(filter("{\"data\":{\"coupon\":[{\"exists\":false}]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"data\":{\"eventId\":[{\"exists\":false}]}}").matches(kinesis)).isFalse();
        // an OldImage without a location: exists false matches a field absent at any depth
        assertThat(filter("{\"dynamodb\":{\"OldImage\":{\"interests\":[{\"exists\":false}]}}}").matches(dynamoDb))
            .isTrue();
    }

    @Test
    void anythingBut_listSingleValueAndPrefix_neverMatchesAMissingField() {
        // "Weather": [ { "anything-but": [ "Raining" ] } ]
        assertThat(filter("{\"data\":{\"interest\":[{\"anything-but\":[\"books\",\"sports\"]}]}}").matches(kinesis))
            .isTrue();
        assertThat(filter("{\"data\":{\"interest\":[{\"anything-but\":[\"electronics\"]}]}}").matches(kinesis))
            .isFalse();
        assertThat(filter("{\"data\":{\"interest\":[{\"anything-but\":\"electronics\"}]}}").matches(kinesis))
            .isFalse();
        assertThat(filter("{\"data\":{\"location\":[{\"anything-but\":{\"prefix\":\"ZA/WC\"}}]}}").matches(kinesis))
            .isFalse();
        assertThat(filter("{\"data\":{\"coupon\":[{\"anything-but\":[\"x\"]}]}}").matches(kinesis)).isFalse();
    }

    @Test
    void andWithinAPattern_orAcrossPatternsAndWithDollarOr() {
        // every field of a pattern must match
        assertThat(filter("{\"partitionKey\":[\"12345\"],\"data\":{\"interest\":[\"books\"]}}").matches(kinesis))
            .isFalse();
        // filters are ORed: one matching pattern is enough
        assertThat(FilterCriteria.parse(List.of("{\"data\":{\"interest\":[\"books\"]}}",
            "{\"partitionKey\":[\"12345\"]}")).matches(kinesis)).isTrue();
        // "$or": [ { "Location": [ "New York" ] }, { "Day": [ "Monday" ] } ]
        assertThat(filter("{\"$or\":[{\"partitionKey\":[\"99\"]},{\"data\":{\"interest\":[\"electronics\"]}}]}")
            .matches(kinesis)).isTrue();
        assertThat(filter("{\"$or\":[{\"partitionKey\":[\"99\"]},{\"data\":{\"interest\":[\"books\"]}}]}")
            .matches(kinesis)).isFalse();
    }

    @Test
    void arraysInTheRecord_matchWhenAnyElementMatches() {
        assertThat(filter("{\"data\":{\"tags\":[\"mobile\"]}}").matches(kinesis)).isTrue();
        assertThat(filter("{\"dynamodb\":{\"NewImage\":{\"tags\":{\"SS\":[{\"prefix\":\"early\"}]}}}}")
            .matches(dynamoDb)).isTrue();
    }

    @Test
    void dynamoDb_filtersOnEventNameKeysAndImages() {
        // the guide's examples: eventName, dynamodb.Keys, dynamodb.NewImage
        assertThat(filter("{\"eventName\":[\"INSERT\"]}").matches(dynamoDb)).isFalse();
        assertThat(filter("{\"eventName\":[\"MODIFY\"],\"dynamodb\":{\"Keys\":{\"customerId\":{\"S\":[\"12345\"]}}}}")
            .matches(dynamoDb)).isTrue();
        assertThat(filter("{\"dynamodb\":{\"NewImage\":{\"interests\":{\"M\":{\"electronics\":{\"M\":{\"count\":"
            + "{\"N\":[\"2\"]}}}}}}}}").matches(dynamoDb)).isTrue();
    }

    @Test
    void sqs_filtersOnTheJsonBodyAndOnMetadata() {
        assertThat(filter("{\"body\":{\"channel\":[\"sms\"],\"priority\":[{\"numeric\":[\">=\",3]}]}}").matches(sqs))
            .isTrue();
        assertThat(filter("{\"body\":{\"channel\":[\"email\"]}}").matches(sqs)).isFalse();
        assertThat(filter("{\"messageAttributes\":{\"channel\":{\"stringValue\":[\"sms\"]}}}").matches(sqs))
            .isTrue();
    }

    @Test
    void recordViews_decodeKinesisJsonData_andKeepNonJsonDataUnmatchable() {
        Record json = Record.builder().partitionKey("12345").sequenceNumber("1")
            .approximateArrivalTimestamp(Instant.parse("2026-11-25T12:00:00Z"))
            .data(SdkBytes.fromUtf8String("{\"interest\":\"electronics\"}")).build();
        Record text = json.toBuilder().data(SdkBytes.fromUtf8String("electronics, not JSON")).build();
        FilterCriteria onData = filter("{\"data\":{\"interest\":[\"electronics\"]}}");

        assertThat(onData.matches(RecordViews.kinesis(json))).isTrue();
        // the guide: data that is not valid JSON cannot match a pattern on data fields; Lambda drops the record
        assertThat(onData.matches(RecordViews.kinesis(text))).isFalse();
        assertThat(filter("{\"partitionKey\":[\"12345\"]}").matches(RecordViews.kinesis(text))).isTrue();
    }

    @Test
    void recordViews_renderDynamoDbImagesInDynamoDbJson() {
        var record = software.amazon.awssdk.services.dynamodb.model.Record.builder().eventID("1")
            .eventName(OperationType.INSERT).eventVersion("1.1")
            .dynamodb(StreamRecord.builder().sequenceNumber("100").keys(Map.of("customerId",
                AttributeValue.fromS("23456"))).newImage(Map.of("customerId", AttributeValue.fromS("23456"),
                "version", AttributeValue.fromN("1"), "vip", AttributeValue.fromBool(true))).build()).build();

        JsonNode view = RecordViews.dynamoDb(record, "arn:stream", "af-south-1");

        assertThat(filter("{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"vip\":{\"BOOL\":[true]},"
            + "\"version\":{\"N\":[\"1\"]}}}}").matches(view)).isTrue();
        assertThat(view.path("dynamodb").has("OldImage")).isFalse();
    }

    @Test
    void recordViews_sqsPlainStringBody_matchesOnlyStringRules() {
        Message plain = Message.builder().messageId("m").body("hello world").build();
        Message json = Message.builder().messageId("j").body("{\"a\":1}").build();

        assertThat(filter("{\"body\":[{\"prefix\":\"hello\"}]}").matches(RecordViews.sqs(plain, "q", "r"))).isTrue();
        // the guide's SQS table: a plain-string body against a JSON pattern is dropped, and the other way round
        assertThat(filter("{\"body\":{\"a\":[1]}}").matches(RecordViews.sqs(plain, "q", "r"))).isFalse();
        assertThat(filter("{\"body\":{\"a\":[1]}}").matches(RecordViews.sqs(json, "q", "r"))).isTrue();
        assertThat(filter("{\"body\":[\"{\\\"a\\\":1}\"]}").matches(RecordViews.sqs(json, "q", "r"))).isFalse();
    }

    @Test
    void noFilters_deliversEverything() {
        assertThat(FilterCriteria.NONE.matches(kinesis)).isTrue();
        assertThat(FilterCriteria.of(null).isEmpty()).isTrue();
    }

    @Test
    void of_readsTheTemplateShape() {
        FilterCriteria criteria = FilterCriteria.of(Map.of("Filters", List.of(
            Map.of("Pattern", "{\"eventName\":[\"MODIFY\"]}"),
            Map.of("Pattern", Map.of("eventName", List.of("INSERT"))))));

        assertThat(criteria.matches(dynamoDb)).isTrue();
        assertThat(criteria.matches(JSON.createObjectNode().put("eventName", "REMOVE"))).isFalse();
    }

    @Test
    void parse_refusesWhatLambdaRefuses_namingThePlace() {
        assertThatThrownBy(() -> filter("{\"data\":{\"x\":[{\"wildcard\":\"a*\"}]}}"))
            .hasMessageContaining("/data/x").hasMessageContaining("wildcard");
        assertThatThrownBy(() -> filter("{\"data\":{\"x\":\"a\"}}")).hasMessageContaining("must be in a list");
        assertThatThrownBy(() -> filter("{\"x\":[{\"numeric\":[\"~\",1]}]}")).hasMessageContaining("numeric");
        assertThatThrownBy(() -> filter("{\"x\":[{\"exists\":\"yes\"}]}")).hasMessageContaining("exists");
        assertThatThrownBy(() -> filter("not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> FilterCriteria.parse(java.util.Collections.nCopies(11, "{\"a\":[1]}")))
            .hasMessageContaining("at most 10");
    }

    private static FilterCriteria filter(String pattern) {
        return FilterCriteria.parse(List.of(pattern));
    }

    private static JsonNode fixture(String name) {
        try (InputStream in = FilterCriteriaTest.class.getResourceAsStream(name)) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
