package za.co.personalisation.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Validates and normalises a {@code POST /conversions} body ({@code $defs/ConversionRequest} of the request schema)
 * into a {@link ConversionEvent}, with the same strictness as events: every violation with its JSON pointer,
 * unknown fields refused. Adds the rules a schema cannot state: {@code value} and {@code currency} come together,
 * and {@code occurredAt} lies within the window events are accepted in ({@link EventLimits}).
 *
 * <p>The {@code eventId} is required (not assigned): a conversion is counted once per eventId, so a client that
 * retries must be able to send the same one again.
 */
public final class ConversionRequestParser {

    private final SchemaRules.ObjectRule rule;
    private final EventLimits limits;

    public ConversionRequestParser(SchemaRules rules, EventLimits limits) {
        this.rule = rules.object("ConversionRequest");
        this.limits = limits;
    }

    /** @throws InvalidRequestException listing every violation */
    public ConversionEvent parse(byte[] body, Instant receivedAt, String traceId) {
        JsonNode root = JsonBodies.read(body, "the body is empty; send one conversion as a JSON object");
        List<Violation> violations = new ArrayList<>(2);
        rule.validate(root, "", violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        if (root.has("value") != root.has("currency")) {
            violations.add(root.has("value") ? new Violation("/currency", "is required with value")
                : new Violation("/value", "is required with currency"));
        }
        Instant occurredAt = SchemaRules.parseTimestamp(root.get("occurredAt").textValue());
        String problem = limits.checkOccurredAt(occurredAt, receivedAt);
        if (problem != null) {
            violations.add(new Violation("/occurredAt", problem));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        String interest = EventRequestParser.collapseSpaces(root.get("interest").textValue())
            .toLowerCase(Locale.ROOT);
        BigDecimal value = root.has("value") ? new BigDecimal(root.get("value").textValue()) : BigDecimal.ZERO;
        return new ConversionEvent(root.get("eventId").textValue().strip(), root.get("customerId").textValue().strip(),
            interest, text(root, "offerId"), value, text(root, "currency"), occurredAt, receivedAt, traceId, false);
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value == null ? "" : value.textValue();
    }
}
