package za.co.personalisation.local.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local CloudWatch metric store: every datapoint the functions, the API emulation and the pollers produce,
 * kept in memory so that alarms can be evaluated exactly (moto stores metrics but does not evaluate alarms).
 */
public final class MetricStore {

    /** A metric's identity: namespace, name and dimensions (order-independent). */
    public record MetricId(String namespace, String name, Map<String, String> dimensions) {

        public MetricId {
            dimensions = Collections.unmodifiableMap(new TreeMap<>(dimensions));
        }
    }

    private record Datapoint(Instant at, double value) {
    }

    private final Map<MetricId, List<Datapoint>> series = new ConcurrentHashMap<>();

    public void record(MetricId id, double value, Instant at) {
        List<Datapoint> points = series.computeIfAbsent(id, key -> Collections.synchronizedList(new ArrayList<>()));
        points.add(new Datapoint(at, value));
    }

    /**
     * A statistic over {@code [from, to)}: Sum, Average, Minimum, Maximum, SampleCount or a percentile such as
     * {@code p99}; {@code null} when there is no datapoint (CloudWatch's "missing data").
     */
    public Double statistic(MetricId id, String statistic, Instant from, Instant to) {
        List<Datapoint> points = series.get(id);
        if (points == null) {
            return null;
        }
        List<Double> values = new ArrayList<>();
        synchronized (points) {
            for (Datapoint point : points) {
                if (!point.at().isBefore(from) && point.at().isBefore(to)) {
                    values.add(point.value());
                }
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        return switch (statistic) {
            case "Sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
            case "Average" -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            case "Minimum" -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            case "Maximum" -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            case "SampleCount" -> (double) values.size();
            default -> percentile(values, statistic);
        };
    }

    private static double percentile(List<Double> values, String statistic) {
        if (!statistic.matches("p\\d{1,2}(\\.\\d+)?")) {
            throw new IllegalArgumentException("unsupported statistic " + statistic);
        }
        double p = Double.parseDouble(statistic.substring(1));
        Collections.sort(values);
        int index = (int) Math.ceil(p / 100.0 * values.size()) - 1;
        return values.get(Math.max(0, Math.min(values.size() - 1, index)));
    }

    /** Every metric id seen so far. */
    public List<MetricId> metrics() {
        return List.copyOf(series.keySet());
    }
}
