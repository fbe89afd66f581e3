package za.co.personalisation.local.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.metrics.Metrics;

/** The functions' own EMF lines, read back as CloudWatch would, and metric filters on their JSON logs. */
class EmfTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void parse_readsWhatMetricsWrites_underEachDimensionSet() {
        StringBuilder lines = new StringBuilder();
        new Metrics("notify", line -> lines.append(line).append('\n'), Clock.fixed(NOW, ZoneOffset.UTC)).unit()
            .count("OffersMatched", 2).dimension("Reason", "no_consent", "NotificationsSuppressed", 1).flush();

        List<Emf.Point> points = lines.toString().lines().flatMap(line -> Emf.parse(line).stream()).toList();

        assertThat(points).containsExactlyInAnyOrder(
            new Emf.Point(new MetricStore.MetricId("Personalisation", "OffersMatched", Map.of("Service", "notify")),
                2, NOW),
            new Emf.Point(new MetricStore.MetricId("Personalisation", "NotificationsSuppressed",
                Map.of("Service", "notify", "Reason", "no_consent")), 1, NOW));
        assertThat(Emf.parse("{\"level\":\"INFO\",\"message\":\"x\"}")).isEmpty();
    }

    @Test
    void metricFilter_countsMatchingLinesOfItsLogGroupOnly() {
        MetricFilter filter = new MetricFilter("/aws/lambda/enrich",
            List.of(new MetricFilter.Term("message", "profile.write_failed")),
            new MetricStore.MetricId("Personalisation", "InsertErrors", Map.of()), 1);
        LocalObservability observability = new LocalObservability("api", "local", List.of(filter), List.of(), null,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC));

        observability.accept("{\"level\":\"WARN\",\"function\":\"enrich\",\"message\":\"profile.write_failed\"}");
        observability.accept("{\"level\":\"INFO\",\"function\":\"enrich\",\"message\":\"event.applied\"}");
        observability.accept("{\"level\":\"WARN\",\"function\":\"notify\",\"message\":\"profile.write_failed\"}");

        assertThat(observability.store().statistic(filter.metric(), "Sum", NOW, NOW.plusSeconds(1))).isEqualTo(1.0);
    }

    @Test
    void platformLines_becomeLambdaAndApiGatewayMetrics() {
        LocalObservability observability = new LocalObservability("personalisation-local", "local", List.of(),
            List.of(), null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC));

        observability.accept("{\"function\":\"personalisation-enrich-local\",\"message\":\"lambda.report\","
            + "\"durationMs\":42,\"outcome\":\"error\"}");
        observability.accept("{\"function\":\"api-gateway\",\"message\":\"api.request\",\"status\":202,"
            + "\"latencyMs\":17}");
        observability.accept("{\"function\":\"local-runtime\",\"message\":\"esm.batch\","
            + "\"functionName\":\"personalisation-enrich-local\",\"records\":3,\"iteratorAgeMs\":1500}");

        Map<String, String> function = Map.of("FunctionName", "personalisation-enrich-local");
        Instant to = NOW.plusSeconds(1);
        assertThat(observability.store().statistic(new MetricStore.MetricId("AWS/Lambda", "Errors", function), "Sum",
            NOW, to)).isEqualTo(1.0);
        assertThat(observability.store().statistic(new MetricStore.MetricId("AWS/Lambda", "Duration", function),
            "Maximum", NOW, to)).isEqualTo(42.0);
        assertThat(observability.store().statistic(new MetricStore.MetricId("AWS/ApiGateway", "Latency",
            Map.of("ApiName", "personalisation-local", "Stage", "local")), "p99", NOW, to)).isEqualTo(17.0);
        assertThat(observability.store().statistic(new MetricStore.MetricId("AWS/Lambda", "IteratorAge", function),
            "Maximum", NOW, to)).isEqualTo(1500.0);
    }
}
