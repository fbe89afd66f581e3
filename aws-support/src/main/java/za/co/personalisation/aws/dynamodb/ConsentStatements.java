package za.co.personalisation.aws.dynamodb;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

/**
 * A customer's latest consent statement per channel, as the API (or a STOP reply) acknowledged it: one item per
 * customer and channel in the notifications ledger table ({@code customerId}, {@code notificationKey =
 * consent#<channel>}), read by deliver just before it sends. It closes the gap between the API's 202 and enrich
 * applying the consent event from a stream that may have a backlog: an opt-out is honoured at once.
 *
 * <p>Statements are ordered as the profile orders consent ({@link Consent#isSupersededBy}): by the time the API
 * received them, and of two received at the same instant a revocation wins. The write is conditional on being
 * newer than the stored statement, so a late, retried or replayed statement never overrides a newer one, and
 * writing the same statement again changes nothing. The item holds the state, the receive time and the order key
 * only: no personal data beyond the pseudonymous customer id. It has no expiry; erasure deletes it with the
 * customer's other ledger items.
 */
public final class ConsentStatements {

    /** The range-key prefix of statement items; cap counters start with {@code cap#}, entries with an offer id. */
    public static final String KEY_PREFIX = "consent#";
    static final String ORDER = "statementOrder";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public ConsentStatements(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** The statement item's range key for a channel. */
    public static String key(Channel channel) {
        return KEY_PREFIX + channel.wireName();
    }

    /**
     * Records a statement unless the stored one is as new or newer.
     *
     * @return true when it was recorded, false when a newer (or this same) statement was there already
     * @throws software.amazon.awssdk.core.exception.SdkException when the write fails: nothing was acknowledged
     */
    public boolean record(String customerId, Channel channel, Consent.State state, Instant receivedAt) {
        if (state == Consent.State.UNKNOWN) {
            throw new IllegalArgumentException("a consent statement grants or revokes; it cannot be 'unknown'");
        }
        try {
            dynamoDb.putItem(p -> p.tableName(table)
                .item(Map.of(
                    "customerId", AttributeValue.fromS(customerId),
                    "notificationKey", AttributeValue.fromS(key(channel)),
                    "state", AttributeValue.fromS(state.wireName()),
                    "receivedAt", AttributeValue.fromS(receivedAt.toString()),
                    ORDER, AttributeValue.fromS(order(state, receivedAt))))
                .conditionExpression("attribute_not_exists(#order) OR #order < :order")
                .expressionAttributeNames(Map.of("#order", ORDER))
                .expressionAttributeValues(Map.of(":order", AttributeValue.fromS(order(state, receivedAt)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The latest statement's state for a channel (strongly consistent), {@link Consent.State#UNKNOWN} if none. */
    public Consent.State latest(String customerId, Channel channel) {
        Map<String, AttributeValue> item = dynamoDb.getItem(g -> g.tableName(table).consistentRead(true)
            .key(Map.of("customerId", AttributeValue.fromS(customerId),
                "notificationKey", AttributeValue.fromS(key(channel))))).item();
        if (item == null || !item.containsKey("state")) {
            return Consent.State.UNKNOWN;
        }
        return Consent.State.fromWire(item.get("state").s());
    }

    /** Whether the latest statement for the channel revokes consent. */
    public boolean revoked(String customerId, Channel channel) {
        return latest(customerId, channel) == Consent.State.REVOKED;
    }

    /**
     * The order key: fixed-width seconds and nanos of the receive time (strings compare as the instants do, for
     * any instant from 1970 on), then 1 for a revocation, 0 for a grant (a revocation wins a tie).
     */
    static String order(Consent.State state, Instant receivedAt) {
        long seconds = Math.max(0, receivedAt.getEpochSecond());
        return String.format(Locale.ROOT, "%019d.%09d#%d", seconds, receivedAt.getNano(),
            state == Consent.State.REVOKED ? 1 : 0);
    }
}
