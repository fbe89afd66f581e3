package za.co.personalisation.core.event;

import java.time.Duration;
import java.time.Instant;

/**
 * The time limits of the API that a JSON Schema cannot state (docs/api-reference.md). Every other limit (lengths,
 * patterns, batch size) lives in the schema file, see {@link SchemaRules}. Values beyond them are rejected, never
 * truncated or clamped.
 *
 * @param maxBatch          events in one {@code {"events":[…]}} request; must equal the schema's maxItems
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

    /** The violation message for a client time, or {@code null} when it lies within the window. */
    public String checkOccurredAt(Instant occurredAt, Instant receivedAt) {
        if (occurredAt.isAfter(receivedAt.plus(maxFutureSkew))) {
            return "lies more than " + maxFutureSkew.toMinutes() + " minutes in the future; check the sender's clock";
        }
        if (occurredAt.isBefore(receivedAt.minus(maxAge))) {
            return "is older than the stream's retention of " + maxAge.toDays() + " days";
        }
        return null;
    }
}
