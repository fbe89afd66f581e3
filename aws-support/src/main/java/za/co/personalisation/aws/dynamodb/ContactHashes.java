package za.co.personalisation.aws.dynamodb;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import za.co.personalisation.aws.config.Settings;

/**
 * Keyed hashes of phone numbers and email addresses, so that an inbound SMS can be mapped to its customer and an
 * email address can be suppressed without storing either in clear outside the contacts table.
 *
 * <p>The key is derived from the stack's secret ({@code ERASURE_KEY}, the key of the erasure tombstones) as
 * HMAC-SHA-256(secret, {@code "contact-lookup/1"}), so the two uses never share a key and a customer id that looks
 * like a phone number never hashes to the same value as that number. Without the secret, a reader of the hashes
 * cannot test guessed numbers (the space of South African mobile numbers is small enough to enumerate a plain
 * hash). Changing the secret makes the stored hashes unmatchable until each contact is written again.
 */
public final class ContactHashes {

    private static final String DERIVATION = "contact-lookup/1";

    private final SecretKeySpec key;

    public ContactHashes(String secret) {
        new ErasureTombstones(secret); // the same rules for the secret, with the same error
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
            DERIVATION), "HmacSHA256");
    }

    /** From {@code ERASURE_KEY}; fails at start-up, naming the setting, when it is missing or too short. */
    public static ContactHashes from(Settings settings) {
        return new ContactHashes(settings.get(ErasureTombstones.SECRET_SETTING, ""));
    }

    /** The hash of an E.164 phone number (spaces ignored), in lower-case hex. */
    public String phone(String e164) {
        return hex("phone:" + e164.replace(" ", "").trim());
    }

    /** The hash of an email address (case and surrounding space ignored), in lower-case hex. */
    public String email(String address) {
        return hex("email:" + address.trim().toLowerCase(Locale.ROOT));
    }

    private String hex(String value) {
        return HexFormat.of().formatHex(hmac(key, value));
    }

    private static byte[] hmac(SecretKeySpec key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
