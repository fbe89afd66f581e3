package za.co.personalisation.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Location;

/**
 * The replay flag of the event credited for an interest travels into the profile, so that notify sends offers
 * triggered by replayed traffic to the sandbox only, never to a customer.
 */
class ReplayFlagTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Location CAPE_TOWN = new Location("ZA/WC/cape-town", "Cape Town", true);
    private final ProfileMerger merger = new ProfileMerger(Duration.ofDays(14), 200);

    @Test
    void apply_whenTheLatestEventIsReplayed_marksTheInterestReplayed() {
        Profile merged = merger.apply(Profile.empty("c1"), List.of(event("e1", NOW.minusSeconds(60), false),
            event("e2", NOW, true)), NOW).profile();

        assertThat(merged.interests().get("electronics").lastEventId()).isEqualTo("e2");
        assertThat(merged.interests().get("electronics").lastEventReplay()).isTrue();
    }

    @Test
    void apply_whenALateReplayedEventArrives_keepsTheLiveEventCredited() {
        Profile live = merger.apply(Profile.empty("c1"), List.of(event("e2", NOW, false)), NOW).profile();

        Profile merged = merger.apply(live, List.of(event("e1", NOW.minusSeconds(60), true)), NOW).profile();

        assertThat(merged.interests().get("electronics").count()).isEqualTo(2);
        assertThat(merged.interests().get("electronics").lastEventId()).isEqualTo("e2");
        assertThat(merged.interests().get("electronics").lastEventReplay()).isFalse();
    }

    @Test
    void apply_keepsTheTraceIdOfTheCreditedEvent_soTheNotificationJoinsItsTrace() {
        Profile live = merger.apply(Profile.empty("c1"), List.of(traced("e1", NOW, "1-aaa")), NOW).profile();
        Profile merged = merger.apply(live, List.of(traced("e0", NOW.minusSeconds(60), "1-bbb")), NOW).profile();

        assertThat(live.interests().get("electronics").lastTraceId()).isEqualTo("1-aaa");
        assertThat(merged.interests().get("electronics").lastTraceId()).as("a late event is not credited")
            .isEqualTo("1-aaa");
    }

    private static InterestEvent event(String id, Instant at, boolean replay) {
        return new InterestEvent(id, "c1", "electronics", CAPE_TOWN, at, at, "", replay);
    }

    private static InterestEvent traced(String id, Instant at, String traceId) {
        return new InterestEvent(id, "c1", "electronics", CAPE_TOWN, at, at, traceId, false);
    }
}
