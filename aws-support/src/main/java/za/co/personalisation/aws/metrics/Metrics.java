package za.co.personalisation.aws.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import za.co.personalisation.aws.log.LogSink;

/**
 * CloudWatch metrics in Embedded Metric Format: one log line per invocation holding every count, which CloudWatch
 * turns into metrics without a PutMetricData call on the hot path.
 *
 * <p>Each metric is emitted under the {@code Service} dimension and, when set, also under
 * {@code Service, Reason} or {@code Service, Channel} via {@link Unit#dimension}.
 */
public final class Metrics {

    public static final String NAMESPACE = "Personalisation";
    private static final JsonFactory JSON = new JsonFactory();

    private final String service;
    private final LogSink sink;
    private final Clock clock;

    public Metrics(String service, LogSink sink, Clock clock) {
        this.service = service;
        this.sink = sink;
        this.clock = clock;
    }

    /** Metrics for a function, written through the process-wide log sink. */
    public static Metrics forService(String service, Clock clock) {
        return new Metrics(service, LogSink.delegating(), clock);
    }

    /** Starts collecting one invocation's metrics; {@link Unit#flush()} writes them. */
    public Unit unit() {
        return new Unit();
    }

    /** Metrics of one invocation. Not shared between threads. */
    public final class Unit {

        private final Map<String, Double> counts = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> byDimension = new LinkedHashMap<>();

        private Unit() {
        }

        public Unit count(String metric, double value) {
            counts.merge(metric, value, Double::sum);
            return this;
        }

        /** Counts a metric also under an extra dimension, e.g. {@code dimension("Reason", "no_consent", …)}. */
        public Unit dimension(String dimension, String value, String metric, double amount) {
            byDimension.computeIfAbsent(dimension + "\u0000" + value, key -> new LinkedHashMap<>())
                .merge(metric, amount, Double::sum);
            return this;
        }

        public void flush() {
            if (!counts.isEmpty()) {
                sink.line(document(null, null, counts));
            }
            for (Map.Entry<String, Map<String, Double>> entry : byDimension.entrySet()) {
                String[] key = entry.getKey().split("\u0000", 2);
                sink.line(document(key[0], key[1], entry.getValue()));
            }
            counts.clear();
            byDimension.clear();
        }

        private String document(String dimension, String dimensionValue, Map<String, Double> values) {
            StringWriter out = new StringWriter(256);
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeObjectFieldStart("_aws");
                json.writeNumberField("Timestamp", clock.millis());
                json.writeArrayFieldStart("CloudWatchMetrics");
                json.writeStartObject();
                json.writeStringField("Namespace", NAMESPACE);
                json.writeArrayFieldStart("Dimensions");
                json.writeStartArray();
                json.writeString("Service");
                if (dimension != null) {
                    json.writeString(dimension);
                }
                json.writeEndArray();
                json.writeEndArray();
                json.writeArrayFieldStart("Metrics");
                for (String name : values.keySet()) {
                    json.writeStartObject();
                    json.writeStringField("Name", name);
                    json.writeStringField("Unit", name.endsWith("Ms") ? "Milliseconds" : "Count");
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
                json.writeStringField("Service", service);
                if (dimension != null) {
                    json.writeStringField(dimension, dimensionValue);
                }
                for (Map.Entry<String, Double> value : values.entrySet()) {
                    json.writeNumberField(value.getKey(), value.getValue());
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
    }
}
