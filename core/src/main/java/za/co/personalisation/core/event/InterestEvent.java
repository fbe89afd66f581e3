package za.co.personalisation.core.event;

import java.time.Instant;
import java.util.Objects;
import za.co.personalisation.core.location.Location;

/**
 * A validated, normalised interest event: what goes onto the stream (see {@link StreamEventCodec}).
 *
 * @param eventId    the client's idempotency key, or one assigned at ingest
 * @param customerId pseudonymous customer id; never a phone number, email address or name
 * @param interest   case-folded, trimmed interest
 * @param location   the gazetteer's canonical place, or an unknown place kept as written
 * @param occurredAt when the customer showed the interest (the client's clock, bounded at ingest)
 * @param receivedAt when ingest accepted it
 * @param traceId    X-Ray trace id of the ingest request, empty when there was none
 * @param replay     true for traffic replayed by analysts: its notifications go to the sandbox only
 */
public record InterestEvent(
    String eventId,
    String customerId,
    String interest,
    Location location,
    Instant occurredAt,
    Instant receivedAt,
    String traceId,
    boolean replay) implements StreamEvent {

    public InterestEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(interest, "interest");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(traceId, "traceId");
    }

    public InterestEvent asReplay() {
        return new InterestEvent(eventId, customerId, interest, location, occurredAt, receivedAt, traceId, true);
    }
}
