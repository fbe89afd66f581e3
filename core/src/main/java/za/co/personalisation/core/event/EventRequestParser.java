package za.co.personalisation.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.location.Location;

/**
 * Validates and normalises a {@code POST /events} body into {@link InterestEvent}s.
 *
 * <p>Strict by design: the rules are the JSON Schema's ({@link SchemaRules}, {@code $defs/InterestEvent} and
 * {@code $defs/EventBatch}); unknown fields, wrong types, empty or oversized values, characters outside a field's
 * alphabet, invalid UTF-8 and duplicate keys are violations, each reported with its JSON pointer. A single event
 * with any violation rejects the request; in a batch each item stands or falls on its own, unless the envelope
 * itself is wrong.
 *
 * <p>Normalisation: surrounding spaces trimmed, runs of spaces collapsed, the interest case-folded, the location
 * resolved against the gazetteer (an unknown place is kept as written and flagged, never guessed).
 */
public final class EventRequestParser {

    /** Distinct location spellings remembered; past this, names are resolved without caching. */
    private static final int LOCATION_CACHE_SIZE = 4096;
    private static final String EMPTY = "the body is empty; send one event as a JSON object, or {\"events\":[…]}";

    private final Gazetteer gazetteer;
    private final EventLimits limits;
    private final Supplier<String> idGenerator;
    private final SchemaRules.ObjectRule eventRule;
    private final SchemaRules.ObjectRule batchRule;
    private final Map<String, Location> locations = new ConcurrentHashMap<>();

    public EventRequestParser(Gazetteer gazetteer, EventLimits limits, Supplier<String> idGenerator) {
        this(SchemaRules.bundled(), gazetteer, limits, idGenerator);
    }

    public EventRequestParser(SchemaRules rules, Gazetteer gazetteer, EventLimits limits,
        Supplier<String> idGenerator) {
        this.gazetteer = gazetteer;
        this.limits = limits;
        this.idGenerator = idGenerator;
        this.eventRule = rules.object("InterestEvent");
        this.batchRule = rules.object("EventBatch");
        int maxItems = ((SchemaRules.ArrayRule) batchRule.properties().get("events")).maxItems();
        if (maxItems != limits.maxBatch()) {
            throw new IllegalArgumentException("the schema allows " + maxItems + " events in a batch but the limits "
                + limits.maxBatch() + "; keep them equal");
        }
    }

    /**
     * Parses a body.
     *
     * @throws InvalidRequestException when the body is not JSON, not one of the two accepted shapes, or a single
     *     event has violations
     */
    public EventRequest parse(byte[] body, Instant receivedAt, String traceId) {
        JsonNode root = JsonBodies.read(body, EMPTY);
        if (root.isObject() && root.has("events")) {
            return parseBatch(root, receivedAt, traceId);
        }
        List<Violation> violations = new ArrayList<>(2);
        eventRule.validate(root, "", violations);
        InterestEvent event = violations.isEmpty() ? normalise(root, "", receivedAt, traceId, violations) : null;
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new EventRequest(false, List.of(EventRequest.Item.accepted(0, event)));
    }

    private EventRequest parseBatch(JsonNode root, Instant receivedAt, String traceId) {
        List<Violation> violations = new ArrayList<>();
        batchRule.validate(root, "", violations);
        JsonNode events = root.get("events");
        List<List<Violation>> byItem = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            byItem.add(new ArrayList<>(0));
        }
        boolean envelope = false;
        for (Violation violation : violations) {
            int index = itemIndex(violation.pointer());
            if (index < 0 || index >= byItem.size()) {
                envelope = true;
            } else {
                byItem.get(index).add(violation);
            }
        }
        if (envelope) {
            throw new InvalidRequestException(violations);
        }
        List<EventRequest.Item> items = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            List<Violation> itemViolations = byItem.get(i);
            InterestEvent event = itemViolations.isEmpty()
                ? normalise(events.get(i), "/events/" + i, receivedAt, traceId, itemViolations) : null;
            items.add(itemViolations.isEmpty() ? EventRequest.Item.accepted(i, event)
                : EventRequest.Item.rejected(i, itemViolations));
        }
        return new EventRequest(true, items);
    }

    /** The item index of a pointer under {@code /events/}, or -1. */
    private static int itemIndex(String pointer) {
        if (!pointer.startsWith("/events/")) {
            return -1;
        }
        int index = 0;
        int at = "/events/".length();
        if (at == pointer.length()) {
            return -1;
        }
        for (; at < pointer.length() && pointer.charAt(at) != '/'; at++) {
            char c = pointer.charAt(at);
            if (c < '0' || c > '9' || index > 100_000) {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        return index;
    }

    /** Builds the event from a node that passed the schema; adds the rules a schema cannot state. */
    private InterestEvent normalise(JsonNode node, String at, Instant receivedAt, String traceId,
        List<Violation> violations) {
        String customerId = node.get("customerId").textValue().strip();
        String interest = collapseSpaces(node.get("interest").textValue()).toLowerCase(Locale.ROOT);
        String location = collapseSpaces(node.get("location").textValue());
        JsonNode eventIdNode = node.get("eventId");
        String eventId = eventIdNode == null ? idGenerator.get() : eventIdNode.textValue().strip();
        Instant occurredAt = receivedAt;
        JsonNode occurredNode = node.get("occurredAt");
        if (occurredNode != null) {
            occurredAt = SchemaRules.parseTimestamp(occurredNode.textValue());
            String problem = limits.checkOccurredAt(occurredAt, receivedAt);
            if (problem != null) {
                violations.add(new Violation(at + "/occurredAt", problem));
                return null;
            }
        }
        return new InterestEvent(eventId, customerId, interest, resolve(location), occurredAt, receivedAt, traceId,
            false);
    }

    private Location resolve(String name) {
        Location cached = locations.get(name);
        if (cached != null) {
            return cached;
        }
        Location location = gazetteer.resolve(name);
        if (locations.size() < LOCATION_CACHE_SIZE) {
            locations.put(name, location);
        }
        return location;
    }

    /** Trims surrounding spaces and collapses inner runs of spaces to one (the schema allows no other blanks). */
    static String collapseSpaces(String text) {
        String trimmed = text.strip();
        if (trimmed.indexOf("  ") < 0) {
            return trimmed;
        }
        StringBuilder out = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c != ' ' || trimmed.charAt(i - 1) != ' ') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Escapes a member name for a JSON pointer (RFC 6901). */
    static String escape(String name) {
        return SchemaRules.escape(name);
    }
}
