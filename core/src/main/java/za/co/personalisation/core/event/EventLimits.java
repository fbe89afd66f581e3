package za.co.personalisation.core.event;

import java.time.Duration;

/**
 * The documented limits of the event API (docs/api.md). Values beyond them are rejected, never truncated.
 *
 * @param maxBatch          events in one {@code {"events":[…]}} request
 * @param maxFutureSkew     how far {@code occurredAt} may lie ahead of the server clock
 * @param maxAge            how far back {@code occurredAt} may lie: the stream's retention
 */
public record EventLimits(int maxBatch, Duration maxFutureSkew, Duration maxAge) {

    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_INTEREST_LENGTH = 64;
    public static final int MAX_LOCATION_LENGTH = 100;

    public static EventLimits defaults() {
        return new EventLimits(500, Duration.ofMinutes(5), Duration.ofDays(7));
    }
}
