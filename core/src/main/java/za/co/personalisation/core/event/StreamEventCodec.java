package za.co.personalisation.core.event;

import static za.co.personalisation.core.event.InterestEventCodec.required;

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
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

/**
 * The stream record for every {@link StreamEvent} kind: a JSON envelope whose {@code schema} names the kind and
 * version. Interest events use {@link InterestEventCodec}'s layout ({@value InterestEventCodec#SCHEMA}); the others:
 *
 * <pre>{"schema":"consent-event/1","eventId","customerId","channel":"sms|email","state":"granted|revoked",
 *  "occurredAt","receivedAt","traceId","replay"}
 * {"schema":"erasure-event/1","eventId","customerId","occurredAt","receivedAt","traceId","replay"}
 * {"schema":"conversion-event/1","eventId","customerId","interest","offerId","value":"249.90","currency":"ZAR",
 *  "occurredAt","receivedAt","traceId","replay"}</pre>
 * A conversion's {@code value} is a decimal string, so that it stays exact; {@code offerId} and {@code currency} are
 * empty and {@code value} is {@code "0"} when the client gave none.
 *
 * No kind carries a phone number, an email address or a name.
 */
public final class StreamEventCodec {

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
        if (event instanceof InterestEvent interest) {
            return InterestEventCodec.encode(interest);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            if (event instanceof ConsentEvent consent) {
                json.writeStringField("schema", CONSENT_SCHEMA);
                json.writeStringField("eventId", consent.eventId());
                json.writeStringField("customerId", consent.customerId());
                json.writeStringField("channel", consent.channel().wireName());
                json.writeStringField("state", consent.state().wireName());
            } else if (event instanceof ConversionEvent conversion) {
                json.writeStringField("schema", CONVERSION_SCHEMA);
                json.writeStringField("eventId", conversion.eventId());
                json.writeStringField("customerId", conversion.customerId());
                json.writeStringField("interest", conversion.interest());
                json.writeStringField("offerId", conversion.offerId());
                json.writeStringField("value", conversion.value().toPlainString());
                json.writeStringField("currency", conversion.currency());
            } else {
                json.writeStringField("schema", ERASURE_SCHEMA);
                json.writeStringField("eventId", event.eventId());
                json.writeStringField("customerId", event.customerId());
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

    /**
     * Decodes any stream record.
     *
     * @throws InterestEventCodec.InvalidRecordException naming what is wrong
     */
    public static StreamEvent decode(byte[] data) {
        JsonNode root = InterestEventCodec.readEnvelope(data);
        String schema = root.path("schema").asText("");
        try {
            return switch (schema) {
                case InterestEventCodec.SCHEMA -> InterestEventCodec.decode(root);
                case CONSENT_SCHEMA -> new ConsentEvent(required(root, "eventId"), required(root, "customerId"),
                    Channel.fromWire(required(root, "channel")), Consent.State.fromWire(required(root, "state")),
                    Instant.parse(required(root, "occurredAt")), Instant.parse(required(root, "receivedAt")),
                    root.path("traceId").asText(""), root.path("replay").asBoolean(false));
                case ERASURE_SCHEMA -> new ErasureEvent(required(root, "eventId"), required(root, "customerId"),
                    Instant.parse(required(root, "occurredAt")), Instant.parse(required(root, "receivedAt")),
                    root.path("traceId").asText(""), root.path("replay").asBoolean(false));
                case CONVERSION_SCHEMA -> conversion(root);
                default -> throw new InterestEventCodec.InvalidRecordException("unsupported schema '" + schema
                    + "', expected " + InterestEventCodec.SCHEMA + ", " + CONSENT_SCHEMA + ", " + ERASURE_SCHEMA
                    + " or " + CONVERSION_SCHEMA);
            };
        } catch (DateTimeParseException e) {
            throw new InterestEventCodec.InvalidRecordException("a timestamp is not ISO-8601: "
                + e.getParsedString());
        } catch (InterestEventCodec.InvalidRecordException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InterestEventCodec.InvalidRecordException(e.getMessage());
        }
    }

    private static ConversionEvent conversion(JsonNode root) {
        String value = root.path("value").asText("0");
        BigDecimal amount;
        try {
            amount = new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new InterestEventCodec.InvalidRecordException("value '" + (value.length() > 20 ? value.substring(0,
                20) + "…" : value) + "' is not a decimal number");
        }
        if (amount.precision() - amount.scale() > 12 || amount.scale() > 4) {
            throw new InterestEventCodec.InvalidRecordException("value has more than 12 integer or 4 fraction digits");
        }
        return new ConversionEvent(required(root, "eventId"), required(root, "customerId"),
            required(root, "interest"), root.path("offerId").asText(""), amount, root.path("currency").asText(""),
            Instant.parse(required(root, "occurredAt")), Instant.parse(required(root, "receivedAt")),
            root.path("traceId").asText(""), root.path("replay").asBoolean(false));
    }
}
