package za.co.personalisation.aws.dynamodb;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.config.Settings;

/**
 * The {@code erasures} table's layout, the one owner of it: a tombstone per erased customer, so that an erased
 * customer stays erased (ingest refuses their contact and consent, enrich drops their events) until it expires.
 *
 * <p>Item: {@code customerHash S} (key) | {@code erasedAt S} | {@code eventId S} | {@code expiresAt N} (epoch
 * seconds, the TTL attribute). A tombstone whose {@code expiresAt} has passed counts as gone at once, whether or not
 * DynamoDB's TTL has deleted it yet.
 *
 * <p>The key is an HMAC-SHA-256 of the customer id under a secret ({@code ERASURE_KEY}, at least 32 characters,
 * from the stack's configuration), in hex. The table outlives the erasure, so it must not let anyone who reads it
 * test a guessed id: an unsalted SHA-256 of an id such as {@code 12345} is found by hashing every short id. With
 * the key, a reader of the table learns nothing without the secret. The key must stay the same for as long as
 * tombstones live ({@code ERASURE_TOMBSTONE_TTL}); changing it makes the tombstones written under the old key
 * unreachable.
 *
 * <p>Tombstones of the first layout were keyed by the plain SHA-256 ({@link #legacyKey}); readers check both keys
 * until the last of them has expired (90 days after the upgrade), writers write only the keyed form.
 */
public final class ErasureTombstones {

    public static final String KEY = "customerHash";
    public static final String SECRET_SETTING = "ERASURE_KEY";
    public static final String TTL_SETTING = "ERASURE_TOMBSTONE_TTL";
    /** The condition that holds when there is no live tombstone under the key (needs {@code :now}). */
    public static final String NOT_ERASED = "attribute_not_exists(customerHash) OR expiresAt < :now";
    static final int MIN_SECRET_LENGTH = 32;

    private final SecretKeySpec secret;

    public ErasureTombstones(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(SECRET_SETTING + " must be a secret of at least " + MIN_SECRET_LENGTH
                + " characters (the key of the erasure tombstones' HMAC); see docs/privacy.md");
        }
        this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** From {@code ERASURE_KEY}; fails at start-up, naming the setting, when it is missing or too short. */
    public static ErasureTombstones from(Settings settings) {
        return new ErasureTombstones(settings.get(SECRET_SETTING, ""));
    }

    /** The keyed hash of a customer id, in lower-case hex (64 characters). */
    public String hash(String customerId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(customerId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** The key of a customer's tombstone. */
    public Map<String, AttributeValue> key(String customerId) {
        return Map.of(KEY, AttributeValue.fromS(hash(customerId)));
    }

    /** The key a tombstone of the first layout has (plain SHA-256): read, never written. */
    public static Map<String, AttributeValue> legacyKey(String customerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(customerId.getBytes(StandardCharsets.UTF_8));
            return Map.of(KEY, AttributeValue.fromS(HexFormat.of().formatHex(digest)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Both keys a live tombstone of this customer may have, the keyed one first. */
    public List<Map<String, AttributeValue>> keys(String customerId) {
        return List.of(key(customerId), legacyKey(customerId));
    }

    /** A new tombstone. */
    public Map<String, AttributeValue> item(String customerId, Instant erasedAt, String eventId, Instant now,
        Duration ttl) {
        return Map.of(
            KEY, AttributeValue.fromS(hash(customerId)),
            "erasedAt", AttributeValue.fromS(erasedAt.toString()),
            "eventId", AttributeValue.fromS(eventId),
            "expiresAt", epochSeconds(now.plus(ttl)));
    }

    /** Whether a stored tombstone is still in force at {@code now}. */
    public static boolean isLive(Map<String, AttributeValue> item, Instant now) {
        if (item == null || item.isEmpty()) {
            return false;
        }
        AttributeValue expiresAt = item.get("expiresAt");
        return expiresAt == null || expiresAt.n() == null || Long.parseLong(expiresAt.n()) >= now.getEpochSecond();
    }

    /** When a stored tombstone expires, or {@code null} when it does not say. */
    public static Instant expiresAt(Map<String, AttributeValue> item) {
        AttributeValue expiresAt = item == null ? null : item.get("expiresAt");
        return expiresAt == null || expiresAt.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(expiresAt.n()));
    }

    public static AttributeValue epochSeconds(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.getEpochSecond()));
    }
}
