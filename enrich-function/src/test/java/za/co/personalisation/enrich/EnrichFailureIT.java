package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CAPE_TOWN;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.DURBAN;
import static za.co.personalisation.enrich.Events.interest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Transient and lasting failures against the emulator. Throttling is simulated by an SDK interceptor that fails
 * chosen profile writes with DynamoDB's ProvisionedThroughputExceededException before they are sent (moto does
 * not throttle); everything else about the calls is real.
 */
@ExtendWith(MotoExtension.class)
class EnrichFailureIT {

    private EnrichFixture fixture;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator, Map.of("DYNAMODB_MAX_ATTEMPTS", "4"));
    }

    @Test
    void handleRequest_whenWritesAreThrottledBriefly_retriesWithBackoffAndAppliesEverything() {
        Interceptors.Throttle throttle = Interceptors.Throttle.profileWrites(3, "c-1");
        EnrichHandler handler = fixture.handler(CLOCK, throttle);

        StreamsEventResponse response = handler.handleRequest(batch(fixture.records(List.of(
            interest("c-1", "e-1", "books", DURBAN, 10), interest("c-2", "e-2", "books", DURBAN, 10)))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(throttle.thrown()).isEqualTo(3);
        assertThat(fixture.profile("c-1").interests()).containsOnlyKeys("books");
        assertThat(fixture.metric("WriteRetries")).isEqualTo(3);
        assertThat(fixture.metric("Writes")).isEqualTo(2);
        assertThat(fixture.logs("dynamodb.retry")).hasSize(3)
            .allSatisfy(line -> assertThat(line.path("errorType").asText())
                .endsWith("ProvisionedThroughputExceededException"));
    }

    @Test
    void handleRequest_whenOneCustomersWritesStayThrottled_reportsItsFirstRecordAndAppliesTheOthers() {
        List<StreamEvent> events = List.of(
            interest("c-1", "e-1", "books", DURBAN, 50),
            interest("c-2", "e-2", "books", DURBAN, 40),
            interest("c-1", "e-3", "books", CAPE_TOWN, 30),
            interest("c-3", "e-4", "books", DURBAN, 20),
            interest("c-2", "e-5", "books", CAPE_TOWN, 10));
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(events);
        EnrichHandler handler = fixture.handler(CLOCK, Interceptors.Throttle.profileWrites(1_000, "c-2"));

        StreamsEventResponse response = handler.handleRequest(batch(records), null);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
            .containsExactly(records.get(1).getKinesis().getSequenceNumber());
        assertThat(fixture.profile("c-2")).isNull();
        assertThat(fixture.profile("c-1").interests().get("books").count()).isEqualTo(2);
        assertThat(fixture.profile("c-3")).isNotNull();
        // DYNAMODB_MAX_ATTEMPTS = 4: three retries, then the customer is given back to Lambda
        assertThat(fixture.metric("WriteRetries")).isEqualTo(3);
        assertThat(fixture.metric("WriteFailed")).isEqualTo(1);
        assertThat(fixture.logs("profile.write_failed")).singleElement()
            .satisfies(line -> assertThat(line.path("customerId").asText()).isEqualTo("c-2"));
    }

    @Test
    void handleRequest_whenTheFailedEventsQueueIsUnreachable_reportsTheInvalidRecordInsteadOfLosingIt() {
        Settings broken = fixture.settings.with(Map.of("FAILED_EVENTS_QUEUE_URL",
            fixture.failedEventsQueueUrl + "-missing"));
        EnrichHandler handler = fixture.handler(broken, CLOCK);
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>(fixture.records(List.of(
            interest("c-1", "e-1", "books", DURBAN, 10))));
        records.add(fixture.record("garbage".getBytes(StandardCharsets.UTF_8), "c-9", Events.NOW));

        StreamsEventResponse response = handler.handleRequest(batch(records), null);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
            .containsExactly(records.get(1).getKinesis().getSequenceNumber());
        assertThat(fixture.profile("c-1")).isNotNull();
        assertThat(fixture.metric("DeadLetterFailed")).isEqualTo(1);
    }

    @Test
    void handleRequest_whenTheInvocationIsOutOfTime_reportsEveryCustomerNotReachedAndWritesNothing() {
        EnrichHandler handler = fixture.handler(CLOCK);
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(List.of(
            interest("c-1", "e-1", "books", DURBAN, 30),
            interest("c-2", "e-2", "books", DURBAN, 20),
            interest("c-1", "e-3", "books", DURBAN, 10)));

        // less time left than the margin the handler keeps to answer before Lambda's timeout
        StreamsEventResponse response = handler.handleRequest(batch(records), new TestContext(2_000));

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
            .containsExactlyInAnyOrder(records.get(0).getKinesis().getSequenceNumber(),
                records.get(1).getKinesis().getSequenceNumber());
        assertThat(fixture.profiles()).isEmpty();
    }

    @Test
    void handleRequest_whenAStoredProfileIsUnreadable_parksThatCustomersEventsAndAppliesTheOthers() {
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.profilesTable).item(Map.of(
            "customerId", AttributeValue.fromS("c-1"),
            "version", AttributeValue.fromN("1"),
            "interests", AttributeValue.fromM(Map.of("books", AttributeValue.fromM(Map.of(
                "score", AttributeValue.fromS("not a number"))))))));
        EnrichHandler handler = fixture.handler(CLOCK);
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(List.of(
            interest("c-2", "e-2", "books", DURBAN, 20),
            interest("c-1", "e-1", "books", DURBAN, 10)));

        StreamsEventResponse response = handler.handleRequest(batch(records), null);

        // no retry can read the item: the events are kept on the failed-events queue for a redrive, and the shard
        // does not wait behind them (issue 12, item 2)
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixture.failedEvents()).extracting(body -> body.path("sequenceNumber").asText())
            .containsExactly(records.get(1).getKinesis().getSequenceNumber());
        assertThat(fixture.profile("c-2")).isNotNull();
        assertThat(fixture.logs("profile.unreadable")).hasSize(1);
    }
}
