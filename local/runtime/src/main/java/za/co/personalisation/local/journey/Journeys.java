package za.co.personalisation.local.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One interest event's journey through the pipeline, from the function log ({@code .local-aws/logs/functions.log})
 * and the notification ledger: accepted by the API (the gateway's {@code api.request} line names the eventIds it
 * answered with), applied to the profile (enrich: {@code event.applied}), offer decided or suppressed (notify:
 * {@code notification.decided} / {@code notification.suppressed}), and the delivery's outcome (deliver:
 * {@code delivery.sent} / {@code delivery.suppressed} / {@code delivery.failed}), each with its time and the time
 * since acceptance.
 *
 * <p>notify-function logs only the changes it acts on, so an event whose profile update triggered nothing leaves no
 * notify line: {@value #QUIET_SECONDS} s after the profile update without one, the outcome is {@code no offer}
 * (notify matches only meaningful changes: a new interest, a score crossing its threshold, a new location).
 *
 * <p>The log is read incrementally (only what was appended since the last call) and indexed by eventId, keeping
 * the most recent {@value #KEPT} events, so polling stays cheap during load tests.
 */
public final class Journeys {

    static final int KEPT = 20_000;
    static final int QUIET_SECONDS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One step: what happened, where, when, and what it decided. */
    public record Stage(String stage, String function, String at, Long sinceAcceptedMs, Map<String, String> detail) {
    }

    /**
     * The whole journey; {@code outcome} is {@code delivered}, {@code suppressed}, {@code failed}, {@code held out}
     * (the customer is in the offer's control group) or pending.
     */
    public record Journey(String eventId, String outcome, List<Stage> stages, List<Map<String, String>> ledger) {
    }

    private final Path logFile;
    private final java.time.Clock clock;
    private final DynamoDbClient dynamoDb;
    private final String ledgerTable;
    private final Map<String, List<JsonNode>> byEvent = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<JsonNode>> eldest) {
            return size() > KEPT;
        }
    };
    private long offset;

    public Journeys(Path logFile, DynamoDbClient dynamoDb, String ledgerTable, java.time.Clock clock) {
        this.logFile = logFile;
        this.clock = clock;
        this.dynamoDb = dynamoDb;
        this.ledgerTable = ledgerTable;
    }

    /** The journey of one event; unknown ids give an empty, pending journey. */
    public Journey of(String eventId) {
        List<JsonNode> lines;
        synchronized (this) {
            catchUp();
            lines = List.copyOf(byEvent.getOrDefault(eventId, List.of()));
        }
        List<Stage> stages = new ArrayList<>();
        Instant accepted = null;
        Instant profileUpdated = null;
        boolean notified = false;
        String outcome = "pending";
        for (JsonNode line : lines) {
            Instant at = instant(line.path("time").asText());
            String message = line.path("message").asText();
            String stage = switch (message) {
                case "api.request" -> "accepted";
                case "event.applied" -> "profile updated";
                case "notification.decided" -> "offer matched";
                case "notification.suppressed" -> "not notified";
                case "notification.held_out" -> "held out (control group)";
                case "delivery.sent" -> "delivered";
                case "delivery.suppressed" -> "delivery suppressed";
                case "delivery.failed" -> "delivery failed";
                case "delivery.skipped" -> "duplicate skipped";
                case "delivery.deferred" -> "deferred (quiet hours)";
                default -> null;
            };
            if (stage == null) {
                continue;
            }
            if (accepted == null && message.equals("api.request")) {
                accepted = at;
            }
            if (message.equals("event.applied") && profileUpdated == null) {
                profileUpdated = at;
            }
            notified = notified || message.startsWith("notification.") || message.startsWith("delivery.");
            Map<String, String> detail = new LinkedHashMap<>();
            for (String field : List.of("status", "latencyMs", "interest", "profileVersion", "offerId", "channel",
                "locationRule", "reason", "replay")) {
                JsonNode value = line.get(field);
                if (value != null && !value.isNull() && !value.asText().isEmpty()) {
                    detail.put(field, value.asText());
                }
            }
            Instant start = accepted;
            stages.add(new Stage(stage, line.path("function").asText(), line.path("time").asText(),
                start == null || at == null ? null : Duration.between(start, at).toMillis(), detail));
            outcome = switch (message) {
                case "delivery.sent" -> "delivered";
                case "notification.held_out" -> outcome.equals("delivered") ? outcome : "held out";
                case "delivery.failed" -> outcome.equals("delivered") ? outcome : "failed";
                case "delivery.suppressed", "notification.suppressed" -> outcome.equals("delivered") ? outcome
                    : "suppressed";
                default -> outcome;
            };
        }
        if (outcome.equals("pending") && !notified && profileUpdated != null
            && clock.instant().isAfter(profileUpdated.plusSeconds(QUIET_SECONDS))) {
            outcome = "no offer";
        }
        return new Journey(eventId, outcome, stages, ledger(eventId));
    }

    private List<Map<String, String>> ledger(String eventId) {
        if (dynamoDb == null) {
            return List.of();
        }
        List<Map<String, String>> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamoDb.scan(b -> b.tableName(ledgerTable).exclusiveStartKey(from)
                .filterExpression("eventId = :e")
                .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(eventId))));
            for (Map<String, AttributeValue> item : page.items()) {
                Map<String, String> entry = new LinkedHashMap<>();
                for (String field : List.of("customerId", "offerId", "channel", "status", "reason", "interest",
                    "locationRule", "catalogVersion", "createdAt", "updatedAt")) {
                    AttributeValue value = item.get(field);
                    if (value != null && value.s() != null) {
                        entry.put(field, value.s());
                    }
                }
                entries.add(entry);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return entries;
    }

    /** Reads what was appended since the last call and indexes it by eventId. */
    private void catchUp() {
        if (!Files.isRegularFile(logFile)) {
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            if (file.length() < offset) {
                offset = 0;
                byEvent.clear();
            }
            file.seek(offset);
            byte[] appended = new byte[(int) Math.min(Integer.MAX_VALUE - 8, file.length() - offset)];
            file.readFully(appended);
            int end = lastNewline(appended);
            if (end < 0) {
                return;
            }
            offset += end + 1;
            for (String line : new String(appended, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (line.contains("\"eventId") && line.startsWith("{")) {
                    index(line);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + logFile, e);
        }
    }

    private void index(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            return;
        }
        List<String> ids = new ArrayList<>();
        if (node.hasNonNull("eventId")) {
            ids.add(node.get("eventId").asText());
        }
        if (node.hasNonNull("eventIds")) {
            ids.addAll(List.of(node.get("eventIds").asText().split(",")));
        }
        for (String id : ids) {
            if (!id.isEmpty()) {
                byEvent.computeIfAbsent(id, k -> new ArrayList<>()).add(node);
            }
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
