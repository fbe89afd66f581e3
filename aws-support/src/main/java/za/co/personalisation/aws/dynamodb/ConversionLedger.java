package za.co.personalisation.aws.dynamodb;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.outcome.Attribution;
import za.co.personalisation.core.outcome.DeliveryStates;
import za.co.personalisation.core.outcome.OfferReport;

/**
 * Conversions in the {@code notifications} table, beside the customer's ledger entries (docs/offers.md,
 * "Conversions"): one item per conversion, {@code notificationKey} = {@code conversion#<eventId>}, written once
 * (a put conditional on its absence), so a conversion sent again, redelivered by the stream or retried by enrich
 * is counted once. Keeping it in the customer's partition means the erasure's Query-and-delete of that partition
 * takes it too, with nothing else to extend.
 *
 * <pre>customerId S | notificationKey S ("conversion#" eventId) | eventId S | interest S | offerId S
 * value N | currency S | occurredAt S | receivedAt S | group S (sent | control | none)
 * creditedKey S | creditedOfferId S | recordedAt S | expiresAt N (TTL: occurredAt + LEDGER_RETENTION)</pre>
 *
 * No personal data: the pseudonymous id, what was bought and its value.
 */
public final class ConversionLedger {

    public static final String KEY_PREFIX = "conversion#";

    /** The outcome of recording a conversion. */
    public enum Recorded {
        /** Written now. */
        RECORDED,
        /** Its eventId was recorded before: counted once, nothing changed. */
        DUPLICATE
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration retention;

    public ConversionLedger(DynamoDbClient dynamoDb, String table, Duration retention) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.retention = retention;
    }

    /**
     * The customer's live ledger entries that a conversion may be credited to: neither cap counters, nor
     * conversions, nor replayed traffic ({@code replay#}). Read consistently.
     */
    public List<Attribution.Candidate> candidates(String customerId) {
        List<Attribution.Candidate> candidates = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamoDb.query(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("customerId = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(customerId)))
                .consistentRead(true)
                .exclusiveStartKey(start)
                .build());
            for (Map<String, AttributeValue> item : page.items()) {
                Attribution.Candidate candidate = candidate(item);
                if (candidate != null) {
                    candidates.add(candidate);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return candidates;
    }

    /** A live ledger entry as attribution sees it, or {@code null} for any other item of the partition. */
    static Attribution.Candidate candidate(Map<String, AttributeValue> item) {
        LedgerEntry entry = liveEntry(item);
        if (entry == null) {
            return null;
        }
        // sent: from when the provider accepted it; held out: from when notify decided (it would have been sent)
        Instant at = DeliveryStates.HELD_OUT.equals(entry.status()) ? entry.createdAt() : entry.sentAt();
        return new Attribution.Candidate(entry.ledgerKey(), entry.offerId(), entry.status(), entry.outcome(),
            entry.interest() == null ? "" : entry.interest(), at);
    }

    /** The item as a live notification's entry (read through {@link LedgerEntry}), or {@code null}. */
    static LedgerEntry liveEntry(Map<String, AttributeValue> item) {
        if (!LedgerEntry.isNotification(item) || text(item, "notificationKey").startsWith(KEY_PREFIX)) {
            return null;
        }
        LedgerEntry entry = LedgerEntry.from(item);
        return entry.replay() || entry.ledgerKey().startsWith("replay#") || entry.offerId() == null
            || entry.status() == null ? null : entry;
    }

    /** Records a conversion with its credit, once per eventId. */
    public Recorded record(ConversionEvent conversion, Attribution.Credit credit, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("customerId", AttributeValue.fromS(conversion.customerId()));
        item.put("notificationKey", AttributeValue.fromS(KEY_PREFIX + conversion.eventId()));
        item.put("eventId", AttributeValue.fromS(conversion.eventId()));
        item.put("interest", AttributeValue.fromS(conversion.interest()));
        item.put("offerId", AttributeValue.fromS(conversion.offerId()));
        item.put("value", AttributeValue.fromN(conversion.value().toPlainString()));
        item.put("currency", AttributeValue.fromS(conversion.currency()));
        item.put("occurredAt", AttributeValue.fromS(conversion.occurredAt().toString()));
        item.put("receivedAt", AttributeValue.fromS(conversion.receivedAt().toString()));
        item.put("group", AttributeValue.fromS(credit.group().wireName()));
        item.put("creditedKey", AttributeValue.fromS(credit.ledgerKey()));
        item.put("creditedOfferId", AttributeValue.fromS(credit.offerId()));
        item.put("recordedAt", AttributeValue.fromS(now.toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(
            conversion.occurredAt().plus(retention).getEpochSecond())));
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(customerId)")
                .build());
            return Recorded.RECORDED;
        } catch (ConditionalCheckFailedException e) {
            return Recorded.DUPLICATE;
        }
    }

    /** Whether an item of the notifications table is a recorded conversion. */
    static boolean isConversion(Map<String, AttributeValue> item) {
        return text(item, "notificationKey").startsWith(KEY_PREFIX);
    }

    /** A recorded conversion, as the offer report counts it. */
    static OfferReport.Conversion conversion(Map<String, AttributeValue> item) {
        AttributeValue value = item.get("value");
        return new OfferReport.Conversion(text(item, "customerId"), text(item, "creditedKey"),
            text(item, "creditedOfferId"), Attribution.Group.fromWire(text(item, "group")),
            value == null || value.n() == null ? BigDecimal.ZERO : new BigDecimal(value.n()), text(item, "currency"));
    }

    static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }
}
