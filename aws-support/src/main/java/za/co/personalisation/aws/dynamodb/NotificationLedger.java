package za.co.personalisation.aws.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import za.co.personalisation.core.notify.Notification;

/**
 * The {@code notifications} table: one item per customer × offer × channel (key {@code customerId},
 * {@code notificationKey} = {@code offerId#channel}), expiring by TTL ({@code expiresAt}). A conditional put is
 * what makes "at most once per customer per offer per channel" true under retries, parallel invocations and
 * replays; conditional status transitions make delivery happen once.
 *
 * <p>Status: {@code pending} (claimed by notify, not yet confirmed published) → {@code queued} (published) →
 * {@code sending} (claimed by deliver) → {@code sent} | {@code failed} | {@code suppressed}.
 */
public final class NotificationLedger {

    public static final String PENDING = "pending";
    public static final String QUEUED = "queued";
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String SUPPRESSED = "suppressed";

    /** The outcome of a claim. */
    public enum Claim {
        /** A new ledger entry: publish it. */
        CLAIMED,
        /** Claimed before but not confirmed published (a retry after a crash): publish it again. */
        UNCONFIRMED,
        /** Already published or delivered: a duplicate, do nothing. */
        DUPLICATE
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration retention;

    public NotificationLedger(DynamoDbClient dynamoDb, String table, Duration retention) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.retention = retention;
    }

    /** Claims the notification's ledger entry with a put conditional on its absence. */
    public Claim claim(Notification notification) {
        Map<String, AttributeValue> item = new HashMap<>(key(notification.customerId(), notification.ledgerKey()));
        item.put("status", s(PENDING));
        item.put("offerId", s(notification.offerId()));
        item.put("channel", s(notification.channel().wireName()));
        item.put("eventId", s(notification.eventId()));
        item.put("interest", s(notification.interest()));
        item.put("locationRule", s(notification.locationRule()));
        item.put("catalogVersion", s(notification.catalogVersion()));
        item.put("replay", AttributeValue.fromBool(notification.replay()));
        item.put("traceId", s(notification.traceId()));
        item.put("createdAt", s(notification.createdAt().toString()));
        item.put("updatedAt", s(notification.createdAt().toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(
            notification.createdAt().plus(retention).getEpochSecond())));
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(customerId)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build());
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = e.hasItem() ? e.item() : get(notification.customerId(),
                notification.ledgerKey());
            String status = existing == null || !existing.containsKey("status") ? "" : existing.get("status").s();
            return PENDING.equals(status) ? Claim.UNCONFIRMED : Claim.DUPLICATE;
        }
    }

    /** Moves an entry from one of {@code from} to {@code to}; false when it was in none of them. */
    public boolean transition(String customerId, String ledgerKey, List<String> from, String to, Instant now,
        Map<String, String> details) {
        Map<String, AttributeValue> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        names.put("#status", "status");
        StringBuilder set = new StringBuilder("SET #status = :to, updatedAt = :now");
        values.put(":to", s(to));
        values.put(":now", s(now.toString()));
        StringBuilder condition = new StringBuilder("#status IN (");
        for (int i = 0; i < from.size(); i++) {
            condition.append(i == 0 ? "" : ", ").append(":from").append(i);
            values.put(":from" + i, s(from.get(i)));
        }
        condition.append(')');
        int n = 0;
        for (Map.Entry<String, String> detail : details.entrySet()) {
            names.put("#d" + n, detail.getKey());
            values.put(":d" + n, s(detail.getValue()));
            set.append(", #d").append(n).append(" = :d").append(n);
            n++;
        }
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(customerId, ledgerKey))
                .updateExpression(set.toString())
                .conditionExpression(condition.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The entry, or {@code null}. */
    public Map<String, AttributeValue> get(String customerId, String ledgerKey) {
        Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder().tableName(table)
            .key(key(customerId, ledgerKey)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static Map<String, AttributeValue> key(String customerId, String ledgerKey) {
        return Map.of("customerId", s(customerId), "notificationKey", s(ledgerKey));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
