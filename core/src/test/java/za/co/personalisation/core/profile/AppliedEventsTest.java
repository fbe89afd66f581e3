package za.co.personalisation.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppliedEventsTest {

    private static final Instant T = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void build_beyondTheLimit_forgetsTheOldestByOccurredAtNotByArrival() {
        AppliedEvents.Builder builder = AppliedEvents.NONE.toBuilder();
        builder.add("late", T.minusSeconds(60));
        builder.add("a", T);
        builder.add("b", T.plusSeconds(1));

        AppliedEvents applied = builder.build(2);

        assertThat(applied.occurredAtMillisById()).containsOnlyKeys("a", "b");
        assertThat(applied.horizonAt()).isEqualTo(T.minusSeconds(60));
        assertThat(applied.horizonEventId()).isEqualTo("late");
        assertThat(applied.isAtOrBelowHorizon(T.minusSeconds(60), "late")).isTrue();
        assertThat(applied.isAtOrBelowHorizon(T.minusSeconds(60), "later-id")).isFalse();
        assertThat(applied.isAtOrBelowHorizon(T.minusSeconds(61), "zzz")).isTrue();
    }

    @Test
    void build_forgettingManyAtOnceOrOneAtATime_keepsTheSameNewestIdsAndHorizon() {
        java.util.Random random = new java.util.Random(3);
        AppliedEvents.Builder atOnce = AppliedEvents.NONE.toBuilder();
        AppliedEvents oneByOne = AppliedEvents.NONE;
        for (int i = 0; i < 40; i++) {
            Instant at = T.plusSeconds(random.nextInt(30));
            atOnce.add("e" + i, at);
            AppliedEvents.Builder step = oneByOne.toBuilder();
            step.add("e" + i, at);
            oneByOne = step.build(10);
        }

        AppliedEvents applied = atOnce.build(10);

        assertThat(applied).isEqualTo(oneByOne);
        assertThat(applied.size()).isEqualTo(10);
        long lowestKept = applied.occurredAtMillisById().values().stream().mapToLong(Long::longValue).min()
            .orElseThrow();
        assertThat(applied.horizonAt().toEpochMilli()).isLessThanOrEqualTo(lowestKept);
    }

    @Test
    void of_putsIdsAndTimesInKeyOrder_andContainsFindsEachId() {
        AppliedEvents applied = AppliedEvents.of(List.of("b", "a", "c", "d"), List.of(20L, 20L, 10L, 30L), null, "");

        assertThat(applied.eventIdAt(0)).isEqualTo("c");
        assertThat(applied.eventIdAt(1)).isEqualTo("a");
        assertThat(applied.eventIdAt(2)).isEqualTo("b");
        assertThat(applied.occurredAtMillisAt(3)).isEqualTo(30L);
        assertThat(applied.contains("d")).isTrue();
        assertThat(applied.contains("e")).isFalse();
    }

    @Test
    void build_neverLowersTheHorizon() {
        AppliedEvents high = AppliedEvents.of(List.of("x"), List.of(T.plusSeconds(100).toEpochMilli()),
            T.plusSeconds(50), "h");
        AppliedEvents.Builder builder = high.toBuilder();
        builder.add("old-consent", T);

        AppliedEvents applied = builder.build(1);

        assertThat(applied.occurredAtMillisById()).containsOnlyKeys("x");
        assertThat(applied.horizonAt()).isEqualTo(T.plusSeconds(50));
        assertThat(applied.horizonEventId()).isEqualTo("h");
    }

    @Test
    void build_withNothingAdded_returnsTheSameInstance() {
        AppliedEvents applied = AppliedEvents.of(List.of("x"), List.of(1L), null, "");

        assertThat(applied.toBuilder().build(1)).isSameAs(applied);
    }

    @Test
    void legacy_idsAreRememberedAndForgottenFirst_withoutRaisingTheHorizonPast1970() {
        AppliedEvents.Builder builder = AppliedEvents.legacy(List.of("old-1", "old-2")).toBuilder();
        assertThat(builder.contains("old-1")).isTrue();
        builder.add("new", T);

        AppliedEvents applied = builder.build(1);

        assertThat(applied.occurredAtMillisById()).containsOnlyKeys("new");
        assertThat(applied.horizonAt()).isEqualTo(Instant.EPOCH);
        assertThat(applied.isAtOrBelowHorizon(T.minusSeconds(86_400 * 30), "any")).isFalse();
    }

    @Test
    void none_hasNoHorizon() {
        assertThat(AppliedEvents.NONE.horizonAt()).isNull();
        assertThat(AppliedEvents.NONE.isAtOrBelowHorizon(Instant.EPOCH, "")).isFalse();
        assertThat(AppliedEvents.of(List.of(), List.of(), null, "")).isSameAs(AppliedEvents.NONE);
    }
}
