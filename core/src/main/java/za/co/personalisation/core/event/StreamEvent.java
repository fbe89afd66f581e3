package za.co.personalisation.core.event;

import java.time.Instant;

/**
 * Anything written to the interest-events stream for a customer. All kinds share the partition key (customerId),
 * so a customer's interest, consent and erasure events are applied in the order they were accepted.
 */
public sealed interface StreamEvent permits InterestEvent, ConsentEvent, ErasureEvent, ConversionEvent {

    String eventId();

    String customerId();

    /** When it happened, by the client's clock (bounded at ingest). */
    Instant occurredAt();

    /** When ingest accepted it. */
    Instant receivedAt();

    /** X-Ray trace id of the ingest request, empty when untraced. */
    String traceId();

    /** True for traffic replayed by analysts. */
    boolean replay();
}
