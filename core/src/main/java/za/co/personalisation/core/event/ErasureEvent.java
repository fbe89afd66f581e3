package za.co.personalisation.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer asked to be forgotten (DELETE /customers/{id}): their profile and ledger go, and later or replayed
 * events for them are dropped.
 */
public record ErasureEvent(
    String eventId,
    String customerId,
    Instant occurredAt,
    Instant receivedAt,
    String traceId,
    boolean replay) implements StreamEvent {

    public ErasureEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(traceId, "traceId");
    }
}
