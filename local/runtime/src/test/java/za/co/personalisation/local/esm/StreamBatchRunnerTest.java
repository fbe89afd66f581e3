package za.co.personalisation.local.esm;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * The stream event source mapping's batch semantics, as AWS documents them for Kinesis and DynamoDB Streams
 * (ReportBatchItemFailures, BisectBatchOnFunctionError, MaximumRetryAttempts, MaximumRecordAgeInSeconds).
 * Records are plain sequence numbers here; the function is a lambda that records what it was given.
 */
class StreamBatchRunnerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final List<List<String>> invocations = new ArrayList<>();
    private final List<String> discarded = new ArrayList<>();

    @Test
    void process_whenTheFunctionSucceeds_invokesOnceWithTheWholeBatch() throws Exception {
        runner(settings(false, 3, true), batch -> response()).process(records("1", "2", "3"));

        assertThat(invocations).containsExactly(List.of("1", "2", "3"));
        assertThat(discarded).isEmpty();
    }

    @Test
    void process_whenRecordsFail_resumesFromTheLowestFailedSequenceNumber() throws Exception {
        List<StreamsEventResponse> answers = new ArrayList<>(List.of(response("4", "2"), response()));

        runner(settings(false, 3, true), batch -> answers.remove(0)).process(records("1", "2", "3", "4"));

        assertThat(invocations).containsExactly(List.of("1", "2", "3", "4"), List.of("2", "3", "4"));
    }

    @Test
    void process_whenAnIdentifierIsEmptyOrUnknown_retriesTheWholeBatch() throws Exception {
        List<StreamsEventResponse> answers = new ArrayList<>(List.of(response(""), response("99"), response()));

        runner(settings(false, 5, true), batch -> answers.remove(0)).process(records("1", "2"));

        assertThat(invocations).containsExactly(List.of("1", "2"), List.of("1", "2"), List.of("1", "2"));
    }

    @Test
    void process_withoutReportBatchItemFailures_ignoresTheResponse() throws Exception {
        runner(settings(false, 3, false), batch -> response("2")).process(records("1", "2"));

        assertThat(invocations).hasSize(1);
    }

    @Test
    void process_whenOneRecordAlwaysThrows_bisectsDownToItAndDiscardsOnlyIt() throws Exception {
        runner(settings(true, 1, true), batch -> {
            if (batch.contains("3")) {
                throw new IllegalStateException("poison");
            }
            return response();
        }).process(records("1", "2", "3", "4"));

        assertThat(discarded).containsExactly("RetryAttemptsExhausted:3");
        // halves [1,2] and [3,4]; [3,4] splits into [3] and [4]; [3] is tried 1 + MaximumRetryAttempts times
        assertThat(invocations).containsExactly(List.of("1", "2", "3", "4"), List.of("1", "2"), List.of("3", "4"),
            List.of("3"), List.of("3"), List.of("4"));
    }

    @Test
    void process_withoutBisect_retriesTheBatchThenDiscardsItWhole() throws Exception {
        runner(settings(false, 2, true), batch -> {
            throw new IllegalStateException("down");
        }).process(records("1", "2"));

        assertThat(invocations).hasSize(3);
        assertThat(discarded).containsExactly("RetryAttemptsExhausted:1,2");
    }

    @Test
    void process_dropsRecordsOlderThanMaximumRecordAge() throws Exception {
        EventSourceSettings settings = new EventSourceSettings("arn", 100, Duration.ZERO, "TRIM_HORIZON", false, 3,
            Duration.ofSeconds(60), null, true, 1);
        Map<String, Instant> arrivals = Map.of("old", NOW.minusSeconds(61), "new", NOW.minusSeconds(59));

        new StreamBatchRunner<>(settings, instance(batch -> response()), adapter(arrivals::get),
            Clock.fixed(NOW, ZoneOffset.UTC), duration -> { }).process(List.of("old", "new"));

        assertThat(discarded).containsExactly("RecordAgeExceeded:old");
        assertThat(invocations).containsExactly(List.of("new"));
    }

    private StreamBatchRunner<String> runner(EventSourceSettings settings,
        Function<List<String>, StreamsEventResponse> function) {
        return new StreamBatchRunner<>(settings, instance(function), adapter(id -> NOW),
            Clock.fixed(NOW, ZoneOffset.UTC), duration -> { });
    }

    private LocalFunction.Instance instance(Function<List<String>, StreamsEventResponse> function) {
        FunctionDefinition definition = new FunctionDefinition("TestFunction", "test", "x.Handler::handleRequest", "",
            128, Duration.ofSeconds(3), Map.of(), List.of());
        RequestHandler<Object, Object> handler = (event, context) -> {
            @SuppressWarnings("unchecked")
            List<String> batch = (List<String>) event;
            invocations.add(List.copyOf(batch));
            return function.apply(batch);
        };
        return new LocalFunction(definition, "arn:aws:lambda:af-south-1:123456789012:function:test", () -> handler)
            .newInstance();
    }

    private StreamBatchRunner.Adapter<String> adapter(Function<String, Instant> arrival) {
        return new StreamBatchRunner.Adapter<>() {
            @Override
            public String sequenceNumber(String record) {
                return record;
            }

            @Override
            public Instant arrival(String record) {
                return arrival.apply(record);
            }

            @Override
            public Object event(List<String> batch) {
                return batch;
            }

            @Override
            public void discard(List<String> batch, String condition, int retries, String lastError) {
                discarded.add(condition + ":" + String.join(",", batch));
            }
        };
    }

    private static EventSourceSettings settings(boolean bisect, int maxRetries, boolean reportFailures) {
        return new EventSourceSettings("arn", 100, Duration.ZERO, "TRIM_HORIZON", bisect, maxRetries, null, null,
            reportFailures, 1);
    }

    private static List<String> records(String... ids) {
        return List.of(ids);
    }

    private static StreamsEventResponse response(String... failed) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String id : Set.of(failed).stream().sorted().toList()) {
            failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }
}
