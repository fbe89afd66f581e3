package za.co.personalisation.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import za.co.personalisation.core.location.Location;

/**
 * The stream record: a versioned JSON envelope of an {@link InterestEvent}. It carries ids, the interest and the
 * place; never a phone number, an email address or a name.
 *
 * <pre>{"schema":"interest-event/1","eventId":"…","customerId":"…","interest":"electronics",
 *  "location":{"key":"ZA/WC/cape-town","name":"Cape Town","known":true},
 *  "occurredAt":"…","receivedAt":"…","traceId":"…","replay":false}</pre>
 */
public final class InterestEventCodec {

    public static final String SCHEMA = "interest-event/1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private InterestEventCodec() {
    }

    public static byte[] encode(InterestEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("schema", SCHEMA);
            json.writeStringField("eventId", event.eventId());
            json.writeStringField("customerId", event.customerId());
            json.writeStringField("interest", event.interest());
            json.writeObjectFieldStart("location");
            json.writeStringField("key", event.location().key());
            json.writeStringField("name", event.location().name());
            json.writeBooleanField("known", event.location().known());
            json.writeEndObject();
            json.writeStringField("occurredAt", event.occurredAt().toString());
            json.writeStringField("receivedAt", event.receivedAt().toString());
            json.writeStringField("traceId", event.traceId());
            json.writeBooleanField("replay", event.replay());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event " + event.eventId(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a stream record.
     *
     * @throws InvalidRecordException naming what is wrong, when the record is not a valid envelope
     */
    public static InterestEvent decode(byte[] data) {
        return decode(readEnvelope(data));
    }

    /** Parses a stream record into its JSON object (strict: duplicate keys refused), for every record kind. */
    static JsonNode readEnvelope(byte[] data) {
        JsonNode root;
        try {
            root = MAPPER.readTree(data);
        } catch (IOException e) {
            throw new InvalidRecordException("not JSON: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException("not a JSON object");
        }
        return root;
    }

    /** Decodes an already parsed envelope (StreamEventCodec parses once and dispatches on the schema). */
    static InterestEvent decode(JsonNode root) {
        String schema = root.path("schema").asText("");
        if (!SCHEMA.equals(schema)) {
            throw new InvalidRecordException("unsupported schema '" + schema + "', expected " + SCHEMA);
        }
        JsonNode location = root.path("location");
        boolean known = location.path("known").asBoolean(false);
        try {
            return new InterestEvent(
                required(root, "eventId"),
                required(root, "customerId"),
                required(root, "interest"),
                known ? new Location(required(location, "key"), required(location, "name"), true)
                    : Location.unknown(required(location, "name")),
                Instant.parse(required(root, "occurredAt")),
                Instant.parse(required(root, "receivedAt")),
                root.path("traceId").asText(""),
                root.path("replay").asBoolean(false));
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException("a timestamp is not ISO-8601: " + e.getParsedString());
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(e.getMessage());
        }
    }

    static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new InvalidRecordException("field '" + field + "' is missing or not a non-empty string");
        }
        return value.textValue();
    }

    /** A stream record that can never be applied; it goes to the failed-events queue with this reason. */
    public static final class InvalidRecordException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public InvalidRecordException(String reason) {
            super(reason);
        }
    }
}
