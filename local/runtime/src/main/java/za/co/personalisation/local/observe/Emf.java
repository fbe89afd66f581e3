package za.co.personalisation.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CloudWatch Embedded Metric Format log lines into datapoints, as CloudWatch Logs does for a function's log
 * group: for every metric directive, one datapoint per dimension set.
 */
public final class Emf {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One extracted datapoint. */
    public record Point(MetricStore.MetricId id, double value, Instant at) {
    }

    private Emf() {
    }

    /** The datapoints of a log line; empty when the line is not EMF. */
    public static List<Point> parse(String line) {
        if (!line.contains("\"_aws\"")) {
            return List.of();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (IOException e) {
            return List.of();
        }
        JsonNode aws = root.path("_aws");
        Instant at = Instant.ofEpochMilli(aws.path("Timestamp").asLong(System.currentTimeMillis()));
        List<Point> points = new ArrayList<>();
        for (JsonNode directive : aws.path("CloudWatchMetrics")) {
            String namespace = directive.path("Namespace").asText();
            for (JsonNode dimensionSet : directive.path("Dimensions")) {
                Map<String, String> dimensions = new LinkedHashMap<>();
                for (JsonNode name : dimensionSet) {
                    dimensions.put(name.asText(), root.path(name.asText()).asText());
                }
                for (JsonNode metric : directive.path("Metrics")) {
                    String name = metric.path("Name").asText();
                    JsonNode value = root.get(name);
                    if (value != null && value.isNumber()) {
                        points.add(new Point(new MetricStore.MetricId(namespace, name, dimensions), value.asDouble(),
                            at));
                    }
                }
            }
        }
        return points;
    }
}
