package za.co.personalisation.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

/**
 * Validates the customer endpoints' requests with the same schema and the same strictness as events
 * ({@code $defs/CustomerId}, {@code ContactRequest}, {@code ConsentRequest}) and turns them into what ingest
 * stores: {@link ContactDetails} for the contacts table, {@link ConsentEvent}s and an {@link ErasureEvent} for the
 * stream.
 */
public final class CustomerRequestParser {

    private final SchemaRules.StringRule customerIdRule;
    private final SchemaRules.ObjectRule contactRule;
    private final SchemaRules.ObjectRule consentRule;
    private final EventLimits limits;
    private final Supplier<String> idGenerator;

    public CustomerRequestParser(SchemaRules rules, EventLimits limits, Supplier<String> idGenerator) {
        this.customerIdRule = rules.string("CustomerId");
        this.contactRule = rules.object("ContactRequest");
        this.consentRule = rules.object("ConsentRequest");
        this.limits = limits;
        this.idGenerator = idGenerator;
    }

    /**
     * The customer id of the path ({@code /customers/{id}/…}).
     *
     * @throws InvalidRequestException with pointer {@code ""} when it is not a valid id
     */
    public String customerId(String pathParameter) {
        if (pathParameter == null || pathParameter.isEmpty()) {
            throw new InvalidRequestException("", "path parameter id is missing");
        }
        String problem = customerIdRule.check(pathParameter);
        if (problem == null && !pathParameter.strip().equals(pathParameter)) {
            problem = "must not have surrounding spaces";
        }
        if (problem != null) {
            throw new InvalidRequestException("", "path parameter id " + problem);
        }
        return pathParameter;
    }

    /** Parses a contact body. @throws InvalidRequestException listing every violation */
    public ContactDetails contact(String customerId, byte[] body) {
        JsonNode root = JsonBodies.read(body, "the body is empty; send the contact details as a JSON object");
        List<Violation> violations = new ArrayList<>(2);
        contactRule.validate(root, "", violations);
        if (violations.isEmpty()) {
            String zone = root.get("timeZone").textValue();
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                violations.add(new Violation("/timeZone", "is not a time zone of the IANA database, e.g."
                    + " Africa/Johannesburg"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new ContactDetails(customerId, text(root, "phone"), text(root, "email"), text(root, "locale"),
            text(root, "timeZone"));
    }

    /** Parses a consent body into one event per channel named. @throws InvalidRequestException */
    public List<ConsentEvent> consent(String customerId, byte[] body, Instant receivedAt, String traceId) {
        JsonNode root = JsonBodies.read(body, "the body is empty; send {\"sms\":\"granted\"} or the like");
        List<Violation> violations = new ArrayList<>(2);
        consentRule.validate(root, "", violations);
        Instant occurredAt = receivedAt;
        if (violations.isEmpty() && root.has("occurredAt")) {
            occurredAt = SchemaRules.parseTimestamp(root.get("occurredAt").textValue());
            String problem = limits.checkOccurredAt(occurredAt, receivedAt);
            if (problem != null) {
                violations.add(new Violation("/occurredAt", problem));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        List<ConsentEvent> events = new ArrayList<>(2);
        for (Channel channel : Channel.values()) {
            String state = text(root, channel.wireName());
            if (state != null) {
                events.add(new ConsentEvent(idGenerator.get(), customerId, channel, Consent.State.fromWire(state),
                    occurredAt, receivedAt, traceId, false));
            }
        }
        return events;
    }

    /** The erasure of a customer: {@code DELETE /customers/{id}} takes no body. @throws InvalidRequestException */
    public ErasureEvent erasure(String customerId, byte[] body, Instant receivedAt, String traceId) {
        if (body != null && body.length > 0) {
            throw new InvalidRequestException("", "DELETE /customers/{id} takes no body; send none");
        }
        return new ErasureEvent(idGenerator.get(), customerId, receivedAt, receivedAt, traceId, false);
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        return value == null ? null : value.textValue();
    }
}
