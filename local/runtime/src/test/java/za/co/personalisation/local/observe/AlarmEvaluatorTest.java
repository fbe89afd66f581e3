package za.co.personalisation.local.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alarm evaluation as CloudWatch documents it: whole periods ending at the last period boundary, M of N
 * datapoints to alarm, TreatMissingData, and metric math over several metrics.
 */
class AlarmEvaluatorTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final MetricStore.MetricId ERRORS = new MetricStore.MetricId("AWS/Lambda", "Errors",
        Map.of("FunctionName", "f"));
    private static final MetricStore.MetricId INVOCATIONS = new MetricStore.MetricId("AWS/Lambda", "Invocations",
        Map.of("FunctionName", "f"));

    private final MetricStore store = new MetricStore();

    @Test
    void errorRate_aboveOnePercentInEveryPeriod_raisesTheAlarm_andRecoveryClearsIt() {
        AlarmDefinition rate = errorRate(3, 3);
        AlarmEvaluator evaluator = new AlarmEvaluator(List.of(rate), store, T0);
        for (int minute = 0; minute < 3; minute++) {
            record(minute, 100, 2);
        }

        assertThat(evaluator.evaluate(T0.plusSeconds(180)).get("error-rate").value()).isEqualTo("ALARM");

        for (int minute = 3; minute < 6; minute++) {
            record(minute, 100, 0);
        }
        assertThat(evaluator.evaluate(T0.plusSeconds(360)).get("error-rate").value()).isEqualTo("OK");
    }

    @Test
    void errorRate_ofExactlyOnePercent_doesNotBreach_andTwoOfThreeBreachingIsEnoughWhenDatapointsToAlarmIsTwo() {
        AlarmEvaluator strict = new AlarmEvaluator(List.of(errorRate(3, 3)), store, T0);
        AlarmEvaluator twoOfThree = new AlarmEvaluator(List.of(errorRate(3, 2)), store, T0);
        record(0, 100, 1);
        record(1, 100, 5);
        record(2, 100, 5);

        assertThat(strict.evaluate(T0.plusSeconds(180)).get("error-rate").value()).isEqualTo("OK");
        assertThat(twoOfThree.evaluate(T0.plusSeconds(180)).get("error-rate").value()).isEqualTo("ALARM");
    }

    @Test
    void missingData_isInsufficientByDefault_andNotBreachingWhenSaid() {
        AlarmDefinition missing = single("latency", "missing");
        AlarmDefinition notBreaching = single("latency-nb", "notBreaching");
        AlarmEvaluator evaluator = new AlarmEvaluator(List.of(missing, notBreaching), store, T0);

        Map<String, AlarmEvaluator.State> changed = evaluator.evaluate(T0.plusSeconds(300));

        assertThat(changed).doesNotContainKey("latency");
        assertThat(evaluator.states().get("latency").value()).isEqualTo("INSUFFICIENT_DATA");
        assertThat(changed.get("latency-nb").value()).isEqualTo("OK");
    }

    @Test
    void partialCurrentPeriod_isNotEvaluated() {
        AlarmDefinition latency = single("latency", "notBreaching");
        AlarmEvaluator evaluator = new AlarmEvaluator(List.of(latency), store, T0);
        store.record(LATENCY, 900, T0.plusSeconds(61));

        // at 12:01:30 the minute 12:01 is not over: only 12:00 counts, and it has no datapoint
        assertThat(evaluator.evaluate(T0.plusSeconds(90)).get("latency").value()).isEqualTo("OK");
        assertThat(evaluator.evaluate(T0.plusSeconds(120)).get("latency").value()).isEqualTo("ALARM");
    }

    private static final MetricStore.MetricId LATENCY = new MetricStore.MetricId("AWS/ApiGateway", "Latency",
        Map.of("ApiName", "api"));

    private static AlarmDefinition single(String name, String treatMissing) {
        return new AlarmDefinition(name, name, "GreaterThanThreshold", 300, 1, 1, Duration.ofMinutes(1),
            treatMissing, Map.of("m1", new AlarmDefinition.Query(LATENCY, "p99", null)), "m1");
    }

    private static AlarmDefinition errorRate(int periods, int toAlarm) {
        Map<String, AlarmDefinition.Query> queries = new LinkedHashMap<>();
        queries.put("e", new AlarmDefinition.Query(ERRORS, "Sum", null));
        queries.put("i", new AlarmDefinition.Query(INVOCATIONS, "Sum", null));
        queries.put("rate", new AlarmDefinition.Query(null, null, "IF(i > 0, 100 * e / i, 0)"));
        return new AlarmDefinition("ErrorRate", "error-rate", "GreaterThanThreshold", 1, periods, toAlarm,
            Duration.ofMinutes(1), "notBreaching", queries, "rate");
    }

    private void record(int minute, int invocations, int errors) {
        Instant at = T0.plusSeconds(minute * 60L + 5);
        for (int i = 0; i < invocations; i++) {
            store.record(INVOCATIONS, 1, at);
            store.record(ERRORS, i < errors ? 1 : 0, at);
        }
    }
}
