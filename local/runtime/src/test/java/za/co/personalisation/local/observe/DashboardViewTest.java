package za.co.personalisation.local.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:30Z");
    private static final Map<String, String> INGEST = Map.of("Service", "ingest");

    private final MetricStore store = new MetricStore();

    @Test
    void metricWidget_isEachMetricsStatisticPerPeriod_withMissingDataAsNull() throws Exception {
        record("AWS/ApiGateway", "Latency", Map.of("ApiName", "personalisation-local", "Stage", "local"),
            "2026-11-25T11:59:10Z", 100, 200, 300, 400, 1000);
        record("AWS/ApiGateway", "Latency", Map.of("ApiName", "personalisation-local", "Stage", "local"),
            "2026-11-25T12:00:05Z", 50);
        JsonNode widget = JSON.readTree("""
            {"type":"metric","x":0,"y":0,"width":8,"height":6,"properties":{"title":"API latency (ms)","period":60,
             "stat":"Sum","metrics":[
               ["AWS/ApiGateway","Latency","ApiName","personalisation-${Stage}","Stage","${Stage}",
                {"stat":"p50","label":"p50"}],
               [".",".",".",".",".",".",{"stat":"p99","label":"p99"}]],
             "annotations":{"horizontal":[{"label":"seed threshold 300 ms","value":300}]}}}""");

        Map<String, Object> out = widget(widget, Duration.ofMinutes(3));

        assertThat(out.get("period")).isEqualTo(60);
        assertThat(out.get("annotations")).isEqualTo(List.of(Map.of("label", "seed threshold 300 ms",
            "value", 300.0)));
        List<DashboardView.Series> series = series(out);
        assertThat(series).extracting(DashboardView.Series::label).containsExactly("p50", "p99");
        // three periods ending with the one that holds now: 11:58, 11:59, 12:00
        assertThat(values(series.get(0))).containsExactly(null, 300.0, 50.0);
        assertThat(values(series.get(1))).containsExactly(null, 1000.0, 50.0);
        assertThat(series.get(0).points().get(0)[0]).isEqualTo(Instant.parse("2026-11-25T11:58:00Z").toEpochMilli());
    }

    @Test
    void metricMath_isEvaluatedPerPeriod_andHiddenMetricsAreNotDrawn() throws Exception {
        record("Personalisation", "Requests", INGEST, "2026-11-25T11:59:01Z", 10, 10);
        record("Personalisation", "Traced", INGEST, "2026-11-25T11:59:02Z", 19);
        record("Personalisation", "Requests", INGEST, "2026-11-25T12:00:01Z", 4);
        record("Personalisation", "Traced", INGEST, "2026-11-25T12:00:02Z", 4);
        JsonNode widget = JSON.readTree("""
            {"type":"metric","x":16,"y":18,"width":8,"height":6,"properties":{"title":"Trace coverage (%)",
             "period":60,"metrics":[
               [{"expression":"IF(requests > 0, 100 * traced / requests, 100)","label":"traced %","id":"coverage"}],
               ["Personalisation","Traced","Service","ingest",{"id":"traced","stat":"Sum","visible":false}],
               ["Personalisation","Requests","Service","ingest",{"id":"requests","stat":"Sum","visible":false}]]}}""");

        List<DashboardView.Series> series = series(widget(widget, Duration.ofMinutes(2)));

        assertThat(series).extracting(DashboardView.Series::label).containsExactly("traced %");
        assertThat(values(series.get(0))).containsExactly(95.0, 100.0);
    }

    @Test
    void unlabelledMetrics_areNamedByMetric_orByDimensionsWhereTheNameRepeats() throws Exception {
        JsonNode widget = JSON.readTree("""
            {"type":"metric","x":0,"y":0,"width":8,"height":6,"properties":{"title":"t","period":300,
             "stat":"Maximum","metrics":[
               ["AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","failed-events-${Stage}"],
               ["AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","delivery-dlq-${Stage}"],
               ["AWS/ApiGateway","Count","ApiName","a"]]}}""");
        record("AWS/SQS", "ApproximateNumberOfMessagesVisible", Map.of("QueueName", "delivery-dlq-local"),
            "2026-11-25T12:00:10Z", 2, 7, 3);

        List<DashboardView.Series> series = series(widget(widget, Duration.ofMinutes(5)));

        assertThat(series).extracting(DashboardView.Series::label)
            .containsExactly("failed-events-local", "delivery-dlq-local", "Count");
        assertThat(values(series.get(1))).containsExactly(7.0);
        assertThat(values(series.get(0))).containsExactly((Double) null);
    }

    @Test
    void alarmWidget_listsEachAlarmsLocalState_byTheNameInItsArn() throws Exception {
        JsonNode dashboard = JSON.readTree("""
            {"widgets":[{"type":"alarm","x":0,"y":24,"width":24,"height":4,"properties":{"title":"Alarms","alarms":[
              "arn:aws:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:personalisation-api-latency-${Stage}",
              "arn:aws:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:personalisation-other-${Stage}"]}}]}""");
        Map<String, AlarmEvaluator.State> states = Map.of("personalisation-api-latency-local",
            new AlarmEvaluator.State("ALARM", "p99 above 300", NOW));
        DashboardView view = new DashboardView(dashboard, Map.of("Stage", "local", "AWS::Region", "af-south-1",
            "AWS::AccountId", "123456789012"), store, () -> states, Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofMinutes(15));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> widgets = (List<Map<String, Object>>) view.render().get("widgets");

        assertThat(widgets.get(0).get("alarms")).isEqualTo(List.of(
            Map.of("name", "personalisation-api-latency-local", "state", "ALARM", "reason", "p99 above 300"),
            Map.of("name", "personalisation-other-local", "state", "INSUFFICIENT_DATA",
                "reason", "not defined locally")));
    }

    @Test
    void theProjectsDashboard_rendersEveryWidget() {
        JsonNode dashboard = DashboardView.read(Path.of("..", "..", "cloudwatch", "dashboard.json"));
        DashboardView view = new DashboardView(dashboard, Map.of("Stage", "local"), store, Map::of,
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> widgets = (List<Map<String, Object>>) view.render().get("widgets");

        assertThat(widgets).hasSize(dashboard.path("widgets").size());
        assertThat(widgets).filteredOn(w -> w.get("type").equals("metric")).allSatisfy(w ->
            assertThat((List<?>) w.get("series")).isNotEmpty());
    }

    private void record(String namespace, String name, Map<String, String> dimensions, String at, double... values) {
        for (double value : values) {
            store.record(new MetricStore.MetricId(namespace, name, dimensions), value, Instant.parse(at));
        }
    }

    private Map<String, Object> widget(JsonNode widget, Duration range) {
        DashboardView view = new DashboardView(JSON.createObjectNode().set("widgets",
            JSON.createArrayNode().add(widget)), Map.of("Stage", "local"), store, Map::of,
            Clock.fixed(NOW, ZoneOffset.UTC), range);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> widgets = (List<Map<String, Object>>) view.render().get("widgets");
        return widgets.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<DashboardView.Series> series(Map<String, Object> widget) {
        return (List<DashboardView.Series>) widget.get("series");
    }

    private static List<Double> values(DashboardView.Series series) {
        return series.points().stream().map(point -> (Double) point[1]).toList();
    }
}
