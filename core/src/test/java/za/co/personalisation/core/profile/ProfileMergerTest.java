package za.co.personalisation.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static za.co.personalisation.core.profile.TestEvents.CAPE_TOWN;
import static za.co.personalisation.core.profile.TestEvents.DURBAN;
import static za.co.personalisation.core.profile.TestEvents.T0;
import static za.co.personalisation.core.profile.TestEvents.consent;
import static za.co.personalisation.core.profile.TestEvents.erasure;
import static za.co.personalisation.core.profile.TestEvents.interest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.location.Location;

class ProfileMergerTest {

    private static final Duration HALF_LIFE = Duration.ofDays(14);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final ProfileMerger merger = new ProfileMerger(HALF_LIFE, 200);

    @Test
    void apply_firstEvent_createsTheInterestAndTheLocation() {
        ProfileMerger.Result result = merger.apply(Profile.empty("c-1"),
            List.of(interest("e1", "electronics", CAPE_TOWN, 0)), NOW);

        Profile profile = result.profile();
        assertThat(result.applied()).isEqualTo(1);
        assertThat(profile.interests().get("electronics")).isEqualTo(new InterestStat(1.0, 1, T0, T0, "e1"));
        assertThat(profile.location()).isEqualTo(CAPE_TOWN);
        assertThat(profile.locationAt()).isEqualTo(T0);
        assertThat(profile.locationEventId()).isEqualTo("e1");
        assertThat(profile.applied().contains("e1")).isTrue();
        assertThat(profile.updatedAt()).isEqualTo(NOW);
    }

    @Test
    void apply_whenEventSeenBefore_changesNothing() {
        Profile once = merger.apply(Profile.empty("c-1"), List.of(interest("e1", "electronics", CAPE_TOWN, 0)), NOW)
            .profile();

        ProfileMerger.Result again = merger.apply(once, List.of(interest("e1", "electronics", CAPE_TOWN, 0)),
            NOW.plusSeconds(60));

        assertThat(again.changed()).isFalse();
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.profile()).isSameAs(once);
    }

    @Test
    void apply_whenTheSameEventIsTwiceInOneBatch_appliesItOnce() {
        ProfileMerger.Result result = merger.apply(Profile.empty("c-1"), List.of(
            interest("e1", "books", DURBAN, 0), interest("e1", "books", DURBAN, 0)), NOW);

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.profile().interests().get("books").count()).isEqualTo(1);
    }

    @Test
    void apply_scoreDecaysWithTheConfiguredHalfLife() {
        Profile profile = merger.apply(Profile.empty("c-1"), List.of(
            interest("e1", "books", DURBAN, 0),
            interest("e2", "books", DURBAN, HALF_LIFE.toMinutes())), NOW).profile();

        InterestStat books = profile.interests().get("books");
        // the first event has aged one half-life when the second occurs: 0.5 + 1
        assertThat(books.score()).isCloseTo(1.5, within(1e-12));
        assertThat(books.scoreAt(books.lastSeen().plus(HALF_LIFE), HALF_LIFE)).isCloseTo(0.75, within(1e-12));
        assertThat(new ProfileMerger(Duration.ofDays(7), 200).apply(Profile.empty("c-1"), List.of(
            interest("e1", "books", DURBAN, 0),
            interest("e2", "books", DURBAN, HALF_LIFE.toMinutes())), NOW).profile().interests().get("books").score())
            .isCloseTo(1.25, within(1e-12));
    }

    @Test
    void apply_lateEvent_addsToCountAndScoreButNeverRollsTheLocationBack() {
        Profile current = merger.apply(Profile.empty("c-1"), List.of(interest("e2", "books", DURBAN, 60)), NOW)
            .profile();

        Profile merged = merger.apply(current, List.of(interest("e1", "books", CAPE_TOWN, 0)), NOW).profile();

        InterestStat books = merged.interests().get("books");
        assertThat(books.count()).isEqualTo(2);
        assertThat(books.firstSeen()).isEqualTo(T0);
        assertThat(books.lastSeen()).isEqualTo(T0.plusSeconds(3600));
        assertThat(books.lastEventId()).isEqualTo("e2");
        assertThat(books.score()).isCloseTo(1.0 + Math.pow(0.5, 60.0 / HALF_LIFE.toMinutes()), within(1e-12));
        assertThat(merged.location()).isEqualTo(DURBAN);
        assertThat(merged.locationAt()).isEqualTo(T0.plusSeconds(3600));
    }

    @Test
    void apply_eventsAtTheSameInstant_pickTheLocationByEventIdWhateverTheOrder() {
        StreamEvent a = interest("e-a", "books", CAPE_TOWN, 5);
        StreamEvent b = interest("e-b", "books", DURBAN, 5);

        Profile ab = merger.apply(Profile.empty("c-1"), List.of(a, b), NOW).profile();
        Profile ba = merger.apply(Profile.empty("c-1"), List.of(b, a), NOW).profile();

        assertThat(ab.location()).isEqualTo(DURBAN);
        assertThat(ba.location()).isEqualTo(DURBAN);
        assertThat(ba.interests().get("books").lastEventId()).isEqualTo("e-b");
    }

    @Test
    void apply_inAnyOrderWithDuplicatesAndAnySplitIntoBatches_givesTheSameProfile() {
        List<StreamEvent> events = List.of(
            interest("e1", "books", CAPE_TOWN, 0),
            interest("e2", "books", DURBAN, 30),
            interest("e3", "electronics", DURBAN, 30),
            interest("e4", "books", CAPE_TOWN, 600),
            interest("e5", "sports", new Location("ZA/GP/johannesburg", "Johannesburg", true), 599),
            consent("c1", Channel.SMS, Consent.State.GRANTED, 10),
            consent("c2", Channel.SMS, Consent.State.REVOKED, 20),
            consent("c3", Channel.EMAIL, Consent.State.GRANTED, 5),
            interest("e6", "electronics", Location.unknown("Atlantis"), 600));
        Profile clean = merger.apply(Profile.empty("c-1"), events, NOW).profile();
        Random random = new Random(20261125);

        for (int round = 0; round < 300; round++) {
            List<StreamEvent> deliveries = new ArrayList<>(events);
            for (int i = 0; i < 5; i++) {
                deliveries.add(events.get(random.nextInt(events.size())));
            }
            Collections.shuffle(deliveries, random);
            Profile profile = Profile.empty("c-1");
            for (int from = 0; from < deliveries.size(); ) {
                int to = Math.min(deliveries.size(), from + 1 + random.nextInt(4));
                profile = merger.apply(profile, deliveries.subList(from, to), NOW).profile();
                from = to;
            }
            assertSameProfile(profile, clean);
        }
        assertThat(clean.consentFor(Channel.SMS)).isEqualTo(new Consent(Consent.State.REVOKED,
            T0.plusSeconds(1200), T0.plusSeconds(1200 + 1)));
        assertThat(clean.consentFor(Channel.EMAIL).granted()).isTrue();
        assertThat(clean.location()).isEqualTo(Location.unknown("Atlantis"));
    }

    @Test
    void apply_replayOfAnEventTheProfileNoLongerRemembers_isStillANoOp() {
        ProfileMerger small = new ProfileMerger(HALF_LIFE, 3);
        Profile profile = small.apply(Profile.empty("c-1"), List.of(
            interest("e1", "books", CAPE_TOWN, 0),
            interest("e2", "books", CAPE_TOWN, 1),
            interest("e3", "books", CAPE_TOWN, 2),
            interest("e4", "books", CAPE_TOWN, 3),
            interest("e5", "books", DURBAN, 4)), NOW).profile();
        assertThat(profile.applied().contains("e1")).isFalse();
        assertThat(profile.applied().contains("e2")).isFalse();

        ProfileMerger.Result replay = small.apply(profile, List.of(
            interest("e1", "books", CAPE_TOWN, 0),
            interest("e2", "books", CAPE_TOWN, 1)), NOW);

        assertThat(replay.changed()).isFalse();
        assertThat(replay.tooLateEventIds()).containsExactly("e1", "e2");
        assertThat(replay.profile().interests().get("books").count()).isEqualTo(5);
    }

    @Test
    void apply_firstTimeEventOlderThanEveryRememberedOne_isRefusedAsTooLate_andNewerLateOnesStillApply() {
        ProfileMerger small = new ProfileMerger(HALF_LIFE, 2);
        Profile profile = small.apply(Profile.empty("c-1"), List.of(
            interest("e10", "books", CAPE_TOWN, 10),
            interest("e20", "books", CAPE_TOWN, 20),
            interest("e30", "books", CAPE_TOWN, 30)), NOW).profile();
        assertThat(profile.applied().horizonAt()).isEqualTo(T0.plusSeconds(600));

        ProfileMerger.Result result = small.apply(profile, List.of(
            interest("e05", "books", DURBAN, 5),
            interest("e25", "books", DURBAN, 25)), NOW);

        assertThat(result.tooLateEventIds()).containsExactly("e05");
        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.profile().interests().get("books").count()).isEqualTo(4);
        assertThat(result.profile().location()).isEqualTo(CAPE_TOWN);
    }

    @Test
    void apply_consent_latestByOccurredAtWins_andAnOlderDecisionArrivingLaterIsIgnored() {
        Profile granted = merger.apply(Profile.empty("c-1"),
            List.of(consent("c2", Channel.EMAIL, Consent.State.GRANTED, 20)), NOW).profile();

        ProfileMerger.Result older = merger.apply(granted,
            List.of(consent("c1", Channel.EMAIL, Consent.State.REVOKED, 10)), NOW);
        ProfileMerger.Result newer = merger.apply(older.profile(),
            List.of(consent("c3", Channel.EMAIL, Consent.State.REVOKED, 30)), NOW);

        assertThat(older.profile().consentFor(Channel.EMAIL)).isEqualTo(new Consent(Consent.State.GRANTED,
            T0.plusSeconds(1200), T0.plusSeconds(1200 + 1)));
        assertThat(newer.profile().consentFor(Channel.EMAIL)).isEqualTo(new Consent(Consent.State.REVOKED,
            T0.plusSeconds(1800), T0.plusSeconds(1800 + 1)));
        assertThat(newer.profile().consentFor(Channel.SMS)).isEqualTo(Consent.UNKNOWN);
    }

    @Test
    void apply_consentDecisionsAtTheSameInstant_revocationWinsWhateverTheOrder() {
        StreamEvent grant = consent("c1", Channel.SMS, Consent.State.GRANTED, 10);
        StreamEvent revoke = consent("c2", Channel.SMS, Consent.State.REVOKED, 10);

        assertThat(merger.apply(Profile.empty("c-1"), List.of(grant, revoke), NOW).profile()
            .consentFor(Channel.SMS).state()).isEqualTo(Consent.State.REVOKED);
        assertThat(merger.apply(Profile.empty("c-1"), List.of(revoke, grant), NOW).profile()
            .consentFor(Channel.SMS).state()).isEqualTo(Consent.State.REVOKED);
    }

    @Test
    void apply_beyondMaxInterests_evictsTheLowestDecayedScoreFirst_tiesByLeastRecentlySeen() {
        ProfileMerger capped = new ProfileMerger(HALF_LIFE, 200, 2);
        long day = 24 * 60;
        // at the profile's latest lastSeen (day 10): a = 3 events on day 0, about 1.83; b = 1 on day 9, about
        // 0.95; c and d = 1 each on day 10, 1.0, d the later by a minute
        ProfileMerger.Result result = capped.apply(Profile.empty("c-1"), List.of(
            interest("a1", "a", CAPE_TOWN, 0), interest("a2", "a", CAPE_TOWN, 1), interest("a3", "a", CAPE_TOWN, 2),
            interest("b1", "b", CAPE_TOWN, 9 * day),
            interest("c1", "c", CAPE_TOWN, 10 * day),
            interest("d1", "d", CAPE_TOWN, 10 * day + 1)), NOW);

        assertThat(result.profile().interests()).containsOnlyKeys("a", "d");
        assertThat(result.evicted()).isEqualTo(2);

        ProfileMerger.Result again = capped.apply(result.profile(), List.of(interest("b2", "b", CAPE_TOWN,
            11 * day)), NOW);
        assertThat(again.profile().interests()).containsOnlyKeys("a", "b");
        assertThat(again.profile().interests().get("b").count()).as("b starts again").isEqualTo(1);
    }

    @Test
    void apply_consent_orderedByTheApisReceiveTime_notByTheClientsOccurredAt() {
        // a grant the client dated 5 minutes ahead, then a revocation the API received a minute after the grant
        ConsentEvent grant = new ConsentEvent("g", "c-1", Channel.SMS, Consent.State.GRANTED,
            T0.plusSeconds(300), T0, "", false);
        ConsentEvent revoke = new ConsentEvent("r", "c-1", Channel.SMS, Consent.State.REVOKED,
            T0.plusSeconds(60), T0.plusSeconds(60), "", false);

        for (List<StreamEvent> order : List.<List<StreamEvent>>of(List.of(grant, revoke), List.of(revoke, grant))) {
            assertThat(merger.apply(Profile.empty("c-1"), order, NOW).profile().consentFor(Channel.SMS).state())
                .isEqualTo(Consent.State.REVOKED);
        }
        assertThat(merger.applyConsent(Profile.empty("c-1"), List.of(revoke, grant), NOW).profile()
            .consentFor(Channel.SMS)).isEqualTo(new Consent(Consent.State.REVOKED, T0.plusSeconds(60),
            T0.plusSeconds(60)));
    }

    @Test
    void apply_consentEventSeenBefore_isSkippedByItsEventId() {
        Profile once = merger.apply(Profile.empty("c-1"),
            List.of(consent("c1", Channel.SMS, Consent.State.GRANTED, 10)), NOW).profile();

        ProfileMerger.Result again = merger.apply(once,
            List.of(consent("c1", Channel.SMS, Consent.State.GRANTED, 10)), NOW);

        assertThat(again.changed()).isFalse();
        assertThat(again.duplicates()).isEqualTo(1);
    }

    @Test
    void apply_consentOlderThanTheHorizon_isStillDecidedByItsTime() {
        ProfileMerger small = new ProfileMerger(HALF_LIFE, 1);
        Profile profile = small.apply(Profile.empty("c-1"), List.of(
            interest("e10", "books", CAPE_TOWN, 10),
            interest("e20", "books", CAPE_TOWN, 20)), NOW).profile();

        Profile merged = small.apply(profile, List.of(consent("c5", Channel.SMS, Consent.State.REVOKED, 5)), NOW)
            .profile();

        assertThat(merged.consentFor(Channel.SMS).state()).isEqualTo(Consent.State.REVOKED);
    }

    @Test
    void apply_keepsConsentAndInterestsThatTheEventsDoNotTouch() {
        Profile seeded = Profile.empty("c-1").withConsent(Channel.SMS, new Consent(Consent.State.GRANTED, T0), T0);

        Profile merged = merger.apply(seeded, List.of(interest("e1", "books", DURBAN, 1)), NOW).profile();

        assertThat(merged.consentFor(Channel.SMS).granted()).isTrue();
    }

    @Test
    void apply_erasureEvent_isRefused() {
        assertThatThrownBy(() -> merger.apply(Profile.empty("c-1"), List.of(erasure("x1", 0)), NOW))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("erasure");
    }

    @Test
    void apply_eventOfAnotherCustomer_isRefused() {
        assertThatThrownBy(() -> merger.apply(Profile.empty("c-1"),
            List.of(interest("c-2", "e1", "books", DURBAN, 0)), NOW))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("another customer");
    }

    @Test
    void constructor_refusesANonPositiveHalfLifeOrWindow() {
        assertThatThrownBy(() -> new ProfileMerger(Duration.ZERO, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProfileMerger(HALF_LIFE, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Equal but for updatedAt, and for score rounding (sums of the same terms added in another order). */
    static void assertSameProfile(Profile actual, Profile expected) {
        assertThat(actual.customerId()).isEqualTo(expected.customerId());
        assertThat(actual.interests().keySet()).isEqualTo(expected.interests().keySet());
        for (Map.Entry<String, InterestStat> entry : expected.interests().entrySet()) {
            InterestStat want = entry.getValue();
            InterestStat got = actual.interests().get(entry.getKey());
            assertThat(got.score()).as(entry.getKey()).isCloseTo(want.score(), within(1e-9 * want.score()));
            assertThat(new InterestStat(want.score(), got.count(), got.firstSeen(), got.lastSeen(), got.lastEventId()))
                .as(entry.getKey()).isEqualTo(want);
        }
        assertThat(actual.location()).isEqualTo(expected.location());
        assertThat(actual.locationAt()).isEqualTo(expected.locationAt());
        assertThat(actual.locationEventId()).isEqualTo(expected.locationEventId());
        assertThat(actual.consent()).isEqualTo(expected.consent());
        assertThat(actual.applied()).isEqualTo(expected.applied());
    }
}
