package za.co.personalisation.core.offer;

import java.util.Objects;

/**
 * Why an offer was chosen for a customer: which interest (and its score), which location rule, which catalog
 * version, what kind of change triggered it, and the event credited with the change. Kept in the notification
 * ledger so every decision can be explained.
 */
public record OfferMatch(Offer offer, String interest, double interestScore, String locationRule,
    String catalogVersion, String causeEventId, MatchTrigger trigger) {

    public OfferMatch {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(interest, "interest");
        Objects.requireNonNull(locationRule, "locationRule");
        Objects.requireNonNull(catalogVersion, "catalogVersion");
        Objects.requireNonNull(causeEventId, "causeEventId");
        Objects.requireNonNull(trigger, "trigger");
    }
}
