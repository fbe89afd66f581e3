package za.co.personalisation.core.profile;

import java.util.Locale;

/** A marketing channel. Its wire name is lower case ({@code sms}, {@code email}). */
public enum Channel {
    SMS,
    EMAIL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name. @throws IllegalArgumentException naming the accepted values */
    public static Channel fromWire(String name) {
        for (Channel channel : values()) {
            if (channel.wireName().equals(name)) {
                return channel;
            }
        }
        throw new IllegalArgumentException("unknown channel '" + name + "'; expected sms or email");
    }
}
