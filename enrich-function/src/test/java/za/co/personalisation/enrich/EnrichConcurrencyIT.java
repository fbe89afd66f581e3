package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CAPE_TOWN;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.DURBAN;
import static za.co.personalisation.enrich.Events.erasure;
import static za.co.personalisation.enrich.Events.interest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import za.co.personalisation.aws.dynamodb.ErasureTombstones;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Two invocations racing on one customer (as with a replay running beside live traffic, or two shards' worth of
 * one customer after a reshard). Each test runs invocation A on its own thread, holds it between its read and its
 * write, lets invocation B complete in that gap, then lets A finish: the worst interleaving for a lost update, made
 * to happen every time instead of by luck.
 */
@ExtendWith(MotoExtension.class)
class EnrichConcurrencyIT {

    private EnrichFixture fixture;
    private final ConcurrentLinkedQueue<String> linesOfA = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readsOfTombstones = new AtomicInteger();

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
    }

    @Test
    void handleRequest_twoOnAnExistingProfile_loserRetries_andNoUpdateIsLost() throws Exception {
        fixture.handler(CLOCK).handleRequest(batch(fixture.records(List.of(interest("c-1", "e-0", "books", DURBAN,
            300)))), null);
        Interceptors.PauseAfter pause = new Interceptors.PauseAfter("BatchGetItem", 1);

        StreamsEventResponse[] responses = race(pause, events("a", 5, 200), events("b", 7, 100));

        assertThat(responses[0].getBatchItemFailures()).isEmpty();
        assertThat(responses[1].getBatchItemFailures()).isEmpty();
        Profile profile = fixture.profile("c-1");
        assertThat(profile.interests().get("books").count()).isEqualTo(1 + 5 + 7);
        assertThat(profile.applied().size()).isEqualTo(13);
        assertThat(profile.version()).isEqualTo(3);
        assertThat(metricOfA("ConditionalConflicts")).isEqualTo(1);
        assertThat(metricOfA("Applied")).isEqualTo(5);
    }

    @Test
    void handleRequest_twoCreatingOneProfile_loserRetriesAsAnUpdate_andNoUpdateIsLost() throws Exception {
        // A's second BatchGetItem is the tombstone read it makes for a customer without a profile
        Interceptors.PauseAfter pause = new Interceptors.PauseAfter("BatchGetItem", 2);

        race(pause, events("a", 4, 200), events("b", 6, 100));

        Profile profile = fixture.profile("c-1");
        assertThat(profile.interests().get("books").count()).isEqualTo(4 + 6);
        assertThat(profile.version()).isEqualTo(2);
        assertThat(metricOfA("ConditionalConflicts")).isEqualTo(1);
    }

    @Test
    void handleRequest_erasureBetweenAnUpdatesReadAndWrite_winsAndNothingRecreatesIt() throws Exception {
        fixture.handler(CLOCK).handleRequest(batch(fixture.records(List.of(interest("c-1", "e-0", "books", DURBAN,
            300)))), null);
        Interceptors.PauseAfter pause = new Interceptors.PauseAfter("BatchGetItem", 1);

        StreamsEventResponse[] responses = race(pause, events("a", 3, 200), List.of(erasure("c-1", "x-1", 100)));

        assertThat(responses[0].getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1")).isNull();
        assertThat(fixture.tombstone("c-1")).isNotNull();
        // A's conditional put found no item at its version, A re-read (no profile), and its create transaction's
        // tombstone check refused the write
        assertThat(metricOfA("ConditionalConflicts")).isEqualTo(1);
        assertThat(metricOfA("ErasedDropped")).isEqualTo(3);
        assertThat(metricOfA("Applied")).isZero();
    }

    @Test
    void handleRequest_erasureBetweenACreationsReadAndWrite_isSeenByTheCheckAfterTheWrite() throws Exception {
        Interceptors.PauseAfter pause = new Interceptors.PauseAfter("BatchGetItem", 2);

        race(pause, events("a", 3, 200), List.of(erasure("c-1", "x-1", 100)));

        assertThat(fixture.profile("c-1")).isNull();
        assertThat(metricOfA("ErasedDropped")).isEqualTo(3);
        assertThat(metricOfA("Applied")).isZero();
        assertThat(metricOfA("ConditionalConflicts")).isZero();
    }

    /**
     * The race the creation's second tombstone read exists for: ingest answers {@code DELETE} by writing the
     * tombstone (and deleting the contact) while enrich, having read no tombstone, is about to create the profile.
     * Nothing else in this test deletes the profile (no erasure event reaches enrich), so only the check after the
     * write can: without it, the profile of an erased customer would be created and stay.
     */
    @Test
    void handleRequest_tombstoneWrittenByIngestBetweenACreationsReadAndWrite_profileIsWithdrawn() throws Exception {
        Interceptors.PauseAfter pause = new Interceptors.PauseAfter("BatchGetItem", 2);
        ErasureTombstones tombstones = ErasureTombstones.from(fixture.settings);

        StreamsEventResponse response = race(pause, events("a", 3, 200), () -> fixture.dynamoDb.putItem(b -> b
            .tableName(fixture.erasuresTable)
            .item(tombstones.item("c-1", CLOCK.instant(), "x-1", CLOCK.instant(), Duration.ofDays(90)))));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1")).isNull();
        assertThat(metricOfA("ErasedDropped")).isEqualTo(3);
        assertThat(metricOfA("Applied")).isZero();
        assertThat(linesOfA).anyMatch(line -> line.contains("profile.creation_withdrawn"));
    }

    /** The erasure completes between the creation's write and its check: its delete removes the profile. */
    @Test
    void handleRequest_erasureBetweenACreationsWriteAndItsCheck_leavesNoProfile() throws Exception {
        Interceptors.PauseAfter pause = new Interceptors.PauseAfter("PutItem", 1);

        StreamsEventResponse[] responses = race(pause, events("a", 3, 200), List.of(erasure("c-1", "x-1", 100)));

        assertThat(responses[0].getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1")).isNull();
        assertThat(fixture.tombstone("c-1")).isNotNull();
        assertThat(metricOfA("ErasedDropped")).isEqualTo(3);
        assertThat(metricOfA("Applied")).isZero();
    }

    /**
     * The check after a creation cannot be made (DynamoDB refuses the read every time): the profile is withdrawn
     * and the records redelivered, rather than a profile left standing that nobody checked.
     */
    @Test
    void handleRequest_whenTheCheckAfterACreationFails_withdrawsTheProfile_andAsksForRedelivery() {
        Interceptors.Throttle checks = new Interceptors.Throttle(1_000, request ->
            request instanceof BatchGetItemRequest read && read.requestItems().containsKey(fixture.erasuresTable)
                && readsOfTombstones.incrementAndGet() > 1);
        EnrichHandler handler = fixture.handler(fixture.settings, CLOCK, linesOfA::add, checks);

        StreamsEventResponse response = handler.handleRequest(batch(fixture.records(events("a", 3, 200))), null);

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(fixture.profile("c-1")).isNull();
        assertThat(metricOfA("Applied")).isZero();
        assertThat(checks.thrown()).isPositive();
    }

    /** Runs A (held by {@code pause}) and B (in A's gap); returns both responses once both are done. */
    private StreamsEventResponse[] race(Interceptors.PauseAfter pause, List<StreamEvent> eventsOfA,
        List<StreamEvent> eventsOfB) throws Exception {
        EnrichHandler b = fixture.handler(CLOCK);
        KinesisEvent batchOfB = batch(fixture.records(eventsOfB));
        StreamsEventResponse[] second = new StreamsEventResponse[1];
        StreamsEventResponse first = race(pause, eventsOfA, () -> second[0] = b.handleRequest(batchOfB, null));
        return new StreamsEventResponse[] {first, second[0]};
    }

    /** Runs A (held by {@code pause}) and {@code gap} in A's gap; returns A's response once it is done. */
    private StreamsEventResponse race(Interceptors.PauseAfter pause, List<StreamEvent> eventsOfA, Runnable gap)
        throws Exception {
        EnrichHandler a = fixture.handler(fixture.settings, CLOCK, linesOfA::add, pause);
        KinesisEvent batchOfA = batch(fixture.records(eventsOfA));

        CompletableFuture<StreamsEventResponse> first = CompletableFuture.supplyAsync(
            () -> a.handleRequest(batchOfA, null));
        assertThat(pause.reached.await(60, TimeUnit.SECONDS)).as("A reached its pause").isTrue();
        gap.run();
        pause.release.countDown();
        return first.get(60, TimeUnit.SECONDS);
    }

    private static List<StreamEvent> events(String prefix, int count, long minutesAgo) {
        List<StreamEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(interest("c-1", prefix + "-" + i, "books", i % 2 == 0 ? CAPE_TOWN : DURBAN, minutesAgo - i));
        }
        return events;
    }

    private double metricOfA(String name) {
        double sum = 0;
        for (String line : linesOfA) {
            if (line.contains("\"_aws\"")) {
                sum += EnrichFixture.json(line).path(name).asDouble();
            }
        }
        return sum;
    }
}
