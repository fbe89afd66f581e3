package za.co.personalisation.replay.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimesTest {

    @Test
    void stages_keepTheFirstSighting_countOnce_andIgnoreForeignIndexes() {
        LoadPlan plan = LoadPlanTest.plan(1_000, 10, 0);
        EventTimes times = new EventTimes(plan, Instant.parse("2026-11-25T10:00:00Z"));

        times.reached(EventTimes.Stage.ENRICHED, 3, 5_000);
        times.reached(EventTimes.Stage.ENRICHED, 3, 9_000);
        times.reached(EventTimes.Stage.ENRICHED, -1, 9_000);
        times.reached(EventTimes.Stage.ENRICHED, 10, 9_000);
        times.appliedAtUnknownTime(4);
        times.failed(5, "http_400 /location");
        times.failed(5, "http_400 /location");

        assertThat(times.at(EventTimes.Stage.ENRICHED, 3)).isEqualTo(5_000);
        assertThat(times.appliedCount()).isEqualTo(2);
        assertThat(times.at(EventTimes.Stage.ENRICHED, 4)).isEqualTo(Long.MAX_VALUE);
        assertThat(times.errors()).containsEntry("http_400 /location", 1L);
        assertThat(times.intended(2)).isEqualTo(EventTimes.micros(Instant.parse("2026-11-25T10:00:00.002Z")));
    }
}
