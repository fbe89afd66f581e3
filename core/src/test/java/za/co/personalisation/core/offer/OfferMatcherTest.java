package za.co.personalisation.core.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.core.offer.Offers.offer;
import static za.co.personalisation.core.offer.Offers.place;
import static za.co.personalisation.core.offer.Offers.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;

class OfferMatcherTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration HALF_LIFE = Duration.ofDays(14);
    private final OfferMatcher one = new OfferMatcher(HALF_LIFE, 1);

    @Test
    void match_followsTheLocationHierarchy_fromCityToProvinceToCountryToEverywhere() {
        OfferCatalog catalog = new OfferCatalog("v1", List.of(
            offer("CPT", "electronics", "ZA/WC/cape-town", 1),
            offer("WC", "electronics", "ZA/WC", 1),
            offer("ZA", "electronics", "ZA", 1),
            offer("ALL", "electronics", "*", 1),
            offer("GP", "electronics", "ZA/GP", 1),
            offer("STB", "electronics", "ZA/WC/stellenbosch", 1)));
        OfferMatcher all = new OfferMatcher(HALF_LIFE, 10);

        assertThat(ids(all.match(catalog, null, newcomer(place("Cape Town")), NOW)))
            .containsExactlyInAnyOrder("CPT", "WC", "ZA", "ALL");
        assertThat(ids(all.match(catalog, null, newcomer(place("Johannesburg")), NOW)))
            .containsExactlyInAnyOrder("GP", "ZA", "ALL");
        assertThat(ids(all.match(catalog, null, newcomer(Location.unknown("Atlantis")), NOW)))
            .containsExactly("ALL");
    }

    @Test
    void match_ranksByInterestScore_thenPriority_thenRecency_thenId() {
        Instant later = Offers.FROM.plus(Duration.ofDays(30));
        OfferCatalog catalog = new OfferCatalog("v1", List.of(
            offer("BOOKS-HIGH", "books", "ZA", 90),
            offer("ELEC-LOW", "electronics", "ZA", 1),
            offer("ELEC-HIGH", "electronics", "ZA", 50),
            offer("ELEC-NEWER", Set.of("electronics"), List.of("ZA"), List.of(Channel.SMS), 50, later, Offers.UNTIL),
            offer("ELEC-B", "electronics", "ZA", 10),
            offer("ELEC-A", "electronics", "ZA", 10)));
        // Electronics seen three times scores above books seen once, whatever the offers' priorities.
        Profile after = profile("c1", place("Durban"), NOW, Map.of("electronics", 3, "books", 1));

        List<OfferMatch> ranked = new OfferMatcher(HALF_LIFE, 10).match(catalog, null, after, NOW);

        assertThat(ids(ranked)).containsExactly("ELEC-NEWER", "ELEC-HIGH", "ELEC-A", "ELEC-B", "ELEC-LOW",
            "BOOKS-HIGH");
        assertThat(ranked.get(0).interestScore()).isEqualTo(3.0);
    }

    @Test
    void match_returnsAtMostN_distinctOffers_creditingTheBestInterestAndTheMostSpecificRule() {
        OfferCatalog catalog = new OfferCatalog("v7", List.of(
            offer("BOTH", Set.of("electronics", "books"), List.of("ZA", "ZA/WC/cape-town"),
                List.of(Channel.SMS), 10, Offers.FROM, Offers.UNTIL),
            offer("OTHER", "books", "ZA", 5),
            offer("THIRD", "books", "ZA", 1)));
        Profile after = profile("c1", place("Cape Town"), NOW, Map.of("electronics", 2, "books", 1));

        List<OfferMatch> two = new OfferMatcher(HALF_LIFE, 2).match(catalog, null, after, NOW);

        assertThat(ids(two)).containsExactly("BOTH", "OTHER");
        assertThat(two.get(0).interest()).isEqualTo("electronics");
        assertThat(two.get(0).locationRule()).isEqualTo("ZA/WC/cape-town");
        assertThat(two.get(0).catalogVersion()).isEqualTo("v7");
        assertThat(two.get(0).causeEventId()).isEqualTo("ev-electronics-2");
        assertThat(two.get(0).trigger()).isEqualTo(MatchTrigger.NEW_INTEREST);
        assertThat(ids(one.match(catalog, null, after, NOW))).containsExactly("BOTH");
    }

    @Test
    void match_skipsOffersOutsideTheirValidityWindow_andOffersOnChannelsTheCustomerRefused() {
        OfferCatalog catalog = new OfferCatalog("v1", List.of(
            offer("EXPIRED", Set.of("books"), List.of("ZA"), List.of(Channel.SMS), 90, Offers.FROM,
                NOW.minusSeconds(1)),
            offer("FUTURE", Set.of("books"), List.of("ZA"), List.of(Channel.SMS), 80, NOW.plusSeconds(1),
                Offers.UNTIL),
            offer("EMAIL-ONLY", Set.of("books"), List.of("ZA"), List.of(Channel.EMAIL), 70, Offers.FROM,
                Offers.UNTIL),
            offer("ENDS-NOW", Set.of("books"), List.of("ZA"), List.of(Channel.SMS), 60, Offers.FROM, NOW),
            offer("VALID", Set.of("books"), List.of("ZA"), List.of(Channel.SMS, Channel.EMAIL), 10, NOW,
                Offers.UNTIL)));
        Profile after = profile("c1", place("Durban"), NOW, Map.of("books", 1));

        assertThat(ids(one.match(catalog, null, after, NOW, EnumSet.of(Channel.SMS)))).containsExactly("VALID");
        assertThat(ids(one.match(catalog, null, after, NOW, EnumSet.of(Channel.EMAIL))))
            .containsExactly("EMAIL-ONLY");
        assertThat(one.match(catalog, null, after, NOW, EnumSet.noneOf(Channel.class))).isEmpty();
    }

    @Test
    void triggers_areANewInterest_aScoreCrossingTheThreshold_andAMove_butNotARepeat() {
        Location capeTown = place("Cape Town");
        Profile before = profile("c1", capeTown, NOW, Map.of("electronics", 2, "books", 1));

        Profile repeat = withStat(before, "books", 2, capeTown);
        assertThat(one.triggers(before, repeat, NOW)).isEmpty();

        Profile crossing = withStat(before, "electronics", 3, capeTown);
        assertThat(one.triggers(before, crossing, NOW)).singleElement().satisfies(trigger -> {
            assertThat(trigger.interest()).isEqualTo("electronics");
            assertThat(trigger.kind()).isEqualTo(MatchTrigger.SCORE_THRESHOLD);
        });
        Profile beyond = withStat(crossing, "electronics", 4, capeTown);
        assertThat(one.triggers(crossing, beyond, NOW)).isEmpty();

        Profile added = withStat(before, "garden", 1, capeTown);
        assertThat(one.triggers(before, added, NOW)).extracting(OfferMatcher.Trigger::kind)
            .containsExactly(MatchTrigger.NEW_INTEREST);

        Profile moved = withStat(before, "books", 2, place("Stellenbosch"));
        assertThat(one.triggers(before, moved, NOW)).extracting(OfferMatcher.Trigger::kind)
            .containsOnly(MatchTrigger.LOCATION_CHANGE).hasSize(2);
    }

    @Test
    void matchesAfterAMove_creditTheEventThatMovedTheCustomer_theOthersTheInterestsOwnEvent() {
        // the ledger's eventId is how an operator finds what an event led to, and how the load tool times it
        Location capeTown = place("Cape Town");
        Profile before = profile("c1", capeTown, NOW, Map.of("electronics", 2, "books", 1));
        Profile moved = withStat(before, "books", 2, place("Stellenbosch"));
        moved = new Profile(moved.customerId(), moved.version(), moved.interests(), moved.location(),
            moved.locationAt(), "ev-moved", moved.consent(), moved.applied(), moved.updatedAt());

        assertThat(one.triggers(before, moved, NOW)).extracting(OfferMatcher.Trigger::interest,
            OfferMatcher.Trigger::causeEventId).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("electronics", "ev-moved"),
                org.assertj.core.groups.Tuple.tuple("books", "ev-moved"));
        Profile movedByAnOldItem = withStat(before, "books", 2, place("Stellenbosch")); // no locationEventId
        assertThat(one.triggers(before, movedByAnOldItem, NOW)).hasSize(2).allSatisfy(trigger ->
            assertThat(trigger.causeEventId()).isEqualTo(trigger.stat().lastEventId()).isNotEmpty());
        Profile added = withStat(moved, "garden", 1, place("Stellenbosch"));
        assertThat(one.triggers(moved, added, NOW)).singleElement().satisfies(trigger -> {
            assertThat(trigger.kind()).isEqualTo(MatchTrigger.NEW_INTEREST);
            assertThat(trigger.causeEventId()).isEqualTo("ev-garden-1");
        });
        OfferCatalog catalog = new OfferCatalog("v1", List.of(offer("BOOKS", "books", "*", 1)));
        assertThat(one.match(catalog, before, moved, NOW, EnumSet.of(Channel.SMS)))
            .extracting(OfferMatch::causeEventId).containsExactly("ev-moved");
        assertThat(one.matchByLinearScan(catalog, before, moved, NOW, EnumSet.of(Channel.SMS)))
            .extracting(OfferMatch::causeEventId).containsExactly("ev-moved");
    }

    @Test
    void triggers_afterAMove_leaveOutInterestsThatFadedBelowTheRelevanceFloor() {
        Instant longAgo = NOW.minus(Duration.ofDays(120));
        Profile before = profile("c1", place("Cape Town"), longAgo, Map.of("electronics", 1));
        Profile moved = withStat(before, "books", 1, place("Durban"));

        assertThat(one.triggers(before, moved, NOW)).extracting(OfferMatcher.Trigger::interest)
            .containsExactly("books");
    }

    @Test
    void triggers_forAConsentChangeOrAProfileWithoutAPlace_areEmpty() {
        Profile before = profile("c1", place("Cape Town"), NOW, Map.of("electronics", 1));
        Profile consentOnly = before.withConsent(Channel.SMS, za.co.personalisation.core.profile.Consent.UNKNOWN,
            NOW);
        Profile nowhere = new Profile("c2", 1, before.interests(), null, Instant.EPOCH, Map.of(), List.of(), NOW);

        assertThat(one.triggers(before, consentOnly, NOW)).isEmpty();
        assertThat(one.triggers(null, nowhere, NOW)).isEmpty();
    }

    @Test
    void match_givesTheSameAnswerAsALinearScan_overRandomCatalogsAndProfiles() {
        String[] interests = {"electronics", "books", "garden", "toys", "fashion"};
        String[] rules = {"*", "ZA", "ZA/WC", "ZA/GP", "ZA/KZN", "ZA/WC/cape-town", "ZA/WC/stellenbosch",
            "ZA/GP/johannesburg", "ZA/KZN/durban"};
        String[] places = {"Cape Town", "Stellenbosch", "Paarl", "Johannesburg", "Pretoria", "Durban", "Kimberley"};
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            List<Offer> offers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Instant from = Offers.FROM.plus(Duration.ofDays(random.nextInt(400)));
                offers.add(offer("O" + i, Set.of(interests[random.nextInt(interests.length)]),
                    List.of(rules[random.nextInt(rules.length)], rules[random.nextInt(rules.length)]),
                    random.nextBoolean() ? List.of(Channel.SMS) : List.of(Channel.EMAIL, Channel.SMS),
                    random.nextInt(5), from, from.plus(Duration.ofDays(30 + random.nextInt(400)))));
            }
            OfferCatalog catalog = new OfferCatalog("v" + seed, offers);
            OfferMatcher matcher = new OfferMatcher(HALF_LIFE, 1 + random.nextInt(3));
            for (int p = 0; p < 20; p++) {
                Map<String, Integer> seen = new HashMap<>();
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    seen.put(interests[random.nextInt(interests.length)], 1 + random.nextInt(4));
                }
                Profile after = profile("c" + p, place(places[random.nextInt(places.length)]), NOW, seen);
                Set<Channel> reachable = random.nextBoolean() ? EnumSet.allOf(Channel.class)
                    : EnumSet.of(Channel.EMAIL);

                assertThat(describe(matcher.match(catalog, null, after, NOW, reachable)))
                    .as("seed %d profile %d", seed, p)
                    .isEqualTo(describe(matcher.matchByLinearScan(catalog, null, after, NOW, reachable)));
            }
        }
    }

    private static Profile newcomer(Location place) {
        return profile("c1", place, NOW, Map.of("electronics", 1));
    }

    private static Profile withStat(Profile profile, String interest, int count, Location place) {
        Map<String, InterestStat> stats = new HashMap<>(profile.interests());
        stats.put(interest, new InterestStat(count, count, NOW, NOW, "ev-" + interest + "-" + count));
        return new Profile(profile.customerId(), profile.version() + 1, stats, place, NOW, profile.consent(),
            List.of(), NOW);
    }

    private static List<String> ids(List<OfferMatch> matches) {
        return matches.stream().map(match -> match.offer().offerId()).toList();
    }

    private static List<String> describe(List<OfferMatch> matches) {
        return matches.stream().map(m -> m.offer().offerId() + "/" + m.interest() + "/" + m.locationRule()).toList();
    }
}
