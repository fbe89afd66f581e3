package za.co.personalisation.replay.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A snapshot of {@link CallMeter}'s counts; two snapshots subtract to what happened in between. */
public record CallCounts(List<Row> rows) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One caller × service × operation. {@code units} are billing units (see {@link BillingUnits}). */
    public record Row(CallKey key, long calls, long attempts, long failures, long nanos, long entries,
        double units) {

        Row minus(Row before) {
            return new Row(key, calls - before.calls, attempts - before.attempts, failures - before.failures,
                nanos - before.nanos, entries - before.entries, units - before.units);
        }
    }

    public CallCounts {
        rows = rows.stream().sorted(Comparator.comparing((Row row) -> row.key().caller())
            .thenComparing(row -> row.key().service()).thenComparing(row -> row.key().operation())).toList();
    }

    public static CallCounts empty() {
        return new CallCounts(List.of());
    }

    /** What was counted after {@code before}; rows without calls are left out. */
    public CallCounts minus(CallCounts before) {
        Map<CallKey, Row> earlier = new HashMap<>();
        before.rows().forEach(row -> earlier.put(row.key(), row));
        List<Row> delta = new ArrayList<>();
        for (Row row : rows) {
            Row previous = earlier.get(row.key());
            Row difference = previous == null ? row : row.minus(previous);
            if (difference.calls() > 0 || difference.attempts() > 0) {
                delta.add(difference);
            }
        }
        return new CallCounts(delta);
    }

    public CallCounts filter(Predicate<CallKey> keep) {
        return new CallCounts(rows.stream().filter(row -> keep.test(row.key())).toList());
    }

    /** Both sets of rows (callers are distinct, e.g. this JVM's client and another JVM's functions). */
    public CallCounts plus(CallCounts other) {
        List<Row> all = new ArrayList<>(rows);
        all.addAll(other.rows());
        return new CallCounts(all);
    }

    public long calls() {
        return rows.stream().mapToLong(Row::calls).sum();
    }

    /** Every attempt, retries included: the requests that reached the endpoint. */
    public long attempts() {
        return rows.stream().mapToLong(Row::attempts).sum();
    }

    public ArrayNode toJson() {
        ArrayNode array = MAPPER.createArrayNode();
        for (Row row : rows) {
            ObjectNode node = array.addObject();
            node.put("caller", row.key().caller());
            node.put("service", row.key().service());
            node.put("operation", row.key().operation());
            node.put("calls", row.calls());
            node.put("attempts", row.attempts());
            node.put("failures", row.failures());
            node.put("totalMillis", row.nanos() / 1_000_000.0);
            node.put("meanMillis", row.calls() == 0 ? 0 : Math.round(row.nanos() / 1e4 / row.calls()) / 100.0);
            node.put("entries", row.entries());
            node.put("billingUnits", row.units());
        }
        return array;
    }

    public static CallCounts fromJson(JsonNode array) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode node : array) {
            rows.add(new Row(new CallKey(node.path("caller").asText(), node.path("service").asText(),
                node.path("operation").asText()), node.path("calls").asLong(), node.path("attempts").asLong(),
                node.path("failures").asLong(), Math.round(node.path("totalMillis").asDouble() * 1_000_000),
                node.path("entries").asLong(), node.path("billingUnits").asDouble()));
        }
        return new CallCounts(rows);
    }

    /** Reads a file {@link MeterFile} wrote in another JVM. */
    public static CallCounts read(Path file) throws IOException {
        return fromJson(MAPPER.readTree(Files.readAllBytes(file)).path("calls"));
    }
}
