package za.co.personalisation.core.outcome;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Assigns a customer to an offer's control group: deterministically (the same customer and offer always land in
 * the same group, on every retry, replay and function instance) and unpredictably without the key (nobody can
 * choose or foresee who is held out).
 *
 * <p>The draw is {@code HMAC-SHA-256(key, customerId + "\n" + offerId)}: its first 53 bits as a fraction
 * {@code u} in [0, 1); the customer is in control when {@code u < controlShare}. Each offer draws independently,
 * so a customer held out of one offer is not more likely to be held out of the next. Raising an offer's share
 * only adds customers to its control group (those with {@code u} between the old and new share).
 *
 * <p>The key is its own secret ({@code HOLDOUT_KEY}, template parameter {@code HoldoutKey}), not the erasure key:
 * the two must stay fixed for different lifetimes (an experiment for the life of its offers, tombstones for 90 days)
 * and are held by different functions (notify here, ingest and enrich there); see docs/offers.md.
 */
public final class Holdout {

    public static final String KEY_SETTING = "HOLDOUT_KEY";
    public static final int MIN_KEY_LENGTH = 32;
    private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

    private final SecretKeySpec key;

    public Holdout(String secret) {
        if (secret == null || secret.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException(KEY_SETTING + " must hold at least " + MIN_KEY_LENGTH
                + " characters (e.g. openssl rand -hex 32)");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The customer's draw for the offer, uniform in [0, 1). */
    public double draw(String customerId, String offerId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((customerId + "\n" + offerId).getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) * TWO_TO_MINUS_53;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** True when the customer is in the offer's control group: nothing is sent to them. */
    public boolean inControl(String customerId, String offerId, double controlShare) {
        return controlShare > 0 && draw(customerId, offerId) < controlShare;
    }
}
