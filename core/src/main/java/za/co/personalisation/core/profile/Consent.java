package za.co.personalisation.core.profile;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A customer's marketing consent for one channel (POPIA s69: no direct marketing by SMS or email without it).
 *
 * @param state      granted, revoked or unknown
 * @param at         when the customer decided, by the client's clock (the decision's occurredAt): for display only
 * @param receivedAt when the API received the decision (ingest's clock): what orders decisions, so that a client's
 *                   clock cannot make a grant beat a revocation the API received after it (docs/privacy.md, "4.")
 */
public record Consent(State state, Instant at, Instant receivedAt) {

    public static final Consent UNKNOWN = new Consent(State.UNKNOWN, Instant.EPOCH, Instant.EPOCH);

    public Consent {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A decision the API received at the time the customer made it (seed data, tests). */
    public Consent(State state, Instant at) {
        this(state, at, at);
    }

    public boolean granted() {
        return state == State.GRANTED;
    }

    /**
     * Whether a consent decision the API received at {@code newReceivedAt} replaces this one: the one received
     * later wins, and of two received at the same instant a revocation wins (the safe reading). Applying decisions
     * this way gives the same result in any order and any number of times. The client's occurredAt plays no part.
     */
    public boolean isSupersededBy(State newState, Instant newReceivedAt) {
        int byTime = newReceivedAt.compareTo(receivedAt);
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
