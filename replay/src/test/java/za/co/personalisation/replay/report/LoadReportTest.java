package za.co.personalisation.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import za.co.personalisation.replay.cost.Prices;
import za.co.personalisation.replay.load.EventTimes;
import za.co.personalisation.replay.load.LedgerReadings;
import za.co.personalisation.replay.load.LoadPlan;
import za.co.personalisation.replay.load.LoadRun;
import za.co.personalisation.replay.load.StackNames;
import za.co.personalisation.replay.load.StackProbe;
import za.co.personalisation.replay.load.SyntheticCustomers;
import za.co.personalisation.replay.load.TrafficMix;
import za.co.personalisation.replay.meter.CallCounts;

class LoadReportTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void aRunThatKeptUp_isSustained_withStageLatenciesFromTheTimestamps() {
        LoadPlan plan = plan();
        EventTimes times = new EventTimes(plan, START);
        for (int i = 0; i < plan.count(); i++) {
            long due = times.intended(i);
            times.sent();
            times.reached(EventTimes.Stage.ACCEPTED, i, due + 5_000);
            times.reached(EventTimes.Stage.RECEIVED, i, due + 4_000);
            times.reached(EventTimes.Stage.ENRICHED, i, due + 1_004_000 + i * 1_000L);
            if (i % 10 == 0) {
                times.reached(EventTimes.Stage.NOTIFIED, i, due + 1_504_000);
                times.reached(EventTimes.Stage.DELIVERED, i, due + 2_504_000);
            }
        }

        ObjectNode report = LoadReport.build(outcome(plan, times, Set.of()), Prices.bundled());

        assertThat(report.path("verdict").path("sustained").asBoolean()).as(report.path("verdict").toString())
            .isTrue();
        assertThat(report.path("latencyMs").path("stages").path("ingest").path("p50").asDouble()).isEqualTo(4.0);
        assertThat(report.path("latencyMs").path("stages").path("enrich").path("p99").asDouble())
            .isBetween(1090.0, 1100.0);
        assertThat(report.path("latencyMs").path("stages").path("notify").path("count").asLong()).isEqualTo(10);
        assertThat(report.path("latencyMs").path("stages").path("notify").path("max").asDouble())
            .isBetween(400.0, 501.0);
        assertThat(report.path("latencyMs").path("stages").path("deliver").path("max").asDouble())
            .isBetween(999.0, 1001.0);
        assertThat(report.path("latencyMs").path("endToEnd").path("delivered").path("p50").asDouble())
            .isBetween(2500.0, 2510.0);
        assertThat(report.path("throughput").path("sentPerSecond").asDouble()).isEqualTo(100.0);
        assertThat(report.path("loss").path("lost").asLong()).isZero();
        assertThat(report.path("timeline").path("sent").size()).isGreaterThanOrEqualTo(1);
        assertThat(report.path("percentileCurves").path("enriched").size()).isGreaterThan(3);
        assertThat(report.path("cost").path("prices").path("checked").asBoolean()).isFalse();
    }

    @Test
    void lostEvents_orAPipelineThatFellBehind_areNotSustained_andSayWhy() {
        LoadPlan plan = plan();
        EventTimes times = new EventTimes(plan, START);
        for (int i = 0; i < plan.count(); i++) {
            times.sent();
            times.reached(EventTimes.Stage.ACCEPTED, i, times.intended(i) + 5_000);
            if (i != 7) {
                times.reached(EventTimes.Stage.ENRICHED, i, times.intended(i) + 30_000_000);
            }
        }

        ObjectNode report = LoadReport.build(outcome(plan, times, StackProbe.lost(times)), Prices.bundled());

        assertThat(report.path("verdict").path("sustained").asBoolean()).isFalse();
        assertThat(LoadReport.reasons(report)).anyMatch(reason -> reason.contains("1 accepted events were never"
            + " applied")).anyMatch(reason -> reason.contains("fell behind"));
        assertThat(report.path("loss").path("lostEventIds").get(0).asText()).isEqualTo("load-r1-e7");
        assertThat(report.path("cost").has("incomplete")).isFalse();
    }

    private static LoadPlan plan() {
        TrafficMix mix = new TrafficMix(List.of("electronics"), List.of("Durban"), TrafficMix.Shares.defaults(), 1);
        return new LoadPlan("r1", 100, 100, 1_000, 1.0, 1, 0.1, mix);
    }

    @Test
    void aWaitThatEndedWhileThePipelineWasStillApplying_reportsLateEventsAsUnconfirmed_andMissingOnesAsLost() {
        LoadPlan plan = plan();
        EventTimes times = new EventTimes(plan, START);
        for (int i = 0; i < plan.count(); i++) {
            times.sent();
            times.reached(EventTimes.Stage.ACCEPTED, i, times.intended(i) + 5_000);
            if (i != 99) {
                times.reached(EventTimes.Stage.RECEIVED, i, times.intended(i) + 4_000);
            }
            if (i < 59) {
                times.reached(EventTimes.Stage.ENRICHED, i, times.intended(i) + 2_000_000);
            }
        }

        ObjectNode report = LoadReport.build(outcome(plan, times, StackProbe.lost(times), true), Prices.bundled());

        // 41 not applied: 40 are in the stream (late), 1 was acknowledged but never reached it (lost for good)
        assertThat(report.path("loss").path("lost").asLong()).isEqualTo(1);
        assertThat(report.path("loss").path("lostEventIds").get(0).asText()).isEqualTo("load-r1-e99");
        assertThat(report.path("loss").path("unconfirmed").asLong()).isEqualTo(40);
        assertThat(report.path("cost").path("incomplete").asText()).startsWith("only 59 of 100 accepted events");
        assertThat(report.path("verdict").path("sustained").asBoolean()).isFalse();
        assertThat(LoadReport.reasons(report)).anyMatch(reason -> reason.contains("40 events in the stream not"
            + " applied yet"));
    }

    private static LoadRun.Outcome outcome(LoadPlan plan, EventTimes times, Set<Integer> lost) {
        return outcome(plan, times, lost, false);
    }

    @Test
    void aRunWhoseStackStoppedAnsweringAfterTheSend_isNotSustained_andTheReportSaysWhatIsMissing() {
        LoadPlan plan = plan();
        EventTimes times = new EventTimes(plan, START);
        for (int i = 0; i < plan.count(); i++) {
            times.sent();
            times.reached(EventTimes.Stage.ACCEPTED, i, times.intended(i) + 5_000);
            times.reached(EventTimes.Stage.ENRICHED, i, times.intended(i) + 900_000);
        }
        LoadRun.Outcome complete = outcome(plan, times, Set.of(), false);
        LoadRun.Outcome incomplete = incomplete(complete, Set.of(),
            "reading the ledger failed: ApiCallTimeoutException: Client execution did not complete");

        ObjectNode report = LoadReport.build(incomplete, Prices.bundled());

        assertThat(LoadReport.build(complete, Prices.bundled()).has("incomplete")).isFalse();
        assertThat(report.path("incomplete").asText()).startsWith("reading the ledger failed");
        assertThat(report.path("verdict").path("sustained").asBoolean()).isFalse();
        assertThat(LoadReport.reasons(report)).anySatisfy(reason -> assertThat(reason)
            .contains("the stack stopped answering after the send").contains("reading the ledger failed"));
        assertThat(report.path("throughput").path("accepted").asLong()).isEqualTo(plan.count());
    }

    @Test
    void aStackStoppedMidRun_reportsWhatItCouldNotCheckAsUnconfirmed_notLost_andNoNegativeLag() {
        // as measured (issue 14): the stack was stopped mid-run; 460 accepted, 201 seen applied, then the profile
        // check timed out; the report said "259 lost" and "finished applying -43.96 s after the last send"
        LoadPlan plan = plan();
        EventTimes times = new EventTimes(plan, START);
        for (int i = 0; i < plan.count(); i++) {
            times.sent();
            times.reached(EventTimes.Stage.ACCEPTED, i, times.intended(i) + 5_000);
            if (i < plan.count() / 2) {
                times.reached(EventTimes.Stage.ENRICHED, i, times.intended(i) + 900_000);
            }
        }
        Set<Integer> notSeen = StackProbe.lost(times);
        LoadRun.Outcome complete = outcome(plan, times, notSeen, false);
        LoadRun.Outcome incomplete = incomplete(complete, notSeen,
            "checking the profiles failed: ApiCallTimeoutException: Client execution did not complete");

        ObjectNode report = LoadReport.build(incomplete, Prices.bundled());

        assertThat(notSeen).hasSize(plan.count() - plan.count() / 2);
        assertThat(report.path("loss").path("lost").asLong()).isZero();
        assertThat(report.path("loss").path("unconfirmed").asLong()).isEqualTo(notSeen.size());
        assertThat(LoadReport.reasons(report))
            .anySatisfy(reason -> assertThat(reason).startsWith(notSeen.size() + " accepted events not confirmed"))
            .noneSatisfy(reason -> assertThat(reason).contains("never applied"))
            .noneSatisfy(reason -> assertThat(reason).contains("finished applying"));
        assertThat(LoadReport.build(complete, Prices.bundled()).path("loss").path("lost").asLong())
            .as("the same events are lost when the check did finish").isEqualTo(notSeen.size());
    }

    /** {@code complete}'s run as if the stack stopped answering after the send: nothing read after it. */
    private static LoadRun.Outcome incomplete(LoadRun.Outcome complete, Set<Integer> notSeen, String failure) {
        return new LoadRun.Outcome(complete.options(), complete.sink(), complete.start(), complete.sendEnd(),
            complete.end(), complete.sent(), complete.times(), complete.senderLagMicros(), complete.seeded(),
            complete.profileWrites(), complete.tailErrors(), complete.tailLastError(), 0, notSeen,
            new LedgerReadings(Map.of(), 0, 0), 0, Map.of(), Map.of(), Map.of(), CallCounts.empty(), false, -1,
            complete.apiRequests(), 1, complete.machine(), false, false, failure);
    }

    private static LoadRun.Outcome outcome(LoadPlan plan, EventTimes times, Set<Integer> lost,
        boolean stillApplying) {
        LoadRun.Options options = new LoadRun.Options(plan, LoadRun.Target.API, URI.create("http://127.0.0.1:3000"),
            1, Duration.ofMillis(50), 100, 4, StackNames.forStage("local"), Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofSeconds(60), true, null, null);
        return new LoadRun.Outcome(options, "API test", START, START.plusSeconds(1), START.plusSeconds(5),
            plan.count(), times, new Histogram(3), new SyntheticCustomers.Seeded(50, 5), 90, 0, "", 0, lost,
            new LedgerReadings(Map.of("sent", 10L), 0, 10), plan.count(), Map.of("failed-events-local", 0L),
            Map.of("EnrichFunction", 10L), Map.of("EnrichFunction", 0L), CallCounts.empty(), false, -1,
            plan.count(), 1, new Machine(), false, stillApplying);
    }
}
