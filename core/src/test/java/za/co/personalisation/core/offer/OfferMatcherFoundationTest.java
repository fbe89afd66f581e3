package za.co.personalisation.core.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;

class OfferMatcherFoundationTest {

    private static final Duration HALF_LIFE = Duration.ofDays(7);
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");
    private static final String VERSION = "2026-11-20.1";
    private static final Gazetteer GAZETTEER = Gazetteer.bundled();
    private static final Location CAPE_TOWN = GAZETTEER.resolve("Cape Town");
    private static final Location JOHANNESBURG = GAZETTEER.resolve("Johannesburg");

    private final OfferMatcher matcher = new OfferMatcher(HALF_LIFE, 10);

    private static Offer offer(String id, String interest, String... locations) {
        return offer(id, Set.of(interest), List.of(locations), 0, FROM, UNTIL);
    }

    private static Offer offer(String id, Set<String> interests, List<String> locations, int priority,
        Instant validFrom, Instant validUntil) {
        return new Offer(id, "Offer " + id, interests, locations, List.of(Channel.SMS, Channel.EMAIL), validFrom,
            validUntil, priority, Map.of(Offer.DEFAULT_LOCALE, new OfferMessage("Deal " + id + " today.",
                "Deal " + id, "A deal for you.")));
    }

    private static OfferCatalog catalog(Offer... offers) {
        return new OfferCatalog(VERSION, List.of(offers));
    }

    /** One event for this interest, seen now, credited to {@code "ev-" + interest}. */
    private static InterestStat seenNow(String interest) {
        return InterestStat.first(NOW, "ev-" + interest);
    }

    private static Profile profile(Location location, Map<String, InterestStat> interests) {
        return new Profile("12345", 3, interests, location, NOW, Map.of(), List.of(), NOW);
    }

    private List<OfferMatch> matchNew(OfferCatalog catalog, Profile after) {
        return matcher.match(catalog, null, after, NOW);
    }

    private static List<String> ids(List<OfferMatch> matches) {
        return matches.stream().map(m -> m.offer().offerId()).toList();
    }

    @Test
    void match_whenProvinceOfferAndCityCustomer_matchesOnTheProvinceRule() {
        Offer wc = offer("wc-electronics", "electronics", "ZA/WC");

        List<OfferMatch> matches = matchNew(catalog(wc), profile(CAPE_TOWN, Map.of("electronics",
            seenNow("electronics"))));

        assertThat(matches).containsExactly(new OfferMatch(wc, "electronics", 1.0, "ZA/WC", VERSION,
            "ev-electronics", MatchTrigger.NEW_INTEREST));
    }

    @Test
    void match_whenCountryOffer_matchesACityCustomer() {
        Offer za = offer("za-books", "books", "ZA");

        List<OfferMatch> matches = matchNew(catalog(za), profile(JOHANNESBURG, Map.of("books", seenNow("books"))));

        assertThat(matches).singleElement().satisfies(match -> assertThat(match.locationRule()).isEqualTo("ZA"));
    }

    @Test
    void match_whenOfferIsForAnotherPlaceOrInterest_matchesNothing() {
        OfferCatalog catalog = catalog(offer("gp-electronics", "electronics", "ZA/GP"),
            offer("wc-books", "books", "ZA/WC"), offer("ct-prefix", "electronics", "ZA/WC/cape"));

        assertThat(matchNew(catalog, profile(CAPE_TOWN, Map.of("electronics", seenNow("electronics"))))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*,ZA,ZA/WC/cape-town,ZA/WC", "ZA/WC/cape-town,*", "ZA/WC,ZA/WC/cape-town,ZA",
        "ZA/GP,ZA/WC/cape-town"})
    void match_whenSeveralRulesCover_recordsTheMostSpecific(String rules) {
        Offer offer = offer("multi", Set.of("electronics"), List.of(rules.split(",")), 0, FROM, UNTIL);

        List<OfferMatch> matches = matchNew(catalog(offer), profile(CAPE_TOWN, Map.of("electronics",
            seenNow("electronics"))));

        assertThat(matches).singleElement()
            .satisfies(match -> assertThat(match.locationRule()).isEqualTo("ZA/WC/cape-town"));
    }

    @Test
    void match_whenOnlyEverywhereCovers_recordsTheStar() {
        Offer offer = offer("anywhere", "electronics", "ZA/GP", "*");

        assertThat(matchNew(catalog(offer), profile(CAPE_TOWN, Map.of("electronics", seenNow("electronics")))))
            .extracting(OfferMatch::locationRule).containsExactly("*");
    }

    @Test
    void match_whenLocationUnknown_matchesOnlyEverywhereOffers() {
        OfferCatalog catalog = catalog(offer("za", "electronics", "ZA"), offer("anywhere", "electronics", "*"));

        List<OfferMatch> matches = matchNew(catalog, profile(Location.unknown("Atlantis"),
            Map.of("electronics", seenNow("electronics"))));

        assertThat(ids(matches)).containsExactly("anywhere");
    }

    @Test
    void match_whenOffersExpiredOrNotYetValid_excludesThem() {
        Set<String> electronics = Set.of("electronics");
        List<String> za = List.of("ZA");
        OfferCatalog catalog = catalog(
            offer("ended-now", electronics, za, 0, FROM, NOW),
            offer("ended-last-week", electronics, za, 0, FROM, NOW.minus(Duration.ofDays(7))),
            offer("starts-in-a-second", electronics, za, 0, NOW.plusSeconds(1), UNTIL),
            offer("starts-now", electronics, za, 0, NOW, UNTIL),
            offer("ends-in-a-second", electronics, za, 0, FROM, NOW.plusSeconds(1)));

        List<OfferMatch> matches = matchNew(catalog, profile(CAPE_TOWN, Map.of("electronics",
            seenNow("electronics"))));

        assertThat(ids(matches)).containsExactlyInAnyOrder("starts-now", "ends-in-a-second");
    }

    @Test
    void match_ranksByScoreThenPriorityThenRecencyThenId() {
        Set<String> electronics = Set.of("electronics");
        List<String> za = List.of("ZA");
        Instant older = NOW.minus(Duration.ofDays(10));
        Instant newer = NOW.minus(Duration.ofDays(2));
        OfferCatalog catalog = catalog(
            offer("a-books-top-priority", Set.of("books"), za, 9, newer, UNTIL),
            offer("b-low-priority", electronics, za, 1, newer, UNTIL),
            offer("c-older", electronics, za, 5, older, UNTIL),
            offer("e-newer", electronics, za, 5, newer, UNTIL),
            offer("d-newer", electronics, za, 5, newer, UNTIL));
        Profile after = profile(CAPE_TOWN, Map.of(
            "electronics", new InterestStat(3.0, 3, older, NOW, "ev-9"),
            "books", new InterestStat(1.5, 2, older, NOW, "ev-4")));

        List<OfferMatch> matches = matchNew(catalog, after);

        assertThat(ids(matches)).containsExactly("d-newer", "e-newer", "c-older", "b-low-priority",
            "a-books-top-priority");
        assertThat(matches).extracting(OfferMatch::interestScore).containsExactly(3.0, 3.0, 3.0, 3.0, 1.5);
        assertThat(matches).extracting(OfferMatch::causeEventId).containsExactly("ev-9", "ev-9", "ev-9", "ev-9",
            "ev-4");
    }

    @Test
    void match_whenMoreCandidatesThanMaxOffers_returnsOnlyTheTopOnes() {
        OfferMatcher two = new OfferMatcher(HALF_LIFE, 2);
        List<String> za = List.of("ZA");
        OfferCatalog catalog = catalog(
            offer("p1", Set.of("electronics"), za, 1, FROM, UNTIL),
            offer("p7", Set.of("electronics"), za, 7, FROM, UNTIL),
            offer("p3", Set.of("electronics"), za, 3, FROM, UNTIL));

        List<OfferMatch> matches = two.match(catalog, null, profile(CAPE_TOWN, Map.of("electronics",
            seenNow("electronics"))), NOW);

        assertThat(ids(matches)).containsExactly("p7", "p3");
    }

    @Test
    void match_scoresTheInterestAsDecayedToNow() {
        Instant weekAgo = NOW.minus(HALF_LIFE);
        Profile after = profile(CAPE_TOWN, Map.of("electronics", new InterestStat(2.0, 2, weekAgo, weekAgo,
            "ev-old")));

        List<OfferMatch> matches = matchNew(catalog(offer("za", "electronics", "ZA")), after);

        assertThat(matches).singleElement().satisfies(match -> {
            assertThat(match.interestScore()).isCloseTo(1.0, within(1e-9));
            assertThat(match.causeEventId()).isEqualTo("ev-old");
        });
    }

    @Test
    void match_whenOfferCoversSeveralInterests_keepsTheBestRankedOnce() {
        Offer both = offer("both", Set.of("electronics", "books"), List.of("ZA"), 0, FROM, UNTIL);
        Profile after = profile(CAPE_TOWN, Map.of(
            "electronics", new InterestStat(1.2, 2, NOW, NOW, "ev-e"),
            "books", new InterestStat(2.5, 3, NOW, NOW, "ev-b")));

        List<OfferMatch> matches = matchNew(catalog(both), after);

        assertThat(matches).containsExactly(new OfferMatch(both, "books", 2.5, "ZA", VERSION, "ev-b",
            MatchTrigger.NEW_INTEREST));
    }

    @Test
    void match_whenNoNewInterestAndNoMove_returnsNothing() {
        OfferCatalog catalog = catalog(offer("wc", "electronics", "ZA/WC"));
        Profile before = profile(CAPE_TOWN, Map.of("electronics", seenNow("electronics")));
        Profile after = profile(GAZETTEER.resolve("Kaapstad"), Map.of("electronics",
            new InterestStat(1.9, 2, NOW.minusSeconds(60), NOW, "ev-2")));

        assertThat(matcher.match(catalog, before, after, NOW)).isEmpty();
    }

    @Test
    void match_whenNewInterestWithoutMove_considersOnlyTheNewInterest() {
        OfferCatalog catalog = catalog(offer("wc-electronics", "electronics", "ZA/WC"),
            offer("wc-books", "books", "ZA/WC"));
        Profile before = profile(CAPE_TOWN, Map.of("electronics", seenNow("electronics")));
        Profile after = profile(CAPE_TOWN, Map.of("electronics", seenNow("electronics"), "books", seenNow("books")));

        List<OfferMatch> matches = matcher.match(catalog, before, after, NOW);

        assertThat(matches).singleElement().satisfies(match -> {
            assertThat(match.offer().offerId()).isEqualTo("wc-books");
            assertThat(match.interest()).isEqualTo("books");
            assertThat(match.causeEventId()).isEqualTo("ev-books");
            assertThat(match.trigger()).isEqualTo(MatchTrigger.NEW_INTEREST);
        });
    }

    @Test
    void match_whenCustomerMoved_considersEveryInterest() {
        OfferCatalog catalog = catalog(offer("gp-electronics", "electronics", "ZA/GP"),
            offer("gp-books", "books", "ZA/GP"), offer("wc-books", "books", "ZA/WC"));
        Map<String, InterestStat> interests = Map.of("electronics", new InterestStat(2.0, 2, NOW, NOW, "ev-e"),
            "books", seenNow("books"));
        Profile before = profile(CAPE_TOWN, interests);
        Profile after = profile(JOHANNESBURG, interests);

        List<OfferMatch> matches = matcher.match(catalog, before, after, NOW);

        assertThat(ids(matches)).containsExactly("gp-electronics", "gp-books");
        assertThat(matches).extracting(OfferMatch::locationRule).containsOnly("ZA/GP");
        assertThat(matches).extracting(OfferMatch::trigger).containsOnly(MatchTrigger.LOCATION_CHANGE);
    }

    @Test
    void match_whenMovedBetweenUnknownPlaces_considersEveryInterest() {
        OfferCatalog catalog = catalog(offer("anywhere", "electronics", "*"));
        Map<String, InterestStat> interests = Map.of("electronics", seenNow("electronics"));

        List<OfferMatch> matches = matcher.match(catalog, profile(Location.unknown("Atlantis"), interests),
            profile(Location.unknown("Lemuria"), interests), NOW);

        assertThat(matches).singleElement().satisfies(match -> {
            assertThat(match.offer().offerId()).isEqualTo("anywhere");
            assertThat(match.trigger()).isEqualTo(MatchTrigger.LOCATION_CHANGE);
        });
    }

    @Test
    void match_whenPreviousProfileHadNoLocation_treatsItAsAMove() {
        OfferCatalog catalog = catalog(offer("wc", "electronics", "ZA/WC"));
        Map<String, InterestStat> interests = Map.of("electronics", seenNow("electronics"));

        List<OfferMatch> matches = matcher.match(catalog, profile(null, interests), profile(CAPE_TOWN, interests),
            NOW);

        assertThat(matches).singleElement().satisfies(match -> {
            assertThat(match.offer().offerId()).isEqualTo("wc");
            assertThat(match.trigger()).isEqualTo(MatchTrigger.LOCATION_CHANGE);
        });
    }

    @Test
    void match_whenProfileHasNoLocation_returnsNothing() {
        OfferCatalog catalog = catalog(offer("anywhere", "electronics", "*"));

        assertThat(matchNew(catalog, profile(null, Map.of("electronics", seenNow("electronics"))))).isEmpty();
    }

    @Test
    void new_whenMaxOffersBelowOne_rejectsIt() {
        assertThatThrownBy(() -> new OfferMatcher(HALF_LIFE, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maxOffers must be at least 1: 0");
    }
}
