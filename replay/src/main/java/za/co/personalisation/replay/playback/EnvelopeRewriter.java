package za.co.personalisation.replay.playback;

import java.time.Duration;
import java.time.Instant;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.InvalidRecordException;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.StreamEventCodec;

/**
 * Rewrites a captured stream record for replay: decodes the envelope (any kind {@link StreamEventCodec} knows),
 * sets {@code replay} to true, and optionally maps the customerId, appends a suffix to the eventId (so that the same
 * archive can be replayed again without being taken for duplicates) and shifts the timestamps (so that old traffic
 * looks recent). The record is encoded again with the same codec; nothing else changes.
 *
 * <p>A record that is not a valid envelope cannot be marked, so it is never replayed: {@link #rewrite} throws.
 */
public final class EnvelopeRewriter {

    private final CustomerRemapper customers;
    private final String eventIdSuffix;
    private final Duration shift;

    public EnvelopeRewriter(CustomerRemapper customers, String eventIdSuffix, Duration shift) {
        this.customers = customers;
        this.eventIdSuffix = eventIdSuffix == null ? "" : eventIdSuffix;
        this.shift = shift == null ? Duration.ZERO : shift;
        if (!this.eventIdSuffix.isEmpty() && !this.eventIdSuffix.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException("the eventId suffix may hold only letters, digits and . _ : -");
        }
    }

    /** A record as it will be replayed. */
    public record Rewritten(StreamEvent event, byte[] data) {

        public String partitionKey() {
            return event.customerId();
        }
    }

    /** @throws InvalidRecordException when the record is not a valid envelope */
    public Rewritten rewrite(byte[] original) {
        StreamEvent event = StreamEventCodec.decode(original);
        StreamEvent replayed = mark(event);
        return new Rewritten(replayed, StreamEventCodec.encode(replayed));
    }

    StreamEvent mark(StreamEvent event) {
        String eventId = eventId(event.eventId());
        String customerId = customers.apply(event.customerId());
        Instant occurredAt = event.occurredAt().plus(shift);
        Instant receivedAt = event.receivedAt().plus(shift);
        if (event instanceof InterestEvent interest) {
            return new InterestEvent(eventId, customerId, interest.interest(), interest.location(), occurredAt,
                receivedAt, interest.traceId(), true);
        }
        if (event instanceof ConsentEvent consent) {
            return new ConsentEvent(eventId, customerId, consent.channel(), consent.state(), occurredAt, receivedAt,
                consent.traceId(), true);
        }
        if (event instanceof ConversionEvent conversion) {
            return new ConversionEvent(eventId, customerId, conversion.interest(), conversion.offerId(),
                conversion.value(), conversion.currency(), occurredAt, receivedAt, conversion.traceId(), true);
        }
        return new ErasureEvent(eventId, customerId, occurredAt, receivedAt, event.traceId(), true);
    }

    private String eventId(String original) {
        String id = original + eventIdSuffix;
        if (id.length() > EventLimits.MAX_ID_LENGTH) {
            throw new InvalidRecordException("eventId '" + original + "' with suffix '"
                + eventIdSuffix + "' is longer than " + EventLimits.MAX_ID_LENGTH + " characters");
        }
        return id;
    }
}
