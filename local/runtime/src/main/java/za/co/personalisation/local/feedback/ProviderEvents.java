package za.co.personalisation.local.feedback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/**
 * Delivery events and inbound SMS in the providers' own formats, as the local stack publishes them to the feedback
 * topic in the providers' place: SES event publishing (email), AWS End User Messaging SMS events (receipts) and
 * two-way SMS (replies). The feedback function reads exactly these shapes from SES and End User Messaging.
 */
final class ProviderEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The number the local stack's SMS come from (an unassigned South African number). */
    static final String ORIGINATION_NUMBER = "+27800000000";

    private ProviderEvents() {
    }

    /** An SES event: {@code Delivery}, {@code Bounce} (permanent) or {@code Complaint}. */
    static String email(String type, String messageId, String recipient, Instant at) {
        ObjectNode root = MAPPER.createObjectNode().put("eventType", type);
        ObjectNode mail = root.putObject("mail").put("messageId", messageId).put("timestamp", at.toString());
        if (!recipient.isEmpty()) {
            mail.putArray("destination").add(recipient);
        }
        switch (type) {
            case "Delivery" -> root.putObject("delivery").put("timestamp", at.toString())
                .put("smtpResponse", "250 2.6.0 Message received");
            case "Bounce" -> {
                ObjectNode bounce = root.putObject("bounce").put("bounceType", "Permanent")
                    .put("bounceSubType", "General").put("timestamp", at.toString());
                if (!recipient.isEmpty()) {
                    bounce.putArray("bouncedRecipients").addObject().put("emailAddress", recipient);
                }
            }
            case "Complaint" -> {
                ObjectNode complaint = root.putObject("complaint").put("complaintFeedbackType", "abuse")
                    .put("timestamp", at.toString());
                if (!recipient.isEmpty()) {
                    complaint.putArray("complainedRecipients").addObject().put("emailAddress", recipient);
                }
            }
            default -> throw new IllegalArgumentException("no local SES event " + type);
        }
        return root.toString();
    }

    /** An End User Messaging SMS event: {@code TEXT_DELIVERED}. */
    static String smsDelivered(String messageId, String phone, Instant at) {
        return MAPPER.createObjectNode().put("eventType", "TEXT_DELIVERED").put("eventVersion", "1.0")
            .put("eventTimestamp", at.toEpochMilli()).put("messageId", messageId)
            .put("destinationPhoneNumber", phone).put("messageStatus", "DELIVERED")
            .put("messageStatusDescription", "Message has been accepted by phone").toString();
    }

    /** A two-way SMS message: a reply from {@code from}. */
    static String inboundSms(String from, String text, String inboundMessageId) {
        return MAPPER.createObjectNode().put("originationNumber", from)
            .put("destinationNumber", ORIGINATION_NUMBER)
            .put("messageKeyword", "KEYWORD_" + ORIGINATION_NUMBER.substring(1).toUpperCase(Locale.ROOT))
            .put("messageBody", text).put("inboundMessageId", inboundMessageId)
            .put("previousPublishedMessageId", "").toString();
    }
}
