package za.co.personalisation.core.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A customer bought something ({@code POST /conversions}): what was bought ({@code interest}, and the offer when the
 * shop knows it) and what it was worth. Carries no personal data beyond the pseudonymous customer id. enrich
 * attributes it to the notification that most plausibly caused it (docs/offers.md, "Conversions").
 *
 * @param offerId  the offer redeemed, or empty when the shop does not know one
 * @param value    what it was worth, {@link BigDecimal#ZERO} when not given; never negative
 * @param currency ISO 4217 code of {@code value}, empty when no value was given
 */
public record ConversionEvent(
    String eventId,
    String customerId,
    String interest,
    String offerId,
    BigDecimal value,
    String currency,
    Instant occurredAt,
    Instant receivedAt,
    String traceId,
    boolean replay) implements StreamEvent {

    public ConversionEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(interest, "interest");
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(traceId, "traceId");
        if (value.signum() < 0) {
            throw new IllegalArgumentException("a conversion's value cannot be negative");
        }
        if (value.signum() > 0 && currency.isEmpty()) {
            throw new IllegalArgumentException("a conversion with a value needs its currency");
        }
    }
}
