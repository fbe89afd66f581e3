package za.co.personalisation.local.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import za.co.personalisation.aws.http.Problem;
import za.co.personalisation.core.event.Violation;
import za.co.personalisation.local.api.LocalPages;
import za.co.personalisation.local.outbox.Outbox;

/**
 * {@code POST /local/inbound-sms} {@code {"from": "+27...", "text": "STOP"}} and {@code POST /local/email-events}
 * {@code {"messageId": "...", "type": "bounce" | "complaint"}}: what a customer's phone and mail server would cause
 * on AWS, published to the feedback topic in the providers' formats, so tests and the page drive the same path as
 * production. 202 with the id published; 400 problem+json naming every bad field.
 */
public final class LocalFeedbackApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Map<String, String> EMAIL_TYPES = Map.of("bounce", "Bounce", "complaint", "Complaint");

    private final Consumer<String> publish;
    private final Supplier<List<Outbox.Sent>> outbox;
    private final Supplier<java.time.Instant> now;

    public LocalFeedbackApi(Consumer<String> publish, Supplier<List<Outbox.Sent>> outbox,
        Supplier<java.time.Instant> now) {
        this.publish = publish;
        this.outbox = outbox;
        this.now = now;
    }

    public LocalPages.Reply inboundSms(byte[] body) {
        List<Violation> violations = new ArrayList<>();
        JsonNode root = object(body, Set.of("from", "text"), violations);
        if (root == null) {
            return invalid(violations);
        }
        JsonNode from = root.path("from");
        JsonNode text = root.path("text");
        if (!from.isTextual() || !E164.matcher(from.asText()).matches()) {
            violations.add(new Violation("/from", "must be a phone number in E.164 form, e.g. +27821234567"));
        }
        if (!text.isTextual() || text.asText().isEmpty() || text.asText().length() > 1600) {
            violations.add(new Violation("/text", "must be a string of 1 to 1600 characters"));
        }
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        String id = UUID.randomUUID().toString();
        publish.accept(ProviderEvents.inboundSms(from.asText(), text.asText(), id));
        return accepted(Map.of("inboundMessageId", id));
    }

    public LocalPages.Reply emailEvent(byte[] body) {
        List<Violation> violations = new ArrayList<>();
        JsonNode root = object(body, Set.of("messageId", "type"), violations);
        if (root == null) {
            return invalid(violations);
        }
        JsonNode messageId = root.path("messageId");
        JsonNode type = root.path("type");
        if (!messageId.isTextual() || messageId.asText().isBlank() || messageId.asText().length() > 256) {
            violations.add(new Violation("/messageId", "must be a provider message id: a string of 1 to 256"
                + " characters"));
        }
        if (!type.isTextual() || !EMAIL_TYPES.containsKey(type.asText())) {
            violations.add(new Violation("/type", "must be \"bounce\" or \"complaint\""));
        }
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        // the event names the address the message went to, as SES's does; an id the outbox does not know is sent
        // without one (the feedback function dead-letters it as an unknown message id)
        String recipient = outbox.get().stream()
            .filter(sent -> sent.channel().equals("email") && sent.providerMessageId().equals(messageId.asText()))
            .map(Outbox.Sent::recipient).findFirst().orElse("");
        publish.accept(ProviderEvents.email(EMAIL_TYPES.get(type.asText()), messageId.asText(), recipient,
            now.get()));
        return accepted(Map.of("messageId", messageId.asText(), "type", type.asText()));
    }

    /** The body as a JSON object with only the allowed fields, or {@code null} with the violations filled in. */
    private static JsonNode object(byte[] body, Set<String> allowed, List<Violation> violations) {
        JsonNode root;
        try {
            root = MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            violations.add(new Violation("", "the body must be a JSON object"));
            return null;
        }
        if (root == null || !root.isObject()) {
            violations.add(new Violation("", "the body must be a JSON object"));
            return null;
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                violations.add(new Violation("/" + name, "is not a known field; allowed: " + allowed));
            }
        }
        return root;
    }

    private static LocalPages.Reply invalid(List<Violation> violations) {
        return new LocalPages.Reply(400, Problem.CONTENT_TYPE, Problem.json(400, "invalid-request",
            "The request is not valid", "The request has " + violations.size() + " problem(s): see violations.",
            violations).getBytes(StandardCharsets.UTF_8));
    }

    private static LocalPages.Reply accepted(Map<String, String> body) {
        try {
            return new LocalPages.Reply(202, "application/json", MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
