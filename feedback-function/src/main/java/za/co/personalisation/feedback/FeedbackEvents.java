package za.co.personalisation.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import za.co.personalisation.core.notify.DeliveryOutcome;
import za.co.personalisation.core.profile.Channel;

/**
 * Reads the three kinds of message the feedback topic carries, in the providers' own formats:
 * <ul>
 *   <li>SES event publishing ({@code eventType} Delivery, Bounce, Complaint, Reject, and others that change
 *   nothing), also in the older notification form ({@code notificationType});</li>
 *   <li>SMS delivery receipts: AWS End User Messaging SMS events ({@code eventType} {@code TEXT_*}, {@code messageId},
 *   {@code eventTimestamp}) and SNS's SMS delivery-status records ({@code notification.messageId}, {@code status}
 *   SUCCESS or FAILURE);</li>
 *   <li>inbound SMS (two-way SMS: {@code originationNumber}, {@code messageBody}, {@code inboundMessageId}).</li>
 * </ul>
 * An SNS envelope ({@code "Type": "Notification"}, when raw delivery is off) is unwrapped first. A message that fits
 * none is {@link Invalid}, with a reason that names no personal data.
 */
final class FeedbackEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Not a feedback message; the reason names the problem, never a value from the message. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason);
        }
    }

    private static final Map<String, DeliveryOutcome> SMS_STATUSES = Map.ofEntries(
        Map.entry("TEXT_DELIVERED", DeliveryOutcome.DELIVERED),
        Map.entry("TEXT_SUCCESSFUL", DeliveryOutcome.DELIVERED),
        Map.entry("TEXT_BLOCKED", DeliveryOutcome.FAILED),
        Map.entry("TEXT_CARRIER_BLOCKED", DeliveryOutcome.FAILED),
        Map.entry("TEXT_CARRIER_UNREACHABLE", DeliveryOutcome.FAILED),
        Map.entry("TEXT_INVALID", DeliveryOutcome.FAILED),
        Map.entry("TEXT_INVALID_MESSAGE", DeliveryOutcome.FAILED),
        Map.entry("TEXT_SPAM", DeliveryOutcome.FAILED),
        Map.entry("TEXT_TTL_EXPIRED", DeliveryOutcome.FAILED),
        Map.entry("TEXT_UNREACHABLE", DeliveryOutcome.FAILED),
        Map.entry("TEXT_OPTED_OUT", DeliveryOutcome.FAILED),
        Map.entry("TEXT_UNKNOWN", DeliveryOutcome.FAILED));

    private FeedbackEvents() {
    }

    static FeedbackEvent parse(String body, Instant receivedAt) throws Invalid {
        JsonNode root = json(body, "the message is not JSON");
        if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
            root = json(root.path("Message").asText(), "the SNS notification's Message is not JSON");
        }
        if (!root.isObject()) {
            throw new Invalid("the message is not a JSON object");
        }
        if (root.has("originationNumber") || root.has("inboundMessageId")) {
            return inbound(root);
        }
        if (root.has("mail")) {
            return email(root, receivedAt);
        }
        if (root.path("eventType").asText().startsWith("TEXT_")) {
            return smsEvent(root, receivedAt);
        }
        if (root.path("notification").has("messageId") && root.has("status")) {
            return smsStatus(root, receivedAt);
        }
        throw new Invalid("not an SES event, an SMS receipt or an inbound SMS");
    }

    private static FeedbackEvent.ProviderEvent email(JsonNode root, Instant receivedAt) throws Invalid {
        String type = root.hasNonNull("eventType") ? root.path("eventType").asText()
            : root.path("notificationType").asText();
        String messageId = required(root.path("mail"), "messageId", "mail.messageId");
        Instant mailAt = instant(root.path("mail").path("timestamp"), receivedAt);
        switch (type) {
            case "Delivery" -> {
                return new FeedbackEvent.ProviderEvent(Channel.EMAIL, messageId, type, DeliveryOutcome.DELIVERED,
                    instant(root.path("delivery").path("timestamp"), mailAt), "", List.of());
            }
            case "Bounce" -> {
                JsonNode bounce = root.path("bounce");
                String bounceType = bounce.path("bounceType").asText("");
                String detail = clean(bounceType + "/" + bounce.path("bounceSubType").asText(""));
                return new FeedbackEvent.ProviderEvent(Channel.EMAIL, messageId, type,
                    "Permanent".equals(bounceType) ? DeliveryOutcome.BOUNCED : null,
                    instant(bounce.path("timestamp"), mailAt), detail,
                    addresses(bounce.path("bouncedRecipients"), root));
            }
            case "Complaint" -> {
                JsonNode complaint = root.path("complaint");
                return new FeedbackEvent.ProviderEvent(Channel.EMAIL, messageId, type, DeliveryOutcome.COMPLAINED,
                    instant(complaint.path("timestamp"), mailAt),
                    clean(complaint.path("complaintFeedbackType").asText("")),
                    addresses(complaint.path("complainedRecipients"), root));
            }
            case "Reject" -> {
                return new FeedbackEvent.ProviderEvent(Channel.EMAIL, messageId, type, DeliveryOutcome.REJECTED,
                    mailAt, clean(root.path("reject").path("reason").asText("")), List.of());
            }
            case "" -> throw new Invalid("the SES event has no eventType");
            default -> {
                // Send, Open, Click, DeliveryDelay, RenderingFailure, Subscription: nothing to record
                return new FeedbackEvent.ProviderEvent(Channel.EMAIL, messageId, clean(type), null, mailAt, "",
                    List.of());
            }
        }
    }

    private static FeedbackEvent.ProviderEvent smsEvent(JsonNode root, Instant receivedAt) throws Invalid {
        String type = root.path("eventType").asText();
        String messageId = required(root, "messageId", "messageId");
        return new FeedbackEvent.ProviderEvent(Channel.SMS, messageId, clean(type), SMS_STATUSES.get(type),
            instant(root.path("eventTimestamp"), receivedAt), clean(root.path("messageStatus").asText(type)),
            List.of());
    }

    private static FeedbackEvent.ProviderEvent smsStatus(JsonNode root, Instant receivedAt) throws Invalid {
        String messageId = required(root.path("notification"), "messageId", "notification.messageId");
        String status = root.path("status").asText();
        DeliveryOutcome outcome = switch (status) {
            case "SUCCESS" -> DeliveryOutcome.DELIVERED;
            case "FAILURE" -> DeliveryOutcome.FAILED;
            default -> null;
        };
        return new FeedbackEvent.ProviderEvent(Channel.SMS, messageId, clean("SMS_" + status), outcome,
            instant(root.path("notification").path("timestamp"), receivedAt), clean(status), List.of());
    }

    private static FeedbackEvent.InboundSms inbound(JsonNode root) throws Invalid {
        String from = required(root, "originationNumber", "originationNumber");
        String id = required(root, "inboundMessageId", "inboundMessageId");
        if (!root.path("messageBody").isTextual()) {
            throw new Invalid("the inbound SMS has no messageBody");
        }
        return new FeedbackEvent.InboundSms(from, root.path("messageBody").asText(), id,
            root.path("previousPublishedMessageId").asText(""));
    }

    /** The recipients an event names, or else the message's destinations. */
    private static List<String> addresses(JsonNode recipients, JsonNode root) {
        List<String> addresses = new ArrayList<>();
        recipients.forEach(recipient -> {
            if (recipient.path("emailAddress").isTextual()) {
                addresses.add(recipient.path("emailAddress").asText());
            }
        });
        if (addresses.isEmpty()) {
            root.path("mail").path("destination").forEach(address -> addresses.add(address.asText()));
        }
        return List.copyOf(addresses);
    }

    private static String required(JsonNode node, String field, String path) throws Invalid {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new Invalid(path + " is missing or not a non-empty string");
        }
        if (value.asText().length() > 256) {
            throw new Invalid(path + " is longer than 256 characters");
        }
        return value.asText();
    }

    /** An ISO-8601 string or epoch milliseconds; {@code fallback} when absent or unreadable. */
    private static Instant instant(JsonNode node, Instant fallback) {
        try {
            if (node.isNumber()) {
                return Instant.ofEpochMilli(node.asLong());
            }
            if (node.isTextual()) {
                String text = node.asText();
                return text.chars().allMatch(Character::isDigit) && !text.isEmpty()
                    ? Instant.ofEpochMilli(Long.parseLong(text)) : Instant.parse(text);
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            return fallback;
        }
        return fallback;
    }

    /** A provider classification, kept short and free of anything but word characters. */
    private static String clean(String text) {
        String kept = text.replaceAll("[^A-Za-z0-9_/ -]", "");
        return kept.length() > 64 ? kept.substring(0, 64) : kept;
    }

    private static JsonNode json(String text, String problem) throws Invalid {
        try {
            return MAPPER.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            throw new Invalid(problem);
        }
    }
}
