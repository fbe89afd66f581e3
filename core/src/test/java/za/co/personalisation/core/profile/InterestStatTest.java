package za.co.personalisation.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterestStatTest {

    private static final Duration HALF_LIFE = Duration.ofDays(7);
    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void decay_halvesPerHalfLife() {
        assertThat(InterestStat.decay(Duration.ZERO, HALF_LIFE)).isEqualTo(1.0);
        assertThat(InterestStat.decay(HALF_LIFE, HALF_LIFE)).isCloseTo(0.5, within(1e-12));
        assertThat(InterestStat.decay(HALF_LIFE.multipliedBy(3), HALF_LIFE)).isCloseTo(0.125, within(1e-12));
        assertThat(InterestStat.decay(HALF_LIFE.dividedBy(2), HALF_LIFE)).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(InterestStat.decay(Duration.ofDays(1), HALF_LIFE)).isCloseTo(Math.pow(2, -1.0 / 7), within(1e-12));
    }

    @Test
    void first_startsAtOneWithOneEvent() {
        assertThat(InterestStat.first(T0, "e1")).isEqualTo(new InterestStat(1.0, 1, T0, T0, "e1"));
    }

    @Test
    void plus_whenLaterEvent_decaysTheOldScoreAndAddsOne() {
        Instant later = T0.plus(HALF_LIFE);

        InterestStat stat = InterestStat.first(T0, "e1").plus(later, "e2", HALF_LIFE);

        assertThat(stat.score()).isCloseTo(1.5, within(1e-12));
        assertThat(stat.count()).isEqualTo(2);
        assertThat(stat.firstSeen()).isEqualTo(T0);
        assertThat(stat.lastSeen()).isEqualTo(later);
        assertThat(stat.lastEventId()).isEqualTo("e2");
    }

    @Test
    void plus_whenLateEvent_addsItsDecayedContributionAndKeepsLastSeen() {
        Instant earlier = T0.minus(HALF_LIFE.multipliedBy(2));

        InterestStat stat = InterestStat.first(T0, "e2").plus(earlier, "e1", HALF_LIFE);

        assertThat(stat.score()).isCloseTo(1.25, within(1e-12));
        assertThat(stat.count()).isEqualTo(2);
        assertThat(stat.firstSeen()).isEqualTo(earlier);
        assertThat(stat.lastSeen()).isEqualTo(T0);
        assertThat(stat.lastEventId()).isEqualTo("e2");
    }

    @Test
    void plus_whenSameInstant_creditsTheGreaterEventIdWhicheverArrivesFirst() {
        InterestStat ab = InterestStat.first(T0, "a").plus(T0, "b", HALF_LIFE);
        InterestStat ba = InterestStat.first(T0, "b").plus(T0, "a", HALF_LIFE);

        assertThat(ab).isEqualTo(ba);
        assertThat(ab.lastEventId()).isEqualTo("b");
        assertThat(ab.score()).isEqualTo(2.0);
    }

    @Test
    void plus_inAnyOrder_givesTheSameScore() {
        Instant t1 = T0.plus(Duration.ofDays(1));
        Instant t3 = T0.plus(Duration.ofDays(3));
        double expected = Math.pow(0.5, 3.0 / 7) + Math.pow(0.5, 2.0 / 7) + 1.0;
        List<List<Integer>> orders = List.of(List.of(0, 1, 2), List.of(0, 2, 1), List.of(1, 0, 2),
            List.of(1, 2, 0), List.of(2, 0, 1), List.of(2, 1, 0));
        List<Instant> times = List.of(T0, t1, t3);

        for (List<Integer> order : orders) {
            InterestStat stat = InterestStat.first(times.get(order.get(0)), "e" + order.get(0));
            for (int i : order.subList(1, 3)) {
                stat = stat.plus(times.get(i), "e" + i, HALF_LIFE);
            }
            assertThat(stat.score()).as("order %s", order).isCloseTo(expected, within(1e-12));
            assertThat(stat.count()).isEqualTo(3);
            assertThat(stat.firstSeen()).isEqualTo(T0);
            assertThat(stat.lastSeen()).isEqualTo(t3);
            assertThat(stat.lastEventId()).isEqualTo("e2");
        }
    }

    @Test
    void scoreAt_decaysSinceLastSeenButNeverGrowsBeforeIt() {
        InterestStat stat = new InterestStat(3.0, 4, T0, T0, "e4");

        assertThat(stat.scoreAt(T0.plus(HALF_LIFE.multipliedBy(2)), HALF_LIFE)).isCloseTo(0.75, within(1e-12));
        assertThat(stat.scoreAt(T0, HALF_LIFE)).isEqualTo(3.0);
        assertThat(stat.scoreAt(T0.minus(HALF_LIFE), HALF_LIFE)).isEqualTo(3.0);
    }

    @Test
    void new_whenNoEventsOrNoScore_rejectsIt() {
        assertThatThrownBy(() -> new InterestStat(1.0, 0, T0, T0, "e1"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("an interest has at least one event and a positive score");
        assertThatThrownBy(() -> new InterestStat(0.0, 1, T0, T0, "e1"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("an interest has at least one event and a positive score");
    }
}
