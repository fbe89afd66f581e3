package za.co.personalisation.replay.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferCatalogCodec;

/**
 * What synthetic customers are interested in and where they are. Interests come from the offer catalog (the
 * interests most offers target are the most frequent, Zipf-distributed), with a share of interests no offer
 * targets; places are the gazetteer's cities (Zipf over the gazetteer's order), with a share of places the
 * gazetteer does not know. Each customer has a home city and a favourite interest (fixed by their rank), and
 * most of their events come from home and about their favourite.
 */
public final class TrafficMix {

    static final List<String> OFF_CATALOG = List.of("gardening", "pets", "music", "toys", "travel", "beauty",
        "board games", "cycling");
    static final List<String> UNKNOWN_PLACES = List.of("Atlantis", "Eldorado Vale", "Nowhere Bay");
    private static final String GAZETTEER = "/za/co/personalisation/core/gazetteer.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Shares of events; the rest are about the customer's favourite interest, from home. */
    public record Shares(double offCatalogInterest, double otherInterest, double unknownPlace, double travel) {

        public static Shares defaults() {
            return new Shares(0.10, 0.30, 0.02, 0.10);
        }
    }

    /** One event's interest and place, as a client would send them. */
    public record Choice(String interest, String place) {
    }

    private final List<String> interests;
    private final List<String> offCatalog;
    private final List<String> places;
    private final Shares shares;
    private final ZipfSampler interestZipf;
    private final ZipfSampler placeZipf;
    private final long seed;

    public TrafficMix(List<String> interests, List<String> places, Shares shares, long seed) {
        if (interests.isEmpty() || places.isEmpty()) {
            throw new IllegalArgumentException("the mix needs at least one interest and one place");
        }
        this.interests = List.copyOf(interests);
        this.offCatalog = OFF_CATALOG.stream().filter(i -> !interests.contains(i)).toList();
        this.places = List.copyOf(places);
        this.shares = shares;
        this.interestZipf = new ZipfSampler(this.interests.size(), 1.0);
        this.placeZipf = new ZipfSampler(this.places.size(), 0.8);
        this.seed = seed;
    }

    /** The catalog's interests, those more offers target first. */
    public static List<String> catalogInterests(DynamoDbClient dynamoDb, String offersTable) {
        Map<String, Integer> offersPerInterest = new LinkedHashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(b -> b.tableName(offersTable).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue document = item.get("document");
                if (document == null || document.s() == null) {
                    continue;
                }
                try {
                    Offer offer = OfferCatalogCodec.offer(MAPPER.readTree(document.s()));
                    offer.interests().forEach(interest -> offersPerInterest.merge(interest, 1, Integer::sum));
                } catch (IOException | IllegalArgumentException e) {
                    // an offer the pipeline cannot read either; it contributes no interest
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return offersPerInterest.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey).toList();
    }

    /** The gazetteer's city names, in its order, each checked to resolve. */
    public static List<String> gazetteerCities() {
        Gazetteer gazetteer = Gazetteer.bundled();
        List<String> cities = new ArrayList<>();
        try (InputStream in = Gazetteer.class.getResourceAsStream(GAZETTEER)) {
            if (in == null) {
                throw new IllegalStateException("the gazetteer is missing from the class path: " + GAZETTEER);
            }
            for (JsonNode city : MAPPER.readTree(in).path("cities")) {
                String name = city.path("name").asText();
                if (gazetteer.resolve(name).known()) {
                    cities.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gazetteer", e);
        }
        return cities;
    }

    public Choice choose(int customerRank, RandomGenerator random) {
        SplittableRandom customer = new SplittableRandom(LoadPlan.mix(seed ^ 0x5DEECE66DL, customerRank));
        String home = places.get(placeZipf.sample(customer) - 1);
        String favourite = interests.get(interestZipf.sample(customer) - 1);
        double roll = random.nextDouble();
        String interest;
        if (roll < shares.offCatalogInterest() && !offCatalog.isEmpty()) {
            interest = offCatalog.get(random.nextInt(offCatalog.size()));
        } else if (roll < shares.offCatalogInterest() + shares.otherInterest()) {
            interest = interests.get(interestZipf.sample(random) - 1);
        } else {
            interest = favourite;
        }
        double where = random.nextDouble();
        String place;
        if (where < shares.unknownPlace()) {
            place = UNKNOWN_PLACES.get(random.nextInt(UNKNOWN_PLACES.size()));
        } else if (where < shares.unknownPlace() + shares.travel()) {
            place = places.get(placeZipf.sample(random) - 1);
        } else {
            place = home;
        }
        return new Choice(interest, place);
    }

    public List<String> interests() {
        return interests;
    }

    public List<String> places() {
        return places;
    }
}
