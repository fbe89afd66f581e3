package za.co.personalisation.core.offer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;

/**
 * An immutable set of offers with a version, with an inverted index for matching: interest → location rule →
 * offers in rank order (priority, then the later validFrom, then offer id). Matching a customer in Cape Town looks
 * at four short lists per interest ({@code ZA/WC/cape-town}, {@code ZA/WC}, {@code ZA}, {@code *}) whatever the
 * catalog's size.
 */
public final class OfferCatalog {

    /** Rank order of offers that match equally well on interest: priority, recency, id. */
    static final Comparator<Offer> OFFER_ORDER = Comparator.comparingInt(Offer::priority).reversed()
        .thenComparing(Comparator.comparing(Offer::validFrom).reversed())
        .thenComparing(Offer::offerId);

    private static final String[] EVERYWHERE = {"*"};

    private final String version;
    private final List<Offer> offers;
    private final Map<String, Offer> byId;
    private final Map<String, List<Offer>> byInterest;
    private final Map<String, Map<String, Indexed[]>> index;
    private final Map<String, String[]> ruleChains = new ConcurrentHashMap<>();

    /** An offer as the index holds it: validity in epoch milliseconds and channels as a bit mask. */
    static final class Indexed {

        final Offer offer;
        final long validFrom;
        final long validUntil;
        final int channels;

        Indexed(Offer offer) {
            this.offer = offer;
            this.validFrom = offer.validFrom().toEpochMilli();
            this.validUntil = offer.validUntil().toEpochMilli();
            this.channels = channelMask(offer.channels());
        }

        boolean validAt(long nowMillis) {
            return nowMillis >= validFrom && nowMillis < validUntil;
        }
    }

    public OfferCatalog(String version, List<Offer> offers) {
        this.version = version;
        this.offers = List.copyOf(offers);
        Map<String, Offer> ids = new HashMap<>();
        Map<String, List<Offer>> interests = new HashMap<>();
        Map<String, Map<String, List<Offer>>> rules = new HashMap<>();
        for (Offer offer : offers) {
            if (ids.putIfAbsent(offer.offerId(), offer) != null) {
                throw new IllegalArgumentException("offer id " + offer.offerId() + " appears twice in the catalog");
            }
            for (String interest : offer.interests()) {
                interests.computeIfAbsent(interest, key -> new ArrayList<>()).add(offer);
                Map<String, List<Offer>> byRule = rules.computeIfAbsent(interest, key -> new HashMap<>());
                for (String rule : offer.locations()) {
                    List<Offer> bucket = byRule.computeIfAbsent(rule, key -> new ArrayList<>());
                    if (bucket.isEmpty() || bucket.get(bucket.size() - 1) != offer) {
                        bucket.add(offer);
                    }
                }
            }
        }
        this.byId = Map.copyOf(ids);
        Map<String, List<Offer>> frozen = new HashMap<>();
        interests.forEach((interest, list) -> frozen.put(interest, List.copyOf(list)));
        this.byInterest = Map.copyOf(frozen);
        Map<Offer, Indexed> indexed = new IdentityHashMap<>();
        Map<String, Map<String, Indexed[]>> built = new HashMap<>();
        rules.forEach((interest, byRule) -> {
            Map<String, Indexed[]> buckets = new HashMap<>();
            byRule.forEach((rule, list) -> {
                list.sort(OFFER_ORDER);
                // One Indexed per offer, shared by its buckets: matching tells offers apart by identity.
                buckets.put(rule, list.stream().map(offer -> indexed.computeIfAbsent(offer, Indexed::new))
                    .toArray(Indexed[]::new));
            });
            built.put(interest, Map.copyOf(buckets));
        });
        this.index = Map.copyOf(built);
    }

    public String version() {
        return version;
    }

    /** The offer with this id, or {@code null}. */
    public Offer byId(String offerId) {
        return byId.get(offerId);
    }

    /** Every offer for an interest, in catalog order. */
    public List<Offer> forInterest(String interest) {
        return byInterest.getOrDefault(interest, Collections.emptyList());
    }

    /** Every offer, in catalog order. */
    public List<Offer> offers() {
        return offers;
    }

    public int size() {
        return byId.size();
    }

    /** The index for one interest: location rule → offers in rank order; {@code null} when none. */
    Map<String, Indexed[]> index(String interest) {
        return index.get(interest);
    }

    /**
     * The location rules that cover a place, most specific first: {@code ZA/WC/cape-town, ZA/WC, ZA, *}. An
     * unknown place is covered only by {@code *}.
     */
    String[] rulesCovering(Location place) {
        if (!place.known()) {
            return EVERYWHERE;
        }
        return ruleChains.computeIfAbsent(place.key(), OfferCatalog::chain);
    }

    private static String[] chain(String key) {
        List<String> rules = new ArrayList<>();
        for (String prefix = key; ; ) {
            rules.add(prefix);
            int slash = prefix.lastIndexOf('/');
            if (slash < 0) {
                break;
            }
            prefix = prefix.substring(0, slash);
        }
        rules.add("*");
        return rules.toArray(String[]::new);
    }

    static int channelMask(Iterable<Channel> channels) {
        int mask = 0;
        for (Channel channel : channels) {
            mask |= 1 << channel.ordinal();
        }
        return mask;
    }

    @Override
    public String toString() {
        return "OfferCatalog[version=" + version + ", offers=" + byId.size() + ", interests="
            + Arrays.toString(index.keySet().stream().sorted().limit(10).toArray()) + "]";
    }
}
