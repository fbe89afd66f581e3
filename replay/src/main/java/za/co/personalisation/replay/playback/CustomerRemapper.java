package za.co.personalisation.replay.playback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Maps each original customerId to the id a shadow test uses, the same way every time: {@code none} keeps it,
 * {@code prefix} puts a prefix before it ({@code shadow-12345}), {@code hash} replaces it with the prefix and the
 * first 16 hex digits of HMAC-SHA256(salt, id), so that the shadow id says nothing about the original without the
 * salt. Either way the result is a valid customerId (letters, digits and {@code . _ : -}, at most 64).
 */
public final class CustomerRemapper implements UnaryOperator<String> {

    static final int MAX_ID = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

    private final UnaryOperator<String> mapping;
    private final boolean identity;

    private CustomerRemapper(UnaryOperator<String> mapping, boolean identity) {
        this.mapping = mapping;
        this.identity = identity;
    }

    public static CustomerRemapper none() {
        return new CustomerRemapper(id -> id, true);
    }

    public static CustomerRemapper prefix(String prefix) {
        requireValidPrefix(prefix);
        return new CustomerRemapper(id -> {
            String mapped = prefix + id;
            if (mapped.length() > MAX_ID) {
                throw new IllegalArgumentException("customerId '" + id + "' with prefix '" + prefix + "' is longer"
                    + " than " + MAX_ID + " characters; use --remap hash");
            }
            return mapped;
        }, false);
    }

    public static CustomerRemapper hash(String prefix, String salt) {
        requireValidPrefix(prefix);
        if (salt == null || salt.isEmpty()) {
            throw new IllegalArgumentException("--remap hash needs a salt (--remap-salt)");
        }
        SecretKeySpec key = new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        return new CustomerRemapper(id -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
                return prefix + HexFormat.of().formatHex(digest, 0, 8);
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
            }
        }, false);
    }

    private static void requireValidPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || !ID.matcher(prefix).matches() || prefix.length() > 40) {
            throw new IllegalArgumentException("the remap prefix must start with a letter or digit, hold only"
                + " letters, digits and . _ : - and be at most 40 characters; got '" + prefix + "'");
        }
    }

    @Override
    public String apply(String customerId) {
        return mapping.apply(customerId);
    }

    /** True when ids are kept as they are. */
    public boolean isIdentity() {
        return identity;
    }
}
