package za.co.personalisation.local.observe;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import za.co.personalisation.local.template.Intrinsics;
import za.co.personalisation.local.template.Template;

/**
 * An AWS::CloudWatch::Alarm of template.yaml: a single metric with a statistic, or metric math over several
 * metric queries ({@code Metrics}), compared with a threshold over evaluation periods.
 */
public record AlarmDefinition(
    String logicalId,
    String name,
    String comparison,
    double threshold,
    int evaluationPeriods,
    int datapointsToAlarm,
    Duration period,
    String treatMissingData,
    Map<String, Query> queries,
    String resultId) {

    /** One metric query: a metric with a statistic, or an expression over other ids. */
    public record Query(MetricStore.MetricId metric, String statistic, String expression) {
    }

    /** Every alarm of the template, with dimension values resolved against the local resources. */
    @SuppressWarnings("unchecked")
    public static List<AlarmDefinition> all(Template template, Intrinsics intrinsics) {
        return template.resourcesOfType("AWS::CloudWatch::Alarm").stream().map(resource -> {
            Map<String, Object> p = (Map<String, Object>) intrinsics.resolve(resource.properties());
            int periods = Integer.parseInt(String.valueOf(p.getOrDefault("EvaluationPeriods", 1)));
            Map<String, Query> queries = new LinkedHashMap<>();
            String resultId;
            Duration period;
            if (p.containsKey("Metrics")) {
                resultId = null;
                period = null;
                for (Object entry : (List<Object>) p.get("Metrics")) {
                    Map<String, Object> query = (Map<String, Object>) entry;
                    String id = String.valueOf(query.get("Id"));
                    if (query.containsKey("Expression")) {
                        queries.put(id, new Query(null, null, String.valueOf(query.get("Expression"))));
                    } else {
                        Map<String, Object> stat = (Map<String, Object>) query.get("MetricStat");
                        queries.put(id, new Query(metric((Map<String, Object>) stat.get("Metric")),
                            String.valueOf(stat.get("Stat")), null));
                        period = Duration.ofSeconds(Long.parseLong(String.valueOf(stat.get("Period"))));
                    }
                    if (!Boolean.FALSE.equals(query.get("ReturnData"))) {
                        resultId = id;
                    }
                }
            } else {
                resultId = "m1";
                String statistic = String.valueOf(p.getOrDefault("ExtendedStatistic",
                    p.getOrDefault("Statistic", "Average")));
                queries.put(resultId, new Query(metric(p), statistic, null));
                period = Duration.ofSeconds(Long.parseLong(String.valueOf(p.getOrDefault("Period", 60))));
            }
            return new AlarmDefinition(resource.logicalId(),
                String.valueOf(p.getOrDefault("AlarmName", resource.logicalId())),
                String.valueOf(p.get("ComparisonOperator")),
                Double.parseDouble(String.valueOf(p.get("Threshold"))),
                periods,
                Integer.parseInt(String.valueOf(p.getOrDefault("DatapointsToAlarm", periods))),
                period,
                String.valueOf(p.getOrDefault("TreatMissingData", "missing")),
                queries,
                resultId);
        }).toList();
    }

    @SuppressWarnings("unchecked")
    private static MetricStore.MetricId metric(Map<String, Object> p) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        Object list = p.get("Dimensions");
        if (list instanceof List<?> items) {
            for (Object item : items) {
                Map<String, Object> dimension = (Map<String, Object>) item;
                dimensions.put(String.valueOf(dimension.get("Name")), String.valueOf(dimension.get("Value")));
            }
        }
        return new MetricStore.MetricId(String.valueOf(p.get("Namespace")), String.valueOf(p.get("MetricName")),
            dimensions);
    }

    /** True when {@code value} breaches the threshold. */
    public boolean breaches(double value) {
        return switch (comparison) {
            case "GreaterThanThreshold" -> value > threshold;
            case "GreaterThanOrEqualToThreshold" -> value >= threshold;
            case "LessThanThreshold" -> value < threshold;
            case "LessThanOrEqualToThreshold" -> value <= threshold;
            default -> throw new IllegalArgumentException("alarm " + logicalId + ": unsupported ComparisonOperator "
                + comparison);
        };
    }
}
