package za.co.personalisation.chaos;

import java.time.Instant;

/**
 * One consent revocation the chaos run asked the API for, as its client saw it: when the first request went out
 * ({@code requested}), when the API acknowledged it with {@code 202} ({@code acknowledged}, null when no request was
 * acknowledged: every answer was an error, or none came), the last status ({@link #NO_ANSWER} for a timeout or a
 * lost connection) and how many requests it took. The run's clock and the stack's are the same (one JVM on one
 * machine), so these instants compare with the ledger's {@code dispatchedAt} and the consent's {@code receivedAt}.
 */
public record Revocation(String customerId, String channel, Instant requested, Instant acknowledged, int status,
    int attempts) {

    /** The status recorded when the request timed out or its connection was lost. */
    public static final int NO_ANSWER = -1;

    public boolean isAcknowledged() {
        return acknowledged != null;
    }
}
