package za.co.personalisation.local.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import za.co.personalisation.aws.dynamodb.DeliveryOutcomes;
import za.co.personalisation.aws.dynamodb.LedgerEntry;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.core.notify.DeliveryOutcome;
import za.co.personalisation.local.emulator.MotoServer;

/**
 * Every SMS and email the emulator recorded as sent, joined with the notification ledger by the provider's
 * message id, so each message shows which customer, offer and interest event it was for.
 *
 * <p>This is the local stand-in for the SMS gateway's and the mail provider's delivery logs, so it shows the
 * recipient; the console and the function logs never do.
 */
public final class Outbox {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One delivered message. {@code subject} is empty for SMS. {@code delivery} is what the delivery events said
     * (the ledger entry's outcome: {@code delivered}, {@code bounced}, {@code complained}, {@code opted_out}, …),
     * {@code awaiting} while none has arrived.
     */
    public record Message(String channel, String providerMessageId, String recipient, String subject, String text,
        String customerId, String offerId, String eventId, String sentAt, String delivery) {
    }

    /** A message the emulator recorded as sent, without the ledger: what a provider would send receipts for. */
    public record Sent(String channel, String providerMessageId, String recipient) {
    }

    private final MotoServer moto;
    private final DynamoDbClient dynamoDb;
    private final String ledgerTable;
    private final DeliveryOutcomes outcomes;

    public Outbox(MotoServer moto, DynamoDbClient dynamoDb, String ledgerTable) {
        this.moto = moto;
        this.dynamoDb = dynamoDb;
        this.ledgerTable = ledgerTable;
        this.outcomes = new DeliveryOutcomes(dynamoDb, ledgerTable);
    }

    /** What the emulator recorded as sent, in order, without reading the ledger. */
    public List<Sent> sent() {
        JsonNode recorded = recorded();
        List<Sent> sent = new ArrayList<>();
        for (JsonNode sms : recorded.path("sms")) {
            sent.add(new Sent("sms", sms.path("messageId").asText(), sms.path("phoneNumber").asText()));
        }
        for (JsonNode email : recorded.path("email")) {
            List<String> to = new ArrayList<>();
            email.path("destinations").path("ToAddresses").forEach(address -> to.add(address.asText()));
            sent.add(new Sent("email", email.path("messageId").asText(), String.join(", ", to)));
        }
        return sent;
    }

    private JsonNode recorded() {
        try {
            return MAPPER.readTree(moto.outboxJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages in the order the emulator recorded them. */
    public List<Message> messages() {
        return messages(true);
    }

    /**
     * Messages in the order the emulator recorded them; with {@code join} false, without the ledger's customer,
     * offer, event and time (no scan of the ledger: what a poller needs to see whether anything is new).
     */
    public List<Message> messages(boolean join) {
        JsonNode recorded = recorded();
        Map<String, Map<String, AttributeValue>> ledger = join ? sentByProviderId() : Map.of();
        List<Message> messages = new ArrayList<>();
        for (JsonNode sms : recorded.path("sms")) {
            String id = sms.path("messageId").asText();
            messages.add(message("sms", id, sms.path("phoneNumber").asText(), "", sms.path("message").asText(),
                ledger.get(id)));
        }
        for (JsonNode email : recorded.path("email")) {
            String id = email.path("messageId").asText();
            List<String> to = new ArrayList<>();
            email.path("destinations").path("ToAddresses").forEach(address -> to.add(address.asText()));
            messages.add(message("email", id, String.join(", ", to), email.path("subject").asText(),
                email.path("body").asText(), ledger.get(id)));
        }
        return messages;
    }

    /**
     * The message joined with its ledger entry, found by the ledger's providerMessageId index (a Query and a GetItem),
     * not by scanning the ledger; as it was (empty customer) when no entry is recorded as sent under its id yet.
     */
    public Message join(Message message) {
        Map<String, AttributeValue> entry = outcomes.itemByProviderMessageId(message.providerMessageId());
        return entry == null ? message : message(message.channel(), message.providerMessageId(), message.recipient(),
            message.subject(), message.text(), entry);
    }

    private static Message message(String channel, String id, String recipient, String subject, String text,
        Map<String, AttributeValue> entry) {
        return new Message(channel, id, recipient, subject, text,
            entry == null ? "" : entry.get("customerId").s(),
            entry == null ? "" : entry.get("offerId").s(),
            entry == null ? "" : entry.get("eventId").s(),
            entry == null ? "" : entry.get("updatedAt").s(),
            entry == null ? "" : delivery(entry));
    }

    private static String delivery(Map<String, AttributeValue> item) {
        DeliveryOutcome outcome = LedgerEntry.from(item).outcome();
        return outcome == null ? "awaiting" : outcome.wireName();
    }

    private Map<String, Map<String, AttributeValue>> sentByProviderId() {
        Map<String, Map<String, AttributeValue>> byId = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(b -> b.tableName(ledgerTable).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue status = item.get("status");
                AttributeValue provider = item.get("providerMessageId");
                if (status != null && NotificationLedger.SENT.equals(status.s()) && provider != null) {
                    byId.put(provider.s(), item);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return byId;
    }

    /** A phone number or address with most characters hidden, for the console. */
    public static String mask(String recipient) {
        if (recipient.contains("@")) {
            int at = recipient.indexOf('@');
            return recipient.charAt(0) + "***" + recipient.substring(at);
        }
        return recipient.length() <= 4 ? "***" : recipient.substring(0, 3) + "*****"
            + recipient.substring(recipient.length() - 2);
    }
}
