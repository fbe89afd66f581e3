package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.location.Location;

/**
 * The retry logic alone, with a fake KinesisClient that fails chosen records (pure logic: the happy path against
 * the emulator is in KinesisEventPublisherIT; moto never answers FailedRecordCount > 0 by itself).
 */
class KinesisEventPublisherTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    /** A clock that only moves when the publisher sleeps. */
    private static final class SleepClock extends Clock {
        private Instant now = NOW;
        private final List<Duration> sleeps = new ArrayList<>();

        void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Answers each PutRecords with the next scripted reply; records every request. */
    private static final class FakeKinesis implements KinesisClient {
        private final Deque<Function<PutRecordsRequest, PutRecordsResponse>> replies = new ArrayDeque<>();
        private final List<PutRecordsRequest> requests = new ArrayList<>();

        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            requests.add(request);
            Function<PutRecordsRequest, PutRecordsResponse> reply = replies.isEmpty() ? FakeKinesis::allWritten
                : replies.poll();
            return reply.apply(request);
        }

        static PutRecordsResponse allWritten(PutRecordsRequest request) {
            return failing(request, List.of());
        }

        /** A reply in which the records at {@code indexes} failed with a throughput error. */
        static PutRecordsResponse failing(PutRecordsRequest request, List<Integer> indexes) {
            List<PutRecordsResultEntry> entries = new ArrayList<>();
            for (int i = 0; i < request.records().size(); i++) {
                entries.add(indexes.contains(i)
                    ? PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("Rate exceeded for shard").build()
                    : PutRecordsResultEntry.builder().shardId("shardId-0").sequenceNumber(String.valueOf(i)).build());
            }
            return PutRecordsResponse.builder().failedRecordCount(indexes.size()).records(entries).build();
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }

    private final SleepClock clock = new SleepClock();
    private final FakeKinesis kinesis = new FakeKinesis();
    private final KinesisEventPublisher publisher = new KinesisEventPublisher(kinesis, "stream", clock, clock::sleep,
        new Random(7));

    private static List<InterestEvent> events(int n) {
        List<InterestEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new InterestEvent("e" + i, "c" + (i % 3), "books", new Location("ZA", "South Africa", true),
                NOW, NOW, "", false));
        }
        return events;
    }

    private static List<String> partitionKeys(PutRecordsRequest request) {
        return request.records().stream().map(r -> r.partitionKey()).toList();
    }

    @Test
    void publish_whenSomeRecordsFail_retriesOnlyThoseUntilWritten() {
        kinesis.replies.add(r -> FakeKinesis.failing(r, List.of(1, 3)));
        kinesis.replies.add(r -> FakeKinesis.failing(r, List.of(0)));

        KinesisEventPublisher.Outcome outcome = publisher.publish(events(5), Duration.ofSeconds(3));

        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.written()).extracting(StreamEvent::eventId)
            .containsExactlyInAnyOrder("e0", "e1", "e2", "e3", "e4");
        assertThat(kinesis.requests).hasSize(3);
        assertThat(kinesis.requests.get(1).records()).hasSize(2);
        assertThat(partitionKeys(kinesis.requests.get(1))).containsExactly("c1", "c0");
        assertThat(kinesis.requests.get(2).records()).hasSize(1);
        assertThat(outcome.retries()).isEqualTo(3);
    }

    @Test
    void publish_backsOffWithFullJitter_withinTheExponentialCeiling() {
        for (int i = 0; i < 6; i++) {
            kinesis.replies.add(r -> FakeKinesis.failing(r, List.of(0)));
        }

        publisher.publish(events(1), Duration.ofSeconds(30));

        assertThat(clock.sleeps).hasSize(6);
        for (int attempt = 1; attempt <= clock.sleeps.size(); attempt++) {
            long ceiling = Math.min(KinesisEventPublisher.MAX_DELAY.toMillis(),
                KinesisEventPublisher.BASE_DELAY.toMillis() << attempt);
            assertThat(clock.sleeps.get(attempt - 1).toMillis()).as("attempt %d", attempt).isBetween(0L, ceiling);
        }
        assertThat(clock.sleeps).as("jitter: not all delays equal").doesNotHaveDuplicates();
    }

    @Test
    void publish_whenTheBudgetRunsOut_reportsTheRestAsFailedNeverAsWritten() {
        for (int i = 0; i < 1000; i++) {
            kinesis.replies.add(r -> FakeKinesis.failing(r, List.of(0)));
        }

        KinesisEventPublisher.Outcome outcome = publisher.publish(events(2), Duration.ofMillis(800));

        assertThat(outcome.failed()).extracting(StreamEvent::eventId).containsExactly("e0");
        assertThat(outcome.written()).extracting(StreamEvent::eventId).containsExactly("e1");
        assertThat(outcome.errorCode()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(Duration.between(NOW, clock.instant())).isLessThanOrEqualTo(Duration.ofMillis(800));
        assertThat(kinesis.requests.size()).isGreaterThan(1);
    }

    @Test
    void publish_whenACallFailsRetryably_triesTheWholeChunkAgain() {
        kinesis.replies.add(r -> {
            throw KinesisException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalFailure").build()).build();
        });

        KinesisEventPublisher.Outcome outcome = publisher.publish(events(3), Duration.ofSeconds(3));

        assertThat(outcome.complete()).isTrue();
        assertThat(kinesis.requests).hasSize(2);
        assertThat(outcome.retries()).isEqualTo(3);
    }

    @Test
    void publish_whenTheStreamDoesNotExist_failsAtOnceWithoutRetrying() {
        kinesis.replies.add(r -> {
            throw ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build();
        });

        KinesisEventPublisher.Outcome outcome = publisher.publish(events(2), Duration.ofSeconds(3));

        assertThat(outcome.failed()).hasSize(2);
        assertThat(outcome.errorCode()).isEqualTo("ResourceNotFoundException");
        assertThat(kinesis.requests).hasSize(1);
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void publish_chunksAtFiveHundredRecords_andEachCallCarriesTheBudgetLeftAsItsTimeout() {
        publisher.publish(events(1001), Duration.ofSeconds(3));

        assertThat(kinesis.requests).extracting(r -> r.records().size()).containsExactly(500, 500, 1);
        assertThat(kinesis.requests.get(0).overrideConfiguration()).hasValueSatisfying(o ->
            assertThat(o.apiCallTimeout()).contains(Duration.ofSeconds(3)));
    }
}
