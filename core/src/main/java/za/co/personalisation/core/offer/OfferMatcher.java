package za.co.personalisation.core.offer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;

/**
 * Chooses offers for a profile change. Pure: no I/O, time passed in.
 *
 * <p>Only meaningful changes trigger matching: an interest the old profile did not have, or a change of place (then
 * every interest is considered). Offers match on interest and on the location hierarchy (a rule for {@code ZA/WC}
 * covers Cape Town), must be valid now, and are ranked by interest score, then offer priority, then recency
 * (later validFrom first), then offer id for a stable order. At most {@code maxOffers} are returned.
 */
public final class OfferMatcher {

    private static final Comparator<OfferMatch> RANKING = Comparator
        .comparingDouble(OfferMatch::interestScore).reversed()
        .thenComparing(Comparator.comparingInt((OfferMatch m) -> m.offer().priority()).reversed())
        .thenComparing(Comparator.comparing((OfferMatch m) -> m.offer().validFrom()).reversed())
        .thenComparing(m -> m.offer().offerId());

    private final Duration halfLife;
    private final int maxOffers;

    public OfferMatcher(Duration halfLife, int maxOffers) {
        if (maxOffers < 1) {
            throw new IllegalArgumentException("maxOffers must be at least 1: " + maxOffers);
        }
        this.halfLife = halfLife;
        this.maxOffers = maxOffers;
    }

    /**
     * @param before the profile before the change, or {@code null} when it was created
     * @param after  the profile after the change
     */
    public List<OfferMatch> match(OfferCatalog catalog, Profile before, Profile after, Instant now) {
        Location place = after.location();
        if (place == null) {
            return List.of();
        }
        Map<String, InterestStat> old = before == null ? Map.of() : before.interests();
        boolean moved = before == null || before.location() == null
            || !Objects.equals(before.location().key(), place.key())
            || !Objects.equals(before.location().name(), place.name());
        Map<String, OfferMatch> best = new HashMap<>();
        for (Map.Entry<String, InterestStat> entry : after.interests().entrySet()) {
            if (!moved && old.containsKey(entry.getKey())) {
                continue;
            }
            InterestStat stat = entry.getValue();
            double score = stat.scoreAt(now, halfLife);
            for (Offer offer : catalog.forInterest(entry.getKey())) {
                if (!offer.isValidAt(now)) {
                    continue;
                }
                String rule = mostSpecificRule(offer, place);
                if (rule == null) {
                    continue;
                }
                OfferMatch candidate = new OfferMatch(offer, entry.getKey(), score, rule, catalog.version(),
                    stat.lastEventId());
                best.merge(offer.offerId(), candidate, (a, b) -> RANKING.compare(a, b) <= 0 ? a : b);
            }
        }
        List<OfferMatch> candidates = new ArrayList<>(best.values());
        candidates.sort(RANKING);
        return candidates.size() > maxOffers ? List.copyOf(candidates.subList(0, maxOffers))
            : List.copyOf(candidates);
    }

    private static String mostSpecificRule(Offer offer, Location place) {
        String best = null;
        for (String rule : offer.locations()) {
            if (place.isWithin(rule) && (best == null || "*".equals(best) || rule.length() > best.length())) {
                best = rule;
            }
        }
        return best;
    }
}
