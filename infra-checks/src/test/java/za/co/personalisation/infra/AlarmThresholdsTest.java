package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.Template;

/**
 * The alarms carry the seed's monitoring thresholds: Lambda error rate < 1 %, API latency < 300 ms, X-Ray trace
 * coverage > 95 %, insert errors alarm immediately; plus iterator age and dead-letter queue depth.
 */
class AlarmThresholdsTest {

    private final Map<String, Map<String, Object>> alarms = new HashMap<>();

    AlarmThresholdsTest() {
        Template template = Template.load(ProjectRoot.find().resolve("template.yaml"));
        template.resourcesOfType("AWS::CloudWatch::Alarm").forEach(a -> alarms.put(a.logicalId(), a.properties()));
    }

    @Test
    void lambdaErrorRate_alarmsAboveOnePercent_forEveryFunction() {
        for (String function : List.of("Ingest", "Enrich", "Notify", "Deliver", "Feedback")) {
            Map<String, Object> alarm = alarms.get(function + "ErrorRateAlarm");
            assertThat(alarm).as(function).isNotNull();
            assertThat(number(alarm, "Threshold")).isEqualTo(1.0);
            assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
            assertThat(alarm.get("Metrics").toString()).contains("100 * errors / invocations")
                .contains("Ref=" + function + "Function");
        }
    }

    @Test
    void apiLatency_alarmsAbove300MillisecondsAtP99() {
        Map<String, Object> alarm = alarms.get("ApiLatencyAlarm");
        assertThat(alarm.get("MetricName")).isEqualTo("Latency");
        assertThat(alarm.get("ExtendedStatistic")).isEqualTo("p99");
        assertThat(number(alarm, "Threshold")).isEqualTo(300.0);
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
    }

    @Test
    void traceCoverage_alarmsBelow95Percent() {
        Map<String, Object> alarm = alarms.get("TraceCoverageAlarm");
        assertThat(number(alarm, "Threshold")).isEqualTo(95.0);
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("LessThanThreshold");
        assertThat(alarm.get("Metrics").toString()).contains("100 * traced / requests");
    }

    @Test
    void insertErrors_alarmOnTheFirstOccurrence() {
        Map<String, Object> alarm = alarms.get("InsertErrorsAlarm");
        assertThat(alarm.get("MetricName")).isEqualTo("InsertErrors");
        assertThat(number(alarm, "EvaluationPeriods")).isEqualTo(1.0);
        assertThat(number(alarm, "DatapointsToAlarm")).isEqualTo(1.0);
        assertThat(number(alarm, "Period")).isEqualTo(60.0);
        assertThat(number(alarm, "Threshold")).isEqualTo(0.0);
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
    }

    @Test
    void iteratorAgeAndDeadLetterQueues_areWatched_andEveryAlarmNotifiesTheAlertsTopic() {
        assertThat(alarms).containsKeys("EnrichIteratorAgeAlarm", "NotifyIteratorAgeAlarm",
            "FailedEventsQueueDepthAlarm", "EnrichFailureQueueDepthAlarm", "NotifyFailureQueueDepthAlarm",
            "DeliveryDeadLetterQueueDepthAlarm", "FeedbackDeadLetterQueueDepthAlarm");
        alarms.forEach((id, alarm) -> assertThat(alarm.get("AlarmActions")).as(id)
            .isEqualTo(List.of(Map.of("Ref", "AlertsTopic"))));
    }

    private static double number(Map<String, Object> alarm, String property) {
        return Double.parseDouble(String.valueOf(alarm.get(property)));
    }
}
