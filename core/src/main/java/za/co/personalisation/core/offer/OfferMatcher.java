package za.co.personalisation.core.offer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;

/**
 * Chooses offers for a profile change. Pure: no I/O, time passed in.
 *
 * <p>Only meaningful changes trigger matching ({@link #triggers}): an interest the old profile did not have, an
 * interest whose score rose across the threshold, or a change of place (then every interest whose score is still
 * above the relevance floor is considered). Offers match on interest and on the location hierarchy (a rule for
 * {@code ZA/WC} covers Cape Town; {@code ZA} covers South Africa; {@code *} everywhere), must be valid now and
 * deliverable on a channel the caller can reach, and are ranked by interest score, then offer priority, then
 * recency (later validFrom first), then offer id for a stable order. At most {@code maxOffers} distinct offers are
 * returned; an offer matched through several interests is credited to the best-ranked one, and its location rule
 * is the most specific that covers the customer.
 *
 * <p>Matching reads the catalog's inverted index (interest → location rule → offers in rank order), so its cost
 * depends on the customer's interests and the length of the few lists it reads, not on the catalog's size.
 * {@link #matchByLinearScan} is the same function computed by reading every offer: the definition the index must
 * agree with, kept for tests and as the benchmark's baseline.
 */
public final class OfferMatcher {

    public static final double DEFAULT_SCORE_THRESHOLD = 3.0;
    public static final double DEFAULT_RELEVANCE_FLOOR = 0.1;
    private static final Set<Channel> ALL_CHANNELS = EnumSet.allOf(Channel.class);

    private static final Comparator<OfferMatch> RANKING = Comparator
        .comparingDouble(OfferMatch::interestScore).reversed()
        .thenComparing(OfferMatch::offer, OfferCatalog.OFFER_ORDER)
        .thenComparing(OfferMatch::interest);

    /**
     * One interest that changed meaningfully, with its score now, and the event the change came from: the
     * interest's last event, or for a {@link MatchTrigger#LOCATION_CHANGE} the event that moved the customer (the
     * interest's last event may be hours older, and is not what made this change call for matching).
     */
    public record Trigger(String interest, InterestStat stat, double score, MatchTrigger kind, String causeEventId) {
    }

    private final Duration halfLife;
    private final int maxOffers;
    private final double scoreThreshold;
    private final double relevanceFloor;

    public OfferMatcher(Duration halfLife, int maxOffers) {
        this(halfLife, maxOffers, DEFAULT_SCORE_THRESHOLD, DEFAULT_RELEVANCE_FLOOR);
    }

    /**
     * @param halfLife       an interest's score halves over this long (the same as enrich's)
     * @param maxOffers      at most this many offers per profile change
     * @param scoreThreshold an interest whose score rises from below this to at least this triggers matching
     * @param relevanceFloor after a move, interests scoring below this are not looked at again
     */
    public OfferMatcher(Duration halfLife, int maxOffers, double scoreThreshold, double relevanceFloor) {
        Objects.requireNonNull(halfLife, "halfLife");
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("the interest half-life must be positive: " + halfLife);
        }
        if (maxOffers < 1) {
            throw new IllegalArgumentException("maxOffers must be at least 1: " + maxOffers);
        }
        if (!(scoreThreshold > 0) || relevanceFloor < 0) {
            throw new IllegalArgumentException("the score threshold must be positive and the relevance floor not"
                + " negative: " + scoreThreshold + ", " + relevanceFloor);
        }
        this.halfLife = halfLife;
        this.maxOffers = maxOffers;
        this.scoreThreshold = scoreThreshold;
        this.relevanceFloor = relevanceFloor;
    }

    public int maxOffers() {
        return maxOffers;
    }

    /**
     * The meaningful changes between two versions of a profile; empty when the change does not call for matching
     * (a repeated interest below the threshold, a consent change, a profile without a place).
     *
     * @param before the profile before the change, or {@code null} when it was created
     * @param after  the profile after the change
     */
    public List<Trigger> triggers(Profile before, Profile after, Instant now) {
        Location place = after.location();
        if (place == null || after.interests().isEmpty()) {
            return List.of();
        }
        Map<String, InterestStat> old = before == null ? Map.of() : before.interests();
        boolean moved = before == null || before.location() == null
            || !Objects.equals(before.location().key(), place.key())
            || !Objects.equals(before.location().name(), place.name());
        List<Trigger> triggers = new ArrayList<>(2);
        for (Map.Entry<String, InterestStat> entry : after.interests().entrySet()) {
            InterestStat stat = entry.getValue();
            InterestStat previous = old.get(entry.getKey());
            double score = stat.scoreAt(now, halfLife);
            MatchTrigger kind;
            if (previous == null) {
                kind = MatchTrigger.NEW_INTEREST;
            } else if (score >= scoreThreshold && previous.scoreAt(now, halfLife) < scoreThreshold
                && !previous.equals(stat)) {
                kind = MatchTrigger.SCORE_THRESHOLD;
            } else if (moved && score >= relevanceFloor) {
                kind = MatchTrigger.LOCATION_CHANGE;
            } else {
                continue;
            }
            String cause = kind == MatchTrigger.LOCATION_CHANGE && !after.locationEventId().isEmpty()
                ? after.locationEventId() : stat.lastEventId();
            triggers.add(new Trigger(entry.getKey(), stat, score, kind, cause));
        }
        return triggers;
    }

    /** Offers for a profile change, on any channel. */
    public List<OfferMatch> match(OfferCatalog catalog, Profile before, Profile after, Instant now) {
        return match(catalog, before, after, now, ALL_CHANNELS);
    }

    /**
     * Offers for a profile change that can go out on at least one of {@code reachable} (the channels the customer
     * agreed to).
     */
    public List<OfferMatch> match(OfferCatalog catalog, Profile before, Profile after, Instant now,
        Set<Channel> reachable) {
        List<Trigger> triggers = triggers(before, after, now);
        if (triggers.isEmpty() || reachable.isEmpty()) {
            return List.of();
        }
        String[] rules = catalog.rulesCovering(after.location());
        int mask = OfferCatalog.channelMask(reachable);
        long nowMillis = now.toEpochMilli();
        Top top = new Top(maxOffers);
        OfferCatalog.Indexed[] seen = new OfferCatalog.Indexed[maxOffers * rules.length];
        for (Trigger trigger : triggers) {
            Map<String, OfferCatalog.Indexed[]> byRule = catalog.index(trigger.interest());
            if (byRule == null) {
                continue;
            }
            int seenCount = 0;
            for (String rule : rules) {
                OfferCatalog.Indexed[] bucket = byRule.get(rule);
                if (bucket == null) {
                    continue;
                }
                // A bucket is in rank order and the score is the interest's: its first maxOffers valid, reachable
                // offers not met in a more specific bucket are all this interest can contribute from it.
                int taken = 0;
                for (int i = 0; i < bucket.length && taken < maxOffers; i++) {
                    OfferCatalog.Indexed entry = bucket[i];
                    if ((entry.channels & mask) == 0 || !entry.validAt(nowMillis)
                        || contains(seen, seenCount, entry)) {
                        continue;
                    }
                    seen[seenCount++] = entry;
                    taken++;
                    if (!top.offer(entry, trigger, rule)) {
                        break;
                    }
                }
            }
        }
        return top.matches(catalog.version());
    }

    private static boolean contains(OfferCatalog.Indexed[] entries, int count, OfferCatalog.Indexed entry) {
        for (int i = 0; i < count; i++) {
            if (entries[i] == entry) {
                return true;
            }
        }
        return false;
    }

    /**
     * The best {@code capacity} distinct offers seen so far, best first, compared as {@link #RANKING} compares
     * matches but on the index's fields, without sorting or allocating per candidate.
     */
    private static final class Top {

        private final OfferCatalog.Indexed[] entries;
        private final Trigger[] triggers;
        private final String[] rules;
        private int size;

        Top(int capacity) {
            entries = new OfferCatalog.Indexed[capacity];
            triggers = new Trigger[capacity];
            rules = new String[capacity];
        }

        /**
         * Considers a candidate; returns false when it ranks below a full list, so that the rest of its bucket,
         * which ranks lower still, can be skipped.
         */
        boolean offer(OfferCatalog.Indexed entry, Trigger trigger, String rule) {
            for (int i = 0; i < size; i++) {
                if (entries[i] == entry) {
                    // The same offer through another interest: keep the better-ranked credit.
                    if (compare(entry, trigger, entries[i], triggers[i]) < 0) {
                        remove(i);
                        insert(entry, trigger, rule);
                    }
                    return true;
                }
            }
            if (size == entries.length) {
                if (compare(entry, trigger, entries[size - 1], triggers[size - 1]) >= 0) {
                    return false;
                }
                size--;
            }
            insert(entry, trigger, rule);
            return true;
        }

        private void insert(OfferCatalog.Indexed entry, Trigger trigger, String rule) {
            int at = size;
            while (at > 0 && compare(entry, trigger, entries[at - 1], triggers[at - 1]) < 0) {
                entries[at] = entries[at - 1];
                triggers[at] = triggers[at - 1];
                rules[at] = rules[at - 1];
                at--;
            }
            entries[at] = entry;
            triggers[at] = trigger;
            rules[at] = rule;
            size++;
        }

        private void remove(int index) {
            for (int i = index; i < size - 1; i++) {
                entries[i] = entries[i + 1];
                triggers[i] = triggers[i + 1];
                rules[i] = rules[i + 1];
            }
            size--;
        }

        private static int compare(OfferCatalog.Indexed a, Trigger at, OfferCatalog.Indexed b, Trigger bt) {
            int order = Double.compare(bt.score(), at.score());
            if (order != 0) {
                return order;
            }
            order = Integer.compare(b.offer.priority(), a.offer.priority());
            if (order != 0) {
                return order;
            }
            order = Long.compare(b.validFrom, a.validFrom);
            if (order != 0) {
                return order;
            }
            order = a.offer.offerId().compareTo(b.offer.offerId());
            return order != 0 ? order : at.interest().compareTo(bt.interest());
        }

        List<OfferMatch> matches(String version) {
            List<OfferMatch> matches = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Trigger trigger = triggers[i];
                matches.add(new OfferMatch(entries[i].offer, trigger.interest(), trigger.score(), rules[i], version,
                    trigger.causeEventId(), trigger.kind()));
            }
            return List.copyOf(matches);
        }
    }

    /** The same result as {@link #match(OfferCatalog, Profile, Profile, Instant, Set)}, by reading every offer. */
    public List<OfferMatch> matchByLinearScan(OfferCatalog catalog, Profile before, Profile after, Instant now,
        Set<Channel> reachable) {
        List<Trigger> triggers = triggers(before, after, now);
        if (triggers.isEmpty() || reachable.isEmpty()) {
            return List.of();
        }
        Location place = after.location();
        List<OfferMatch> candidates = new ArrayList<>();
        for (Offer offer : catalog.offers()) {
            if (!offer.isValidAt(now) || offer.channels().stream().noneMatch(reachable::contains)) {
                continue;
            }
            String rule = null;
            for (Trigger trigger : triggers) {
                if (!offer.interests().contains(trigger.interest())) {
                    continue;
                }
                rule = rule != null ? rule : mostSpecificRule(offer, place);
                if (rule == null) {
                    break;
                }
                candidates.add(match(catalog, trigger, offer, rule));
            }
        }
        return best(candidates);
    }

    private static OfferMatch match(OfferCatalog catalog, Trigger trigger, Offer offer, String rule) {
        return new OfferMatch(offer, trigger.interest(), trigger.score(), rule, catalog.version(),
            trigger.causeEventId(), trigger.kind());
    }

    private List<OfferMatch> best(List<OfferMatch> candidates) {
        if (candidates.size() <= 1) {
            return List.copyOf(candidates);
        }
        candidates.sort(RANKING);
        List<OfferMatch> chosen = new ArrayList<>(maxOffers);
        for (OfferMatch candidate : candidates) {
            boolean duplicate = false;
            for (OfferMatch taken : chosen) {
                if (taken.offer() == candidate.offer()) {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate) {
                chosen.add(candidate);
                if (chosen.size() == maxOffers) {
                    break;
                }
            }
        }
        return List.copyOf(chosen);
    }

    /** The most specific of an offer's rules that covers the place, or {@code null} when none does. */
    static String mostSpecificRule(Offer offer, Location place) {
        String best = null;
        for (String rule : offer.locations()) {
            if (place.isWithin(rule) && (best == null || "*".equals(best) || rule.length() > best.length())) {
                best = rule;
            }
        }
        return best;
    }
}
