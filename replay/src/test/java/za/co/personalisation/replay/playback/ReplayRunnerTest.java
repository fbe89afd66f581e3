package za.co.personalisation.replay.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.replay.Fixtures;
import za.co.personalisation.replay.archive.ArchiveRecord;

class ReplayRunnerTest {

    private static final Instant T = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void run_sendsEveryValidRecordMarked_skipsTheRestWithAReason() throws InterruptedException {
        RecordingTarget target = new RecordingTarget();
        ReplayStats stats = new ReplayStats();
        List<ArchiveRecord> records = List.of(record("a", T), garbage(T.plusMillis(1)), record("b", T.plusMillis(2)));

        new ReplayRunner(new EnvelopeRewriter(CustomerRemapper.none(), "", Duration.ZERO), new Pacer(0),
            duration -> { }, stats).run(records.iterator(), target, new AtomicBoolean());

        assertThat(target.sent).extracting(r -> r.event().eventId()).containsExactly("a", "b");
        assertThat(target.sent).allMatch(r -> StreamEventCodec.decode(r.data()).replay());
        assertThat(stats.readCount()).isEqualTo(3);
        assertThat(stats.skippedByReason()).hasSize(1);
        assertThat(stats.skippedByReason().keySet().iterator().next()).startsWith("cannot be marked as a replay");
        assertThat(target.flushes).isGreaterThanOrEqualTo(1);
    }

    @Test
    void run_atTenTimesTheOriginalPace_waitsATenthOfEachOriginalGap() throws InterruptedException {
        List<Duration> waits = new ArrayList<>();
        List<ArchiveRecord> records = List.of(record("a", T), record("b", T.plusSeconds(10)),
            record("c", T.plusSeconds(30)));

        new ReplayRunner(new EnvelopeRewriter(CustomerRemapper.none(), "", Duration.ZERO), new Pacer(10),
            waits::add, new ReplayStats()).run(records.iterator(), new RecordingTarget(), new AtomicBoolean());

        // the sleeper returns at once, so each wait is measured from the replay's start: ~1 s, then ~3 s
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0).toMillis()).isBetween(900L, 1_000L);
        assertThat(waits.get(1).toMillis()).isBetween(2_900L, 3_000L);
    }

    @Test
    void pacer_asFastAsAllowed_neverWaits() {
        Pacer pacer = new Pacer(0);
        assertThat(pacer.paced()).isFalse();
        assertThat(pacer.dueNanos(T.plusSeconds(100), 5)).isEqualTo(5);
    }

    @Test
    void run_stopsWhenAsked_andStillFlushes() throws InterruptedException {
        RecordingTarget target = new RecordingTarget();
        AtomicBoolean stop = new AtomicBoolean(true);

        new ReplayRunner(new EnvelopeRewriter(CustomerRemapper.none(), "", Duration.ZERO), new Pacer(0),
            duration -> { }, new ReplayStats()).run(List.of(record("a", T)).iterator(), target, stop);

        assertThat(target.sent).isEmpty();
        assertThat(target.flushes).isEqualTo(1);
    }

    private static ArchiveRecord record(String eventId, Instant arrival) {
        return Fixtures.record(eventId, arrival);
    }

    private static ArchiveRecord garbage(Instant arrival) {
        return new ArchiveRecord("shard-0", "x", arrival, "12345", "not json".getBytes(StandardCharsets.UTF_8));
    }

    /** A target that only remembers: the runner's logic is what is under test here. */
    static final class RecordingTarget implements ReplayTarget {
        final List<EnvelopeRewriter.Rewritten> sent = new ArrayList<>();
        int flushes;

        @Override
        public void send(EnvelopeRewriter.Rewritten record) {
            sent.add(record);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public String describe() {
            return "recording";
        }
    }
}
