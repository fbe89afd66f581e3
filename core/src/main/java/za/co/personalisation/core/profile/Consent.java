package za.co.personalisation.core.profile;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A customer's marketing consent for one channel, with the time it was given or withdrawn (POPIA s69: no
 * direct marketing by SMS or email without it).
 */
public record Consent(State state, Instant at) {

    public static final Consent UNKNOWN = new Consent(State.UNKNOWN, Instant.EPOCH);

    public Consent {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    public boolean granted() {
        return state == State.GRANTED;
    }

    /**
     * Whether a consent decision {@code (state, at)} replaces this one: the later decision wins, and of two made at
     * the same instant a revocation wins (the safe reading). Applying decisions this way gives the same result in
     * any order and any number of times.
     */
    public boolean isSupersededBy(State newState, Instant newAt) {
        int byTime = newAt.compareTo(at);
        return byTime > 0 || (byTime == 0 && newState == State.REVOKED && state != State.REVOKED);
    }

    /** Consent states; the wire name is lower case. */
    public enum State {
        GRANTED,
        REVOKED,
        UNKNOWN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State fromWire(String name) {
            for (State state : values()) {
                if (state.wireName().equals(name)) {
                    return state;
                }
            }
            throw new IllegalArgumentException("unknown consent state '" + name
                + "'; expected granted, revoked or unknown");
        }
    }
}
