package za.co.personalisation.replay.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpenLoopDriverTest {

    @Test
    void aSinkThatNeverAnswers_doesNotSlowTheSchedule() throws InterruptedException {
        LoadPlan plan = LoadPlanTest.plan(200, 100, 0);
        EventTimes times = new EventTimes(plan, Instant.now());
        SilentSink sink = new SilentSink();
        long start = System.nanoTime();

        int sent = new OpenLoopDriver(plan, sink, times).run(start, new AtomicBoolean());

        assertThat(sent).isEqualTo(100);
        assertThat(times.sentCount()).isEqualTo(100);
        assertThat(sink.submitted).hasSize(100);
        for (int i = 0; i < 100; i++) {
            // never early; the answers (none) do not hold anything back
            assertThat(sink.submittedAt.get(i) - start).isGreaterThanOrEqualTo(plan.offsetNanos(i));
        }
        assertThat(times.acceptedCount()).isZero();
    }

    @Test
    void aSinkThatBlocks_makesEventsLate_andTheLatenessIsRecorded() throws InterruptedException {
        LoadPlan plan = LoadPlanTest.plan(1_000, 20, 0);
        EventTimes times = new EventTimes(plan, Instant.now());
        SilentSink sink = new SilentSink() {
            @Override
            public void submit(LoadEvent event) throws InterruptedException {
                super.submit(event);
                Thread.sleep(5); // a full in-flight limit: the driver itself is held up
            }
        };

        OpenLoopDriver driver = new OpenLoopDriver(plan, sink, times);
        driver.run(System.nanoTime(), new AtomicBoolean());

        // due every 1 ms, sent every 5 ms: the last one ~80 ms late, and that lateness is in the histogram
        assertThat(driver.senderLagMicros().getMaxValue()).isGreaterThan(50_000);
        // and its latency is still measured from when it was due, not from when it left
        assertThat(times.intended(19) - times.startMicros()).isEqualTo(19_000);
    }

    @Test
    void stop_endsTheRunEarly() throws InterruptedException {
        LoadPlan plan = LoadPlanTest.plan(10, 100, 0);
        EventTimes times = new EventTimes(plan, Instant.now());

        int sent = new OpenLoopDriver(plan, new SilentSink(), times).run(System.nanoTime(), new AtomicBoolean(true));

        assertThat(sent).isZero();
    }

    /** Takes events and never answers: the driver's scheduling is what is under test. */
    static class SilentSink implements LoadSink {
        final List<LoadEvent> submitted = new ArrayList<>();
        final List<Long> submittedAt = new ArrayList<>();

        @Override
        public void submit(LoadEvent event) throws InterruptedException {
            submitted.add(event);
            submittedAt.add(System.nanoTime());
        }

        @Override
        public long poll(long nowNanos) {
            return Long.MAX_VALUE;
        }

        @Override
        public void drain(Duration timeout) {
        }

        @Override
        public int inFlight() {
            return submitted.size();
        }

        @Override
        public long apiRequests() {
            return 0;
        }

        @Override
        public String describe() {
            return "silent";
        }

        @Override
        public void close() {
        }
    }
}
