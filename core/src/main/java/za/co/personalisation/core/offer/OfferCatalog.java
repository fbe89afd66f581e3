package za.co.personalisation.core.offer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of offers with a version, indexed by interest so that matching looks only at offers for the
 * interests that changed.
 */
public final class OfferCatalog {

    private final String version;
    private final Map<String, Offer> byId;
    private final Map<String, List<Offer>> byInterest;

    public OfferCatalog(String version, List<Offer> offers) {
        this.version = version;
        Map<String, Offer> ids = new HashMap<>();
        Map<String, List<Offer>> interests = new HashMap<>();
        for (Offer offer : offers) {
            if (ids.putIfAbsent(offer.offerId(), offer) != null) {
                throw new IllegalArgumentException("offer id " + offer.offerId() + " appears twice in the catalog");
            }
            for (String interest : offer.interests()) {
                interests.computeIfAbsent(interest, key -> new ArrayList<>()).add(offer);
            }
        }
        this.byId = Map.copyOf(ids);
        Map<String, List<Offer>> frozen = new HashMap<>();
        interests.forEach((interest, list) -> frozen.put(interest, List.copyOf(list)));
        this.byInterest = Map.copyOf(frozen);
    }

    public String version() {
        return version;
    }

    public Offer byId(String offerId) {
        return byId.get(offerId);
    }

    public List<Offer> forInterest(String interest) {
        return byInterest.getOrDefault(interest, Collections.emptyList());
    }

    public int size() {
        return byId.size();
    }
}
