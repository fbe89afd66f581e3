package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CAPE_TOWN;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.DURBAN;
import static za.co.personalisation.enrich.Events.GEORGE;
import static za.co.personalisation.enrich.Events.consent;
import static za.co.personalisation.enrich.Events.interest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * The handler under each reliability setting of its event source mapping (template.yaml; EnrichTemplateTest
 * checks the values): each test delivers the batches Lambda would deliver under that setting, as AWS documents
 * it, and checks that the profiles end up as one clean pass leaves them. The local runtime's emulation of the
 * settings themselves is tested in local/runtime (StreamBatchRunnerTest).
 */
@ExtendWith(MotoExtension.class)
class EnrichEventSourceMappingIT {

    /** template.yaml, EnrichFunction's Kinesis event: MaximumRetryAttempts. */
    private static final int MAXIMUM_RETRY_ATTEMPTS = 5;

    private final List<StreamEvent> events = List.of(
        interest("c-1", "e-1", "books", DURBAN, 60),
        interest("c-2", "e-2", "electronics", DURBAN, 55),
        consent("c-2", "k-2", Channel.SMS, Consent.State.GRANTED, 50),
        interest("c-3", "e-3", "sports", GEORGE, 45),
        interest("c-1", "e-4", "fashion", CAPE_TOWN, 40),
        interest("c-2", "e-5", "electronics", CAPE_TOWN, 35),
        interest("c-3", "e-6", "sports", CAPE_TOWN, 30),
        interest("c-1", "e-7", "books", GEORGE, 25));
    private EnrichFixture fixture;
    private EnrichFixture clean;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
        clean = new EnrichFixture(emulator);
        StreamsEventResponse response = clean.handler(CLOCK).handleRequest(batch(clean.records(events)), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void reportBatchItemFailures_lambdaResumesAtTheLowestReported_andEveryEventIsAppliedOnce() {
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(events);
        EnrichHandler throttled = fixture.handler(CLOCK, Interceptors.Throttle.profileWrites(1_000, "c-2"));

        StreamsEventResponse first = throttled.handleRequest(batch(records), null);
        int checkpoint = lowestReported(records, first);
        StreamsEventResponse second = fixture.handler(CLOCK).handleRequest(
            batch(records.subList(checkpoint, records.size())), null);

        // c-2's first record is the checkpoint: everything of c-2 is redelivered, in order, after it
        assertThat(checkpoint).isEqualTo(1);
        assertThat(second.getBatchItemFailures()).isEmpty();
        ProfileAssertions.assertSameProfiles(fixture.profiles(), clean.profiles());
        // c-1's e-4, e-7 and c-3's e-3, e-6 came again after the checkpoint: skipped, not counted twice
        assertThat(fixture.metric("Duplicates")).isEqualTo(4);
    }

    @Test
    void bisectBatchOnFunctionError_afterACrashMidBatch_theHalvesApplyEachEventOnce() {
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(events);
        // the crashed invocation had written c-1 and c-3 when it died (a timeout, an out-of-memory): its answer is
        // lost, Lambda sees a function error and, with BisectBatchOnFunctionError, retries the batch in halves
        fixture.handler(CLOCK).handleRequest(batch(records.stream()
            .filter(r -> !r.getKinesis().getPartitionKey().equals("c-2")).toList()), null);

        EnrichHandler handler = fixture.handler(CLOCK);
        StreamsEventResponse firstHalf = handler.handleRequest(batch(records.subList(0, 4)), null);
        StreamsEventResponse secondHalf = handler.handleRequest(batch(records.subList(4, 8)), null);

        assertThat(firstHalf.getBatchItemFailures()).isEmpty();
        assertThat(secondHalf.getBatchItemFailures()).isEmpty();
        ProfileAssertions.assertSameProfiles(fixture.profiles(), clean.profiles());
    }

    @Test
    void maximumRetryAttempts_everyRetryOfAStuckBatchLeavesTheAppliedEventsAlone_andTheShardMovesOn() {
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(events);
        EnrichHandler throttled = fixture.handler(CLOCK, Interceptors.Throttle.profileWrites(100_000, "c-2"));

        List<KinesisEvent.KinesisEventRecord> pending = records;
        for (int attempt = 0; attempt <= MAXIMUM_RETRY_ATTEMPTS; attempt++) {
            StreamsEventResponse response = throttled.handleRequest(batch(pending), null);
            pending = pending.subList(lowestReported(pending, response), pending.size());
        }
        // Lambda gives up on what is left and sends its batch info to the on-failure destination; the next batch
        // brings c-2's later events
        StreamsEventResponse next = fixture.handler(CLOCK).handleRequest(batch(fixture.records(List.of(
            interest("c-2", "e-8", "toys", GEORGE, 20), interest("c-1", "e-9", "books", GEORGE, 20)))), null);

        assertThat(next.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1").interests().get("books").count()).isEqualTo(3);
        assertThat(fixture.profile("c-1").interests().get("fashion").count()).isEqualTo(1);
        assertThat(fixture.profile("c-3").interests().get("sports").count()).isEqualTo(2);
        // c-2's discarded events are not in the profile (they stay in the stream for a redrive): only e-8 is
        assertThat(fixture.profile("c-2").interests()).containsOnlyKeys("toys");
        assertThat(fixture.metric("WriteFailed")).isEqualTo(1 + MAXIMUM_RETRY_ATTEMPTS);
    }

    @Test
    void maximumRecordAgeInSeconds_afterLambdaSkipsExpiredRecords_laterRecordsApplyWithoutThem() {
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(events);
        // Lambda drops records older than MaximumRecordAgeInSeconds without invoking: here the first three
        StreamsEventResponse response = fixture.handler(CLOCK).handleRequest(
            batch(records.subList(3, records.size())), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1").interests()).containsOnlyKeys("fashion", "books");
        assertThat(fixture.profile("c-2").interests().get("electronics").count()).isEqualTo(1);
        assertThat(fixture.profile("c-2").consentFor(Channel.SMS)).isEqualTo(Consent.UNKNOWN);
    }

    @Test
    void onFailureDestination_recordsThatCanNeverApplyAreNotReportedSoTheyNeverBlockTheShard() {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        records.add(fixture.record("not json".getBytes(StandardCharsets.UTF_8), "c-1", Events.NOW));
        records.addAll(fixture.records(events));
        records.add(fixture.record("{\"schema\":\"erasure-event/1\"}".getBytes(StandardCharsets.UTF_8), "c-2",
            Events.NOW));
        EnrichHandler throttled = fixture.handler(CLOCK, Interceptors.Throttle.profileWrites(1_000, "c-3"));

        StreamsEventResponse response = throttled.handleRequest(batch(records), null);

        // only what a retry can fix is reported, and only as sequence numbers of this batch (Lambda fails the
        // whole batch on an unknown or empty identifier)
        Set<String> sequenceNumbers = records.stream().map(r -> r.getKinesis().getSequenceNumber())
            .collect(Collectors.toSet());
        assertThat(response.getBatchItemFailures()).singleElement()
            .satisfies(failure -> assertThat(failure.getItemIdentifier()).isIn(sequenceNumbers)
                .isEqualTo(records.get(4).getKinesis().getSequenceNumber()));
        assertThat(fixture.failedEvents()).extracting(m -> m.path("sequenceNumber").asText())
            .containsExactlyInAnyOrder(records.get(0).getKinesis().getSequenceNumber(),
                records.get(records.size() - 1).getKinesis().getSequenceNumber());
    }

    private static int lowestReported(List<KinesisEvent.KinesisEventRecord> batch, StreamsEventResponse response) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            index.put(batch.get(i).getKinesis().getSequenceNumber(), i);
        }
        return response.getBatchItemFailures().stream().mapToInt(f -> index.get(f.getItemIdentifier())).min()
            .orElse(batch.size());
    }
}
