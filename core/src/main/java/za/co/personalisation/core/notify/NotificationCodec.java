package za.co.personalisation.core.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import za.co.personalisation.core.profile.Channel;

/**
 * The JSON form of a {@link Notification} on the SNS topic and the SQS queues behind it:
 *
 * <pre>{"schema":"offer-notification/1","customerId","offerId","channel":"sms|email","eventId","interest",
 *  "locationRule","catalogVersion","trigger","replay":false,"createdAt","traceId"}</pre>
 *
 * Ids only: no phone number, email address or name.
 */
public final class NotificationCodec {

    public static final String SCHEMA = "offer-notification/1";
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private NotificationCodec() {
    }

    public static String encode(Notification notification) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("schema", SCHEMA);
        json.put("customerId", notification.customerId());
        json.put("offerId", notification.offerId());
        json.put("channel", notification.channel().wireName());
        json.put("eventId", notification.eventId());
        json.put("interest", notification.interest());
        json.put("locationRule", notification.locationRule());
        json.put("catalogVersion", notification.catalogVersion());
        json.put("trigger", notification.trigger());
        json.put("replay", notification.replay());
        json.put("createdAt", notification.createdAt().toString());
        json.put("traceId", notification.traceId());
        return json.toString();
    }

    /** @throws IllegalArgumentException naming what is wrong with the message */
    public static Notification decode(String body) {
        JsonNode json;
        try {
            json = body == null ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("notification is not JSON: " + e.getClass().getSimpleName());
        }
        if (json == null || !json.isObject() || !SCHEMA.equals(json.path("schema").asText())) {
            throw new IllegalArgumentException("not a " + SCHEMA + " message");
        }
        JsonNode replay = json.path("replay");
        if (!replay.isMissingNode() && !replay.isBoolean()) {
            throw new IllegalArgumentException("field 'replay' must be true or false");
        }
        try {
            return new Notification(
                required(json, "customerId"),
                required(json, "offerId"),
                Channel.fromWire(required(json, "channel")),
                required(json, "eventId"),
                required(json, "interest"),
                required(json, "locationRule"),
                required(json, "catalogVersion"),
                json.path("trigger").asText(""),
                replay.asBoolean(false),
                Instant.parse(required(json, "createdAt")),
                json.path("traceId").asText(""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("createdAt is not ISO-8601");
        }
    }

    private static String required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value.textValue();
    }
}
