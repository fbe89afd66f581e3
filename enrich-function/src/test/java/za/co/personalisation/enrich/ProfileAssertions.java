package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;

/** Profile comparison for tests that reach the same profile by different paths. */
final class ProfileAssertions {

    private ProfileAssertions() {
    }

    /**
     * Equal in everything the events decide: not {@code updatedAt} or {@code version} (how many writes it took),
     * and scores to 1e-9 relative (the same decayed terms summed in another order round differently).
     */
    static void assertSameProfiles(Map<String, Profile> actual, Map<String, Profile> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, Profile> entry : expected.entrySet()) {
            Profile want = entry.getValue();
            Profile got = actual.get(entry.getKey());
            String as = "profile " + entry.getKey();
            assertThat(got.interests().keySet()).as(as).isEqualTo(want.interests().keySet());
            for (Map.Entry<String, InterestStat> interest : want.interests().entrySet()) {
                InterestStat w = interest.getValue();
                InterestStat g = got.interests().get(interest.getKey());
                assertThat(g.score()).as(as + " " + interest.getKey()).isCloseTo(w.score(), within(1e-9 * w.score()));
                assertThat(new InterestStat(w.score(), g.count(), g.firstSeen(), g.lastSeen(), g.lastEventId(),
                    g.lastEventReplay(), g.lastTraceId()))
                    .as(as + " " + interest.getKey()).isEqualTo(w);
            }
            assertThat(got.location()).as(as).isEqualTo(want.location());
            assertThat(got.locationAt()).as(as).isEqualTo(want.locationAt());
            assertThat(got.locationEventId()).as(as).isEqualTo(want.locationEventId());
            assertThat(got.consent()).as(as).isEqualTo(want.consent());
            assertThat(got.applied()).as(as).isEqualTo(want.applied());
        }
    }
}
