package za.co.personalisation.core.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.location.Location;

/**
 * Validates and normalises a {@code POST /events} body into {@link InterestEvent}s.
 *
 * <p>Strict by design: unknown fields, wrong types, empty or oversized values, control characters and duplicate
 * keys are violations, each reported with its JSON pointer. A single event with any violation rejects the request;
 * in a batch each item stands or falls on its own.
 */
public final class EventRequestParser {

    private static final Set<String> FIELDS = Set.of("customerId", "interest", "location", "eventId", "occurredAt");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
    private static final Pattern INTEREST = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} &'+-]*");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}]");

    private static final ObjectMapper STRICT = JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature())
        .build();

    private final Gazetteer gazetteer;
    private final EventLimits limits;
    private final Supplier<String> idGenerator;

    public EventRequestParser(Gazetteer gazetteer, EventLimits limits, Supplier<String> idGenerator) {
        this.gazetteer = gazetteer;
        this.limits = limits;
        this.idGenerator = idGenerator;
    }

    /**
     * Parses a body.
     *
     * @throws InvalidRequestException when the body is not JSON, not one of the two accepted shapes, or a single
     *     event has violations
     */
    public EventRequest parse(byte[] body, Instant receivedAt, String traceId) {
        JsonNode root = readTree(body);
        if (!root.isObject()) {
            throw new InvalidRequestException("", "the body must be a JSON object: one event, or {\"events\":[…]}");
        }
        if (root.has("events")) {
            return parseBatch((ObjectNode) root, receivedAt, traceId);
        }
        List<Violation> violations = new ArrayList<>();
        InterestEvent event = parseEvent(root, "", receivedAt, traceId, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new EventRequest(false, List.of(EventRequest.Item.accepted(0, event)));
    }

    private EventRequest parseBatch(ObjectNode root, Instant receivedAt, String traceId) {
        List<Violation> envelope = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!"events".equals(name)) {
                envelope.add(new Violation("/" + escape(name), "unknown field; a batch has only \"events\""));
            }
        }
        JsonNode events = root.get("events");
        if (!events.isArray()) {
            envelope.add(new Violation("/events", "must be an array of events"));
        } else if (events.isEmpty()) {
            envelope.add(new Violation("/events", "must hold at least one event"));
        } else if (events.size() > limits.maxBatch()) {
            envelope.add(new Violation("/events", "holds " + events.size() + " events; at most "
                + limits.maxBatch() + " are accepted in one request"));
        }
        if (!envelope.isEmpty()) {
            throw new InvalidRequestException(envelope);
        }
        List<EventRequest.Item> items = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            List<Violation> violations = new ArrayList<>();
            InterestEvent event = parseEvent(events.get(i), "/events/" + i, receivedAt, traceId, violations);
            items.add(violations.isEmpty() ? EventRequest.Item.accepted(i, event)
                : EventRequest.Item.rejected(i, violations));
        }
        return new EventRequest(true, items);
    }

    private InterestEvent parseEvent(JsonNode node, String at, Instant receivedAt, String traceId,
        List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(at, "an event must be a JSON object"));
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            String name = fields.next().getKey();
            if (!FIELDS.contains(name)) {
                violations.add(new Violation(at + "/" + escape(name), "unknown field; allowed: customerId, interest,"
                    + " location, eventId, occurredAt"));
            }
        }
        String customerId = text(node, at, "customerId", true, EventLimits.MAX_ID_LENGTH, violations);
        if (customerId != null && !ID.matcher(customerId).matches()) {
            violations.add(new Violation(at + "/customerId", "must start with a letter or digit and hold only"
                + " letters, digits and . _ : -"));
        }
        String interest = text(node, at, "interest", true, EventLimits.MAX_INTEREST_LENGTH, violations);
        if (interest != null) {
            interest = SPACES.matcher(interest).replaceAll(" ").toLowerCase(Locale.ROOT);
            if (!INTEREST.matcher(interest).matches()) {
                violations.add(new Violation(at + "/interest", "must start with a letter or digit and hold only"
                    + " letters, digits, spaces and & ' + -"));
            }
        }
        String location = text(node, at, "location", true, EventLimits.MAX_LOCATION_LENGTH, violations);
        String eventId = text(node, at, "eventId", false, EventLimits.MAX_ID_LENGTH, violations);
        if (eventId != null && !ID.matcher(eventId).matches()) {
            violations.add(new Violation(at + "/eventId", "must start with a letter or digit and hold only"
                + " letters, digits and . _ : -"));
        }
        Instant occurredAt = occurredAt(node, at, receivedAt, violations);
        if (!violations.isEmpty()) {
            return null;
        }
        Location place = gazetteer.resolve(SPACES.matcher(location).replaceAll(" "));
        return new InterestEvent(eventId != null ? eventId : idGenerator.get(), customerId, interest, place,
            occurredAt != null ? occurredAt : receivedAt, receivedAt, traceId, false);
    }

    private Instant occurredAt(JsonNode node, String at, Instant receivedAt, List<Violation> violations) {
        String value = text(node, at, "occurredAt", false, 40, violations);
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(new Violation(at + "/occurredAt", "must be an ISO-8601 date-time with an offset,"
                + " e.g. 2026-11-25T10:15:30Z"));
            return null;
        }
        if (instant.isAfter(receivedAt.plus(limits.maxFutureSkew()))) {
            violations.add(new Violation(at + "/occurredAt", "lies more than " + limits.maxFutureSkew().toMinutes()
                + " minutes in the future"));
        } else if (instant.isBefore(receivedAt.minus(limits.maxAge()))) {
            violations.add(new Violation(at + "/occurredAt", "is older than the stream's retention of "
                + limits.maxAge().toDays() + " days"));
        }
        return instant;
    }

    private static String text(JsonNode node, String at, String field, boolean required, int maxLength,
        List<Violation> violations) {
        JsonNode value = node.get(field);
        String pointer = at + "/" + field;
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(new Violation(pointer, "is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(pointer, "must be a string, not " + value.getNodeType().name()
                .toLowerCase(Locale.ROOT)));
            return null;
        }
        String text = value.textValue().strip();
        if (text.isEmpty()) {
            violations.add(new Violation(pointer, "must not be empty or blank"));
            return null;
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            violations.add(new Violation(pointer, "is longer than " + maxLength + " characters"));
            return null;
        }
        if (CONTROL.matcher(text).find()) {
            violations.add(new Violation(pointer, "must not contain control, format or unassigned characters"));
            return null;
        }
        return text;
    }

    private static JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("", "the body is empty; send one event as a JSON object");
        }
        try {
            JsonNode root = STRICT.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new InvalidRequestException("", "the body is empty; send one event as a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException("", "unreadable body: " + e.getMessage());
        }
    }

    /** Escapes a member name for a JSON pointer (RFC 6901). */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
