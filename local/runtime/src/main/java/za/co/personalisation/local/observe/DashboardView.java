package za.co.personalisation.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CloudWatch dashboard (cloudwatch/dashboard.json, the file template.yaml's dashboard is made from), computed
 * from the local CloudWatch's metrics: for every metric widget, each metric's statistic per period over the last
 * minutes, the widget's metric math evaluated per period, its threshold lines; for the alarm widget, each alarm's
 * state. Served as {@code GET /local/metrics} and drawn by frontend/dashboard.html at {@code /local/dashboard}.
 *
 * <p>Computed as CloudWatch computes it where the local store allows: a period's statistic over the datapoints
 * recorded in {@code [start, start + period)}, missing data where there are none, metric math over the same
 * period's values. Not emulated: {@code region}, {@code yAxis} and {@code stacked} (drawn as plain lines).
 */
public final class DashboardView {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One line of a widget: its label and {@code [epochMillis, value]} points, {@code null} for missing data. */
    public record Series(String label, List<Object[]> points) {
    }

    private final JsonNode dashboard;
    private final Map<String, String> substitutions;
    private final MetricStore store;
    private final Supplier<Map<String, AlarmEvaluator.State>> alarms;
    private final Clock clock;
    private final Duration range;

    /**
     * @param substitutions the template's values for {@code ${Stage}}, {@code ${AWS::Region}} and the like
     * @param range         how far back each chart goes
     */
    public DashboardView(JsonNode dashboard, Map<String, String> substitutions, MetricStore store,
        Supplier<Map<String, AlarmEvaluator.State>> alarms, Clock clock, Duration range) {
        this.dashboard = dashboard;
        this.substitutions = Map.copyOf(substitutions);
        this.store = store;
        this.alarms = alarms;
        this.clock = clock;
        this.range = range;
    }

    /** Reads the dashboard file. */
    public static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard " + file, e);
        }
    }

    /** Every widget as it would be drawn now: the JSON the page reads. */
    public Map<String, Object> render() {
        Instant now = clock.instant();
        List<Object> widgets = new ArrayList<>();
        for (JsonNode widget : dashboard.path("widgets")) {
            Map<String, Object> out = new LinkedHashMap<>();
            JsonNode properties = widget.path("properties");
            out.put("type", widget.path("type").asText());
            out.put("title", properties.path("title").asText());
            for (String field : List.of("x", "y", "width", "height")) {
                out.put(field, widget.path(field).asInt());
            }
            if (widget.path("type").asText().equals("alarm")) {
                out.put("alarms", alarmStates(properties));
            } else if (widget.path("type").asText().equals("metric")) {
                int period = properties.path("period").asInt(300);
                out.put("period", period);
                out.put("series", series(properties, period, now));
                List<Map<String, Object>> lines = new ArrayList<>();
                for (JsonNode line : properties.path("annotations").path("horizontal")) {
                    lines.add(Map.of("label", line.path("label").asText(), "value", line.path("value").asDouble()));
                }
                out.put("annotations", lines);
            }
            widgets.add(out);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("generatedAt", now.toString());
        view.put("rangeSeconds", range.toSeconds());
        view.put("widgets", widgets);
        return view;
    }

    private List<Map<String, String>> alarmStates(JsonNode properties) {
        Map<String, AlarmEvaluator.State> states = alarms.get();
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode arn : properties.path("alarms")) {
            String text = substitute(arn.asText());
            String name = text.substring(text.lastIndexOf(':') + 1);
            AlarmEvaluator.State state = states.get(name);
            out.add(Map.of("name", name, "state", state == null ? "INSUFFICIENT_DATA" : state.value(),
                "reason", state == null ? "not defined locally" : state.reason()));
        }
        return out;
    }

    /** One entry of a widget's {@code metrics}: a metric or an expression, with its options. */
    private record Line(String id, String label, boolean visible, String expression, MetricStore.MetricId metric,
        String stat) {
    }

    private List<Series> series(JsonNode properties, int period, Instant now) {
        List<Line> lines = lines(properties);
        long periodMillis = period * 1000L;
        long end = Math.floorDiv(now.toEpochMilli(), periodMillis) * periodMillis + periodMillis;
        long start = end - Math.max(1, range.toMillis() / periodMillis) * periodMillis;
        Map<String, List<Object[]>> points = new LinkedHashMap<>();
        for (Line line : lines) {
            points.put(line.id(), new ArrayList<>());
        }
        for (long at = start; at < end; at += periodMillis) {
            Instant from = Instant.ofEpochMilli(at);
            Instant to = from.plusMillis(periodMillis);
            Map<String, Double> values = new HashMap<>();
            for (Line line : lines) {
                if (line.metric() != null) {
                    Double value = store.statistic(line.metric(), line.stat(), from, to);
                    values.put(line.id(), value);
                    points.get(line.id()).add(new Object[] {at, value});
                }
            }
            for (Line line : lines) {
                if (line.expression() != null) {
                    Double value;
                    try {
                        value = MetricMath.evaluate(line.expression(), values);
                    } catch (IllegalArgumentException e) {
                        value = null;
                    }
                    points.get(line.id()).add(new Object[] {at, value});
                }
            }
        }
        List<Series> out = new ArrayList<>();
        for (Line line : lines) {
            if (line.visible()) {
                out.add(new Series(line.label(), points.get(line.id())));
            }
        }
        return out;
    }

    private List<Line> lines(JsonNode properties) {
        String widgetStat = properties.path("stat").asText("Average");
        List<Line> lines = new ArrayList<>();
        List<String> previous = List.of();
        int n = 0;
        for (JsonNode entry : properties.path("metrics")) {
            n++;
            boolean hasOptions = entry.size() > 0 && entry.get(entry.size() - 1).isObject();
            JsonNode options = hasOptions ? entry.get(entry.size() - 1) : MAPPER.createObjectNode();
            String id = options.path("id").asText("m" + n);
            boolean visible = options.path("visible").asBoolean(true);
            if (options.has("expression")) {
                lines.add(new Line(id, options.path("label").asText(options.path("expression").asText()), visible,
                    options.path("expression").asText(), null, null));
                continue;
            }
            int size = hasOptions ? entry.size() - 1 : entry.size();
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String part = entry.get(i).asText();
                // CloudWatch's shorthand: "." repeats the previous metric's value at this position
                parts.add(part.equals(".") && i < previous.size() ? previous.get(i) : substitute(part));
            }
            previous = parts;
            Map<String, String> dimensions = new LinkedHashMap<>();
            for (int i = 2; i + 1 < parts.size(); i += 2) {
                dimensions.put(parts.get(i), parts.get(i + 1));
            }
            MetricStore.MetricId metric = new MetricStore.MetricId(parts.get(0), parts.get(1), dimensions);
            lines.add(new Line(id, options.path("label").asText(""), visible, null, metric,
                options.path("stat").asText(widgetStat)));
        }
        return labelled(lines);
    }

    /** Unlabelled metrics are named by their metric name, or by their dimensions where the name repeats. */
    private static List<Line> labelled(List<Line> lines) {
        Map<String, Integer> names = new HashMap<>();
        for (Line line : lines) {
            if (line.metric() != null) {
                names.merge(line.metric().name(), 1, Integer::sum);
            }
        }
        List<Line> out = new ArrayList<>(lines.size());
        for (Line line : lines) {
            if (line.metric() == null || !line.label().isEmpty()) {
                out.add(line);
                continue;
            }
            String label = names.get(line.metric().name()) > 1
                ? String.join(" ", line.metric().dimensions().values()) : line.metric().name();
            out.add(new Line(line.id(), label, line.visible(), null, line.metric(), line.stat()));
        }
        return out;
    }

    private String substitute(String text) {
        String out = text;
        for (Map.Entry<String, String> entry : substitutions.entrySet()) {
            out = out.replace("${" + entry.getKey() + "}", entry.getValue());
        }
        return out;
    }
}
