package za.co.personalisation.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.location.Location;

class ProfileMergerBehaviourTest {

    private static final Duration HALF_LIFE = Duration.ofDays(7);
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Gazetteer GAZETTEER = Gazetteer.bundled();
    private static final String CUSTOMER = "12345";

    private final ProfileMerger merger = new ProfileMerger(HALF_LIFE, 5);

    private static InterestEvent event(String eventId, String interest, String place, Instant occurredAt) {
        return new InterestEvent(eventId, CUSTOMER, interest, GAZETTEER.resolve(place), occurredAt, NOW, "", false);
    }

    private static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    @Test
    void apply_whenFirstEvent_createsTheInterestAndSetsTheLocation() {
        Instant at = daysAgo(1);

        ProfileMerger.Result result = merger.apply(Profile.empty(CUSTOMER),
            List.of(event("e1", "electronics", "Cape Town", at)), NOW);

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.duplicates()).isZero();
        assertThat(result.changed()).isTrue();
        Profile profile = result.profile();
        assertThat(profile.interests()).containsExactly(Map.entry("electronics", InterestStat.first(at, "e1")));
        assertThat(profile.location()).isEqualTo(new Location("ZA/WC/cape-town", "Cape Town", true));
        assertThat(profile.locationAt()).isEqualTo(at);
        assertThat(profile.locationEventId()).isEqualTo("e1");
        assertThat(profile.applied().occurredAtMillisById()).containsExactly(Map.entry("e1", at.toEpochMilli()));
        assertThat(profile.applied().horizonAt()).as("nothing forgotten yet").isNull();
        assertThat(profile.updatedAt()).isEqualTo(NOW);
        assertThat(profile.version()).as("the store, not the merger, bumps the version").isZero();
    }

    @Test
    void apply_whenSameEventTwice_secondIsANoOp() {
        InterestEvent event = event("e1", "electronics", "Cape Town", daysAgo(1));
        Profile once = merger.apply(Profile.empty(CUSTOMER), List.of(event), NOW).profile();

        ProfileMerger.Result again = merger.apply(once, List.of(event), NOW.plusSeconds(60));

        assertThat(again.profile()).isSameAs(once);
        assertThat(again.applied()).isZero();
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.changed()).isFalse();
    }

    @Test
    void apply_whenSameEventTwiceInOneBatch_countsItOnce() {
        InterestEvent event = event("e1", "electronics", "Cape Town", daysAgo(1));

        ProfileMerger.Result result = merger.apply(Profile.empty(CUSTOMER), List.of(event, event), NOW);

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.profile().interests().get("electronics").count()).isEqualTo(1);
        assertThat(appliedIds(result.profile())).containsExactly("e1");
    }

    @Test
    void apply_whenEventsShuffled_givesTheSameCountsScoresAndLocation() {
        List<InterestEvent> events = List.of(
            event("e1", "electronics", "Cape Town", daysAgo(6)),
            event("e2", "books", "Stellenbosch", daysAgo(5.5)),
            event("e3", "electronics", "Joburg", daysAgo(3)),
            event("e4", "electronics", "Durban", daysAgo(2.25)),
            event("e5", "books", "Kaapstad", daysAgo(1)),
            event("e6", "garden & braai", "Atlantis", daysAgo(4)));
        ProfileMerger roomy = new ProfileMerger(HALF_LIFE, 100);
        Profile expected = roomy.apply(Profile.empty(CUSTOMER), events, NOW).profile();
        Random random = new Random(20261125L);

        for (int round = 0; round < 20; round++) {
            List<InterestEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            Profile actual = Profile.empty(CUSTOMER);
            for (InterestEvent event : shuffled) {
                actual = roomy.apply(actual, List.of(event), NOW).profile();
            }

            assertThat(actual.location()).as("order %s", ids(shuffled)).isEqualTo(expected.location());
            assertThat(actual.locationAt()).isEqualTo(daysAgo(1));
            assertThat(actual.locationEventId()).isEqualTo("e5");
            assertThat(actual.applied()).as("order %s", ids(shuffled)).isEqualTo(expected.applied());
            assertThat(actual.interests()).containsOnlyKeys("electronics", "books", "garden & braai");
            for (Map.Entry<String, InterestStat> entry : expected.interests().entrySet()) {
                InterestStat want = entry.getValue();
                InterestStat got = actual.interests().get(entry.getKey());
                assertThat(got.score()).as("%s in order %s", entry.getKey(), ids(shuffled))
                    .isCloseTo(want.score(), within(1e-9));
                assertThat(got.count()).isEqualTo(want.count());
                assertThat(got.firstSeen()).isEqualTo(want.firstSeen());
                assertThat(got.lastSeen()).isEqualTo(want.lastSeen());
                assertThat(got.lastEventId()).isEqualTo(want.lastEventId());
            }
        }
        assertThat(expected.location()).isEqualTo(new Location("ZA/WC/cape-town", "Cape Town", true));
        InterestStat electronics = expected.interests().get("electronics");
        assertThat(electronics.count()).isEqualTo(3);
        assertThat(electronics.lastEventId()).isEqualTo("e4");
        assertThat(electronics.score()).isCloseTo(Math.pow(0.5, 3.75 / 7) + Math.pow(0.5, 0.75 / 7) + 1.0,
            within(1e-9));
    }

    @Test
    void apply_whenLateEventArrives_updatesCountAndScoreButNotTheLocation() {
        Profile current = merger.apply(Profile.empty(CUSTOMER),
            List.of(event("e2", "electronics", "Cape Town", daysAgo(1))), NOW).profile();

        Profile merged = merger.apply(current, List.of(event("e1", "electronics", "Joburg", daysAgo(3))), NOW)
            .profile();

        assertThat(merged.location()).isEqualTo(new Location("ZA/WC/cape-town", "Cape Town", true));
        assertThat(merged.locationAt()).isEqualTo(daysAgo(1));
        assertThat(merged.locationEventId()).isEqualTo("e2");
        InterestStat stat = merged.interests().get("electronics");
        assertThat(stat.count()).isEqualTo(2);
        assertThat(stat.score()).isCloseTo(1.0 + Math.pow(0.5, 2.0 / 7), within(1e-9));
        assertThat(stat.firstSeen()).isEqualTo(daysAgo(3));
        assertThat(stat.lastSeen()).isEqualTo(daysAgo(1));
        assertThat(stat.lastEventId()).isEqualTo("e2");
        // remembered in (occurredAt, eventId) order, not in the order they arrived (docs/profiles.md)
        assertThat(merged.applied().occurredAtMillisById()).containsExactly(
            Map.entry("e1", daysAgo(3).toEpochMilli()), Map.entry("e2", daysAgo(1).toEpochMilli()));
    }

    @Test
    void apply_whenLateEventHasANewInterest_addsItWithoutMoving() {
        Profile current = merger.apply(Profile.empty(CUSTOMER),
            List.of(event("e2", "electronics", "Cape Town", daysAgo(1))), NOW).profile();

        Profile merged = merger.apply(current, List.of(event("e1", "books", "Durban", daysAgo(2))), NOW).profile();

        assertThat(merged.interests()).containsOnlyKeys("electronics", "books");
        assertThat(merged.interests().get("books")).isEqualTo(InterestStat.first(daysAgo(2), "e1"));
        assertThat(merged.location().key()).isEqualTo("ZA/WC/cape-town");
    }

    @Test
    void apply_whenNewerEventElsewhere_movesTheLocation() {
        Profile current = merger.apply(Profile.empty(CUSTOMER),
            List.of(event("e1", "electronics", "Cape Town", daysAgo(2))), NOW).profile();

        Profile merged = merger.apply(current, List.of(event("e2", "electronics", "Atlantis", daysAgo(1))), NOW)
            .profile();

        assertThat(merged.location()).isEqualTo(Location.unknown("Atlantis"));
        assertThat(merged.locationAt()).isEqualTo(daysAgo(1));
        assertThat(merged.locationEventId()).isEqualTo("e2");
    }

    @Test
    void apply_whenTwoEventsShareOccurredAt_locationDoesNotDependOnArrivalOrder() {
        InterestEvent capeTown = event("e-a", "electronics", "Cape Town", NOW);
        InterestEvent durban = event("e-b", "books", "Durban", NOW);

        Profile forward = merger.apply(Profile.empty(CUSTOMER), List.of(capeTown, durban), NOW).profile();
        Profile backward = merger.apply(Profile.empty(CUSTOMER), List.of(durban, capeTown), NOW).profile();

        assertThat(backward.location()).isEqualTo(forward.location());
        // the tie is broken by eventId: "e-b" > "e-a", so Durban whichever arrived last
        assertThat(forward.location()).isEqualTo(new Location("ZA/KZN/durban", "Durban", true));
        assertThat(forward.locationEventId()).isEqualTo("e-b");
        assertThat(backward.locationEventId()).isEqualTo("e-b");
        assertThat(backward.locationAt()).isEqualTo(NOW);
    }

    @Test
    void apply_whenMoreEventsThanRemembered_keepsOnlyTheMostRecentIds() {
        ProfileMerger small = new ProfileMerger(HALF_LIFE, 3);
        List<InterestEvent> events = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            events.add(event("e" + i, "electronics", "Cape Town", daysAgo(6 - i)));
        }

        Profile merged = small.apply(Profile.empty(CUSTOMER), events, NOW).profile();
        ProfileMerger.Result again = small.apply(merged, List.of(events.get(4), events.get(2)), NOW);

        assertThat(appliedIds(merged)).containsExactly("e3", "e4", "e5");
        assertThat(merged.applied().horizonAt()).as("the highest forgotten event, e2").isEqualTo(daysAgo(4));
        assertThat(merged.applied().horizonEventId()).isEqualTo("e2");
        assertThat(merged.interests().get("electronics").count()).isEqualTo(5);
        assertThat(again.applied()).isZero();
        assertThat(again.duplicates()).isEqualTo(2);
    }

    @Test
    void apply_whenBoundReachedAcrossCalls_dropsTheOldestIdsFirst() {
        ProfileMerger small = new ProfileMerger(HALF_LIFE, 2);
        Profile profile = Profile.empty(CUSTOMER);
        for (int i = 1; i <= 4; i++) {
            profile = small.apply(profile, List.of(event("e" + i, "books", "Durban", daysAgo(5 - i))), NOW)
                .profile();
            assertThat(profile.applied().size()).isLessThanOrEqualTo(2);
        }

        assertThat(appliedIds(profile)).containsExactly("e3", "e4");
        assertThat(profile.applied().horizonAt()).isEqualTo(daysAgo(3));
        assertThat(profile.applied().horizonEventId()).isEqualTo("e2");
    }

    @Test
    void apply_whenEventOfAnotherCustomer_rejectsIt() {
        InterestEvent foreign = new InterestEvent("x1", "67890", "books", GAZETTEER.resolve("Durban"), NOW, NOW, "",
            false);

        assertThatThrownBy(() -> merger.apply(Profile.empty(CUSTOMER), List.of(foreign), NOW))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("event x1 belongs to another customer");
    }

    @Test
    void apply_keepsConsentAndVersion() {
        Consent granted = new Consent(Consent.State.GRANTED, daysAgo(30));
        Profile withConsent = Profile.empty(CUSTOMER).withConsent(Channel.SMS, granted, daysAgo(30)).withVersion(7);

        Profile merged = merger.apply(withConsent, List.of(event("e1", "books", "Durban", daysAgo(1))), NOW)
            .profile();

        assertThat(merged.consentFor(Channel.SMS)).isEqualTo(granted);
        assertThat(merged.consentFor(Channel.EMAIL)).isEqualTo(Consent.UNKNOWN);
        assertThat(merged.version()).isEqualTo(7);
    }

    @Test
    void new_whenHalfLifeNotPositiveOrNothingRemembered_rejectsIt() {
        assertThatThrownBy(() -> new ProfileMerger(Duration.ZERO, 5))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("the score half-life must be positive: PT0S");
        assertThatThrownBy(() -> new ProfileMerger(HALF_LIFE, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("a profile must remember at least one event id");
    }

    /** The remembered event ids, in (occurredAt, eventId) order. */
    private static List<String> appliedIds(Profile profile) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < profile.applied().size(); i++) {
            ids.add(profile.applied().eventIdAt(i));
        }
        return ids;
    }

    private static List<String> ids(List<InterestEvent> events) {
        return events.stream().map(InterestEvent::eventId).toList();
    }
}
