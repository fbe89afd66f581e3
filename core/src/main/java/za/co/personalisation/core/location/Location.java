package za.co.personalisation.core.location;

import java.util.Objects;

/**
 * A place resolved against the gazetteer, or an unknown place kept as the customer wrote it.
 *
 * <p>{@code key} is hierarchical: {@code ZA}, {@code ZA/WC}, {@code ZA/WC/cape-town}. An offer's location
 * rule matches every location whose key equals the rule or starts with the rule followed by {@code /}.
 * An unknown location has an empty key and matches only rules that apply everywhere.
 */
public record Location(String key, String name, boolean known) {

    public Location {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        if (known == key.isEmpty()) {
            throw new IllegalArgumentException("a known location needs a key and an unknown one must not have one: "
                + key);
        }
    }

    public static Location unknown(String rawName) {
        return new Location("", rawName, false);
    }

    /** True when an offer rule (a key, or {@code *} for everywhere) covers this location. */
    public boolean isWithin(String rule) {
        if ("*".equals(rule)) {
            return true;
        }
        if (!known || rule.isEmpty()) {
            return false;
        }
        return key.equals(rule) || (key.length() > rule.length() && key.startsWith(rule) && key.charAt(rule.length())
            == '/');
    }
}
