package za.co.personalisation.core.event;

import java.time.Instant;
import java.util.Objects;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

/** A customer granted or revoked marketing consent for one channel (PUT /customers/{id}/consent). */
public record ConsentEvent(
    String eventId,
    String customerId,
    Channel channel,
    Consent.State state,
    Instant occurredAt,
    Instant receivedAt,
    String traceId,
    boolean replay) implements StreamEvent {

    public ConsentEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(traceId, "traceId");
        if (state == Consent.State.UNKNOWN) {
            throw new IllegalArgumentException("a consent event grants or revokes; it cannot set 'unknown'");
        }
    }
}
