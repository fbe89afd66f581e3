package za.co.personalisation.core.offer;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;

/** Builders for offers and profiles in the matching tests. */
final class Offers {

    static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2027-12-31T23:59:59Z");
    static final Gazetteer GAZETTEER = Gazetteer.bundled();

    private Offers() {
    }

    static Offer offer(String id, String interest, String rule, int priority) {
        return offer(id, Set.of(interest), List.of(rule), List.of(Channel.SMS, Channel.EMAIL), priority, FROM, UNTIL);
    }

    static Offer offer(String id, Set<String> interests, List<String> rules, List<Channel> channels, int priority,
        Instant from, Instant until) {
        return new Offer(id, id, interests, rules, channels, from, until, priority, Map.of(Offer.DEFAULT_LOCALE,
            new OfferMessage("Offer " + id, "Subject " + id, "Body " + id)));
    }

    static Location place(String name) {
        return GAZETTEER.resolve(name);
    }

    /** A profile in {@code place} with these interests, each seen {@code count} times at {@code at}. */
    static Profile profile(String customerId, Location place, Instant at, Map<String, Integer> interests) {
        Map<String, InterestStat> stats = new HashMap<>();
        interests.forEach((interest, count) -> stats.put(interest, new InterestStat(count, count, at, at,
            "ev-" + interest + "-" + count)));
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        consent.put(Channel.SMS, new Consent(Consent.State.GRANTED, at));
        consent.put(Channel.EMAIL, new Consent(Consent.State.GRANTED, at));
        return new Profile(customerId, 1, stats, place, at, consent, List.of(), at);
    }
}
