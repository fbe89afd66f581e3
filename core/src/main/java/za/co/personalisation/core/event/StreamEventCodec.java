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
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

/**
 * The stream record for every {@link StreamEvent} kind: a versioned JSON envelope whose {@code schema} names the
 * kind and version. No kind carries a phone number, an email address or a name.
 *
 * <pre>{"schema":"interest-event/1","eventId":"…","customerId":"…","interest":"electronics",
 *  "location":{"key":"ZA/WC/cape-town","name":"Cape Town","known":true},
 *  "occurredAt":"…","receivedAt":"…","traceId":"…","replay":false}
 * {"schema":"consent-event/1","eventId","customerId","channel":"sms|email","state":"granted|revoked",
 *  "occurredAt","receivedAt","traceId","replay"}
 * {"schema":"erasure-event/1","eventId","customerId","occurredAt","receivedAt","traceId","replay"}
 * {"schema":"conversion-event/1","eventId","customerId","interest","offerId","value":"249.90","currency":"ZAR",
 *  "occurredAt","receivedAt","traceId","replay"}</pre>
 * A conversion's {@code value} is a decimal string, so that it stays exact; {@code offerId} and {@code currency} are
 * empty and {@code value} is {@code "0"} when the client gave none.
 *
 * Every kind shares the head ({@code schema}, {@code eventId}, {@code customerId}) and the tail
 * ({@code occurredAt}, {@code receivedAt}, {@code traceId}, {@code replay}); a record that is not a valid envelope
 * is an {@link InvalidRecordException} naming what is wrong.
 */
public final class StreamEventCodec {

    public static final String INTEREST_SCHEMA = "interest-event/1";
    public static final String CONSENT_SCHEMA = "consent-event/1";
    public static final String ERASURE_SCHEMA = "erasure-event/1";
    public static final String CONVERSION_SCHEMA = "conversion-event/1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private StreamEventCodec() {
    }

    public static byte[] encode(StreamEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(event instanceof InterestEvent ? 320 : 256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("schema", schemaOf(event));
            json.writeStringField("eventId", event.eventId());
            json.writeStringField("customerId", event.customerId());
            if (event instanceof InterestEvent interest) {
                json.writeStringField("interest", interest.interest());
                json.writeObjectFieldStart("location");
                json.writeStringField("key", interest.location().key());
                json.writeStringField("name", interest.location().name());
                json.writeBooleanField("known", interest.location().known());
                json.writeEndObject();
            } else if (event instanceof ConsentEvent consent) {
                json.writeStringField("channel", consent.channel().wireName());
                json.writeStringField("state", consent.state().wireName());
            } else if (event instanceof ConversionEvent conversion) {
                json.writeStringField("interest", conversion.interest());
                json.writeStringField("offerId", conversion.offerId());
                json.writeStringField("value", conversion.value().toPlainString());
                json.writeStringField("currency", conversion.currency());
            }
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

    private static String schemaOf(StreamEvent event) {
        if (event instanceof InterestEvent) {
            return INTEREST_SCHEMA;
        }
        return event instanceof ConsentEvent ? CONSENT_SCHEMA
            : event instanceof ConversionEvent ? CONVERSION_SCHEMA : ERASURE_SCHEMA;
    }

    /**
     * Decodes any stream record.
     *
     * @throws InvalidRecordException naming what is wrong
     */
    public static StreamEvent decode(byte[] data) {
        JsonNode root = readEnvelope(data);
        String schema = root.path("schema").asText("");
        return switch (schema) {
            case INTEREST_SCHEMA -> interest(root);
            case CONSENT_SCHEMA, ERASURE_SCHEMA -> fields(() -> schema.equals(CONSENT_SCHEMA)
                ? new ConsentEvent(required(root, "eventId"), required(root, "customerId"),
                    Channel.fromWire(required(root, "channel")), Consent.State.fromWire(required(root, "state")),
                    Instant.parse(required(root, "occurredAt")), Instant.parse(required(root, "receivedAt")),
                    root.path("traceId").asText(""), root.path("replay").asBoolean(false))
                : new ErasureEvent(required(root, "eventId"), required(root, "customerId"),
                    Instant.parse(required(root, "occurredAt")), Instant.parse(required(root, "receivedAt")),
                    root.path("traceId").asText(""), root.path("replay").asBoolean(false)));
            case CONVERSION_SCHEMA -> conversion(root);
            default -> throw new InvalidRecordException("unsupported schema '" + schema + "', expected "
                + INTEREST_SCHEMA + ", " + CONSENT_SCHEMA + ", " + ERASURE_SCHEMA + " or " + CONVERSION_SCHEMA);
        };
    }

    /** A conversion: {@code value} is a decimal string (exact); {@code offerId} and {@code currency} may be empty. */
    private static ConversionEvent conversion(JsonNode root) {
        String value = root.path("value").asText("0");
        BigDecimal amount;
        try {
            amount = new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException("value '" + (value.length() > 20 ? value.substring(0, 20) + "…" : value)
                + "' is not a decimal number");
        }
        if (amount.precision() - amount.scale() > 12 || amount.scale() > 4) {
            throw new InvalidRecordException("value has more than 12 integer or 4 fraction digits");
        }
        return fields(() -> new ConversionEvent(required(root, "eventId"), required(root, "customerId"),
            required(root, "interest"), root.path("offerId").asText(""), amount, root.path("currency").asText(""),
            Instant.parse(required(root, "occurredAt")), Instant.parse(required(root, "receivedAt")),
            root.path("traceId").asText(""), root.path("replay").asBoolean(false)));
    }

    /**
     * Decodes a stream record that must be an interest event.
     *
     * @throws InvalidRecordException naming what is wrong, a record of another kind included
     */
    public static InterestEvent decodeInterest(byte[] data) {
        JsonNode root = readEnvelope(data);
        String schema = root.path("schema").asText("");
        if (!INTEREST_SCHEMA.equals(schema)) {
            throw new InvalidRecordException("unsupported schema '" + schema + "', expected " + INTEREST_SCHEMA);
        }
        return interest(root);
    }

    private static InterestEvent interest(JsonNode root) {
        JsonNode location = root.path("location");
        boolean known = location.path("known").asBoolean(false);
        return fields(() -> new InterestEvent(
            required(root, "eventId"),
            required(root, "customerId"),
            required(root, "interest"),
            known ? new Location(required(location, "key"), required(location, "name"), true)
                : Location.unknown(required(location, "name")),
            Instant.parse(required(root, "occurredAt")),
            Instant.parse(required(root, "receivedAt")),
            root.path("traceId").asText(""),
            root.path("replay").asBoolean(false)));
    }

    /** Parses a stream record into its JSON object (strict: duplicate keys refused). */
    private static JsonNode readEnvelope(byte[] data) {
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

    /** Builds an event from an envelope's fields; a field that does not parse makes the record invalid. */
    private static <T extends StreamEvent> T fields(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException("a timestamp is not ISO-8601: " + e.getParsedString());
        } catch (InvalidRecordException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(e.getMessage());
        }
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new InvalidRecordException("field '" + field + "' is missing or not a non-empty string");
        }
        return value.textValue();
    }
}
