package za.co.personalisation.replay.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import za.co.personalisation.replay.cost.CostModel;
import za.co.personalisation.replay.cost.Prices;
import za.co.personalisation.replay.load.EventTimes;
import za.co.personalisation.replay.load.EventTimes.Stage;
import za.co.personalisation.replay.load.LoadPlan;
import za.co.personalisation.replay.load.LoadRun;

/**
 * Turns a load run's measurements into the report (JSON; {@link HtmlReport} draws the same data): latency per
 * stage and end to end as HdrHistogram percentiles, throughput, errors by kind, lost events, a per-second
 * timeline, the verdict on whether the rate was sustained, and the cost per event and per million events.
 *
 * <p>Stages, each from one timestamp to the next: <b>ingest</b> intended send → receivedAt (the client's delay,
 * the network, API Gateway and ingest until it stamped the event); <b>enrich</b> receivedAt → the profile's
 * updatedAt of the write that applied it (stream, batching window, enrich); <b>notify</b> → the ledger entry's
 * createdAt (profile stream, notify); <b>deliver</b> → the ledger's updatedAt when it was sent (SNS, SQS,
 * deliver, the provider). End-to-end latencies run from the intended send time: open loop, so a late send counts.
 * Where receivedAt is not known, the client's acceptance stands in for it as the start of enrich.
 */
public final class LoadReport {

    /** Latencies above two hours are recorded as two hours. */
    static final long HIGHEST_MICROS = Duration.ofHours(2).toNanos() / 1_000;
    static final Duration SUSTAINED_LAG = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LoadReport() {
    }

    /** The report of a run: each section below is its own method, in the order the report lists them. */
    public static ObjectNode build(LoadRun.Outcome outcome, Prices prices) {
        LoadPlan plan = outcome.options().plan();
        EventTimes times = outcome.times();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("report", "replay load");
        root.put("runId", plan.runId());
        root.put("startedAt", outcome.start().toString());
        root.put("sendEndedAt", outcome.sendEnd().toString());
        root.put("finishedAt", outcome.end().toString());
        root.put("stoppedEarly", outcome.stopped());
        root.set("config", config(outcome));
        root.set("machine", outcome.machine().toJson());

        Stats stats = Stats.of(times);
        double sendSeconds = Math.max(1e-3, (plan.offsetNanos(plan.count() - 1) / 1e9) + 1 / plan.rate());
        double lagSeconds = stats.lastEnriched == 0 ? -1
            : (stats.lastEnriched - times.intended(Math.max(0, outcome.sent() - 1))) / 1e6;
        root.set("throughput", throughput(outcome, stats, sendSeconds, lagSeconds));
        root.set("latencyMs", latency(outcome, stats));
        long failed = 0;
        for (int i = 0; i < times.size(); i++) {
            failed += times.failed(i) ? 1 : 0;
        }
        root.set("errors", errors(outcome, failed));
        Loss loss = Loss.of(outcome);
        root.set("loss", loss.toJson(outcome, stats));
        root.set("pipeline", pipeline(outcome, stats));
        verdict(root, outcome, loss, failed, sendSeconds, lagSeconds);
        root.set("cost", cost(outcome, prices, stats, sendSeconds));
        ObjectNode ceiling = EmulatorCeiling.of(outcome.machine().emulatorCpuSeconds(), outcome.calls(),
            stats.applied, root.path("throughput").path("appliedPerSecond").asDouble());
        if (ceiling != null) {
            root.set("emulatorCeiling", ceiling);
        }
        root.set("calls", outcome.calls().toJson());

        root.set("timeline", timeline(times, outcome.sent()));
        ObjectNode curves = root.putObject("percentileCurves");
        for (Stage stage : Stage.values()) {
            curves.set(name(stage), curve(stats.endToEnd[stage.ordinal()]));
        }
        return root;
    }

    /** What was asked for: target, rate, events, population, the stack's names. */
    private static ObjectNode config(LoadRun.Outcome outcome) {
        LoadRun.Options options = outcome.options();
        LoadPlan plan = options.plan();
        ObjectNode config = MAPPER.createObjectNode();
        config.put("target", outcome.sink());
        config.put("ratePerSecond", plan.rate());
        config.put("events", plan.count());
        config.put("durationSeconds", plan.count() / plan.rate());
        config.put("population", plan.population());
        config.put("zipfExponent", plan.exponent());
        config.put("seed", plan.seed());
        config.put("reachableShare", plan.reachableShare());
        config.put("stage", options.names().stage());
        config.put("stream", options.names().stream());
        config.put("shards", outcome.shards());
        config.put("interests", plan.mix().interests().size());
        config.put("places", plan.mix().places().size());
        return config;
    }

    private static ObjectNode throughput(LoadRun.Outcome outcome, Stats stats, double sendSeconds,
        double lagSeconds) {
        EventTimes times = outcome.times();
        ObjectNode throughput = MAPPER.createObjectNode();
        throughput.put("targetPerSecond", outcome.options().plan().rate());
        throughput.put("sent", outcome.sent());
        throughput.put("accepted", times.acceptedCount());
        throughput.put("applied", stats.applied);
        throughput.put("sendSeconds", round(sendSeconds));
        throughput.put("sentPerSecond", round(outcome.sent() / sendSeconds));
        throughput.put("acceptedPerSecond", round(rate(stats.firstAccepted, stats.lastAccepted,
            times.acceptedCount())));
        throughput.put("appliedPerSecond", round(rate(stats.firstEnriched, stats.lastEnriched, stats.appliedTimed)));
        throughput.put("pipelineLagAtEndSeconds", round(lagSeconds));
        return throughput;
    }

    private static ObjectNode latency(LoadRun.Outcome outcome, Stats stats) {
        ObjectNode latency = MAPPER.createObjectNode();
        ObjectNode stages = latency.putObject("stages");
        stages.set("ingest", percentiles(stats.ingest));
        stages.set("enrich", percentiles(stats.enrich));
        stages.set("notify", percentiles(stats.notify));
        stages.set("deliver", percentiles(stats.deliver));
        ObjectNode endToEnd = latency.putObject("endToEnd");
        for (Stage stage : Stage.values()) {
            endToEnd.set(name(stage), percentiles(stats.endToEnd[stage.ordinal()]));
        }
        latency.set("senderLag", percentiles(outcome.senderLagMicros()));
        latency.put("negativeStageTimes", stats.negative);
        latency.put("note", "Stages: ingest = intended send -> receivedAt; enrich = receivedAt -> profile updatedAt;"
            + " notify -> ledger createdAt; deliver -> ledger updatedAt (sent). End to end from the intended send"
            + " time (open loop). Negative stage times (clocks of different machines) count as 0.");
        return latency;
    }

    private static ObjectNode errors(LoadRun.Outcome outcome, long failed) {
        EventTimes times = outcome.times();
        ObjectNode errors = MAPPER.createObjectNode();
        errors.put("failedEvents", failed);
        errors.set("byKind", MAPPER.valueToTree(times.errors()));
        errors.set("retriesByKind", MAPPER.valueToTree(times.retries()));
        errors.set("failureQueueGrowth", MAPPER.valueToTree(outcome.queueGrowth()));
        errors.set("functionErrors", MAPPER.valueToTree(outcome.functionErrors()));
        errors.put("profileTailErrors", outcome.tailErrors());
        if (!outcome.tailLastError().isEmpty()) {
            errors.put("profileTailLastError", outcome.tailLastError());
        }
        return errors;
    }

    /**
     * Accepted events not applied: {@code lost} for good, or {@code unconfirmed} (in the stream, not applied yet,
     * while the pipeline was still applying); {@code notInStream} is -1 when receipts were not read.
     */
    private record Loss(long lost, long unconfirmed, long notInStream) {

        static Loss of(LoadRun.Outcome outcome) {
            EventTimes times = outcome.times();
            int notApplied = outcome.lost().size();
            if (outcome.incomplete() != null) {
                // the check failed part-way (the stack stopped answering): what it did not see applied or in the
                // stream is not known to be lost
                return new Loss(0, notApplied, -1);
            }
            long notInStream = outcome.options().readReceived() ? outcome.lost().stream()
                .filter(index -> !times.reached(Stage.RECEIVED, index)).count() : -1;
            // acknowledged but not in the stream: never to be applied, even by a pipeline that is still catching up
            long lost = outcome.stillApplying() ? Math.max(0, notInStream) : notApplied;
            return new Loss(lost, notApplied - lost, notInStream);
        }

        ObjectNode toJson(LoadRun.Outcome outcome, Stats stats) {
            EventTimes times = outcome.times();
            ObjectNode loss = MAPPER.createObjectNode();
            loss.put("accepted", times.acceptedCount());
            loss.put("applied", stats.applied);
            loss.put("lost", lost);
            loss.put("unconfirmed", unconfirmed);
            ArrayNode lostIds = loss.putArray("lostEventIds");
            outcome.lost().stream().filter(index -> !outcome.stillApplying() || !times.reached(Stage.RECEIVED, index))
                .limit(20).forEach(index -> lostIds.add(outcome.options().plan().eventPrefix() + index));
            loss.put("notAppliedAndNotInTheStream", notInStream);
            loss.put("appliedAtUnknownTime", stats.applied - stats.appliedTimed);
            loss.put("checkedInProfiles", outcome.profileChecks());
            loss.put("definition", "lost = accepted by the pipeline (202 or PutRecords success) but never applied to"
                + " the customer's profile (not seen in the profile stream nor among the profile's applied events) once"
                + " the pipeline had stopped making progress, or, while it was still applying, acknowledged but absent"
                + " from the stream; unconfirmed = in the stream but not applied yet when the wait ended while the"
                + " pipeline was still applying (it was behind), or not seen applied when the check could not finish"
                + " (incomplete); notAppliedAndNotInTheStream = acknowledged events"
                + " that never reached the Kinesis stream");
            return loss;
        }
    }

    private static ObjectNode pipeline(LoadRun.Outcome outcome, Stats stats) {
        ObjectNode pipeline = MAPPER.createObjectNode();
        pipeline.put("customers", outcome.seeded().customers());
        pipeline.put("reachableCustomers", outcome.seeded().reachable());
        pipeline.put("profileWrites", outcome.profileWrites());
        pipeline.put("eventsPerProfileWrite", outcome.profileWrites() == 0 ? 0
            : round((double) stats.appliedTimed / outcome.profileWrites()));
        pipeline.put("ledgerEntries", outcome.ledger().entries());
        pipeline.set("ledgerByStatus", MAPPER.valueToTree(outcome.ledger().statuses()));
        pipeline.put("ledgerUnsettled", outcome.ledger().unsettled());
        pipeline.put("receivedAtFound", outcome.receivedFound());
        pipeline.set("invocations", MAPPER.valueToTree(outcome.invocations()));
        return pipeline;
    }

    /** Whether the rate was sustained, and every reason it was not; an incomplete run says so beside it. */
    private static void verdict(ObjectNode root, LoadRun.Outcome outcome, Loss loss, long failed, double sendSeconds,
        double lagSeconds) {
        ObjectNode verdict = root.putObject("verdict");
        List<String> reasons = new ArrayList<>();
        if (outcome.stopped()) {
            reasons.add("the run was stopped early");
        }
        if (outcome.incomplete() != null) {
            // what follows the failure in the report was not measured: its zeros are not findings
            root.put("incomplete", outcome.incomplete());
            reasons.add("the stack stopped answering after the send, so the report is incomplete ("
                + outcome.incomplete() + ")");
        }
        if (loss.lost() > 0) {
            reasons.add(loss.lost() + " accepted events were never applied"
                + (loss.notInStream() > 0 ? " (" + loss.notInStream() + " of them never reached the stream)" : ""));
        }
        if (outcome.incomplete() != null && loss.unconfirmed() > 0) {
            reasons.add(loss.unconfirmed() + " accepted events not confirmed applied (the check could not finish)");
        }
        if (outcome.stillApplying()) {
            reasons.add("the pipeline was still applying when the wait ended (--drain-timeout): "
                + loss.unconfirmed() + " events in the stream not applied yet");
        }
        if (failed > 0) {
            reasons.add(failed + " events were not accepted");
        }
        if (outcome.sent() / sendSeconds < 0.98 * outcome.options().plan().rate()) {
            reasons.add("the load generator sent only " + round(outcome.sent() / sendSeconds) + "/s");
        }
        if (!outcome.stillApplying() && outcome.incomplete() == null
            && (lagSeconds < 0 || lagSeconds > SUSTAINED_LAG.toSeconds())) {
            reasons.add("the pipeline finished applying " + round(lagSeconds) + " s after the last send (more than "
                + SUSTAINED_LAG.toSeconds() + " s: it fell behind)");
        }
        long queued = outcome.queueGrowth().values().stream().mapToLong(Long::longValue).sum();
        if (queued > 0) {
            reasons.add(queued + " messages went to failure queues " + outcome.queueGrowth());
        }
        long functionErrors = outcome.functionErrors().values().stream().mapToLong(Long::longValue).sum();
        if (functionErrors > 0) {
            reasons.add(functionErrors + " function errors " + outcome.functionErrors());
        }
        verdict.put("sustained", reasons.isEmpty());
        verdict.set("reasons", MAPPER.valueToTree(reasons));
        verdict.put("rule", "sustained = every event sent on schedule (>= 98 % of the rate) and accepted, none"
            + " lost, nothing in failure queues, no function errors, and the pipeline done applying within "
            + SUSTAINED_LAG.toSeconds() + " s of the last send");
    }

    private static ObjectNode cost(LoadRun.Outcome outcome, Prices prices, Stats stats, double sendSeconds) {
        EventTimes times = outcome.times();
        double costRate = times.acceptedCount() / sendSeconds;
        CostModel.Inputs inputs = new CostModel.Inputs(times.acceptedCount(), outcome.calls(), outcome.apiRequests(),
            outcome.invocations(), 1024, outcome.logBytes(), sendSeconds, outcome.shards(),
            CostModel.TEMPLATE_XRAY_SAMPLED_SHARE);
        ObjectNode cost = CostModel.toJson(inputs, prices, costRate);
        cost.put("stackCallsCounted", outcome.stackCallsCounted());
        // the same calls over the events applied (issue 14): equal to the above when every accepted event was applied
        ObjectNode perApplied = cost.putObject("callsPerAppliedEvent");
        perApplied.put("appliedEvents", stats.applied);
        for (CostModel.Use use : CostModel.Use.values()) {
            ObjectNode byService = perApplied.putObject(use.name().toLowerCase(Locale.ROOT));
            CostModel.callsPerEvent(outcome.calls(), use, stats.applied)
                .forEach((service, calls) -> byService.put(service, round(calls * 1000) / 1000));
        }
        if (stats.applied < 0.98 * times.acceptedCount()) {
            cost.put("incomplete", "only " + stats.applied + " of " + times.acceptedCount() + " accepted events were"
                + " applied when the run ended: the work the pipeline had still to do for the others is missing, so"
                + " the figures per event are too low downstream of the stream; use a run that kept up");
        }
        cost.put("counted", outcome.stackCallsCounted()
            ? "every SDK call of this tool and of the stack's functions (same JVM, or the stack's meter file)"
            : "this tool's SDK calls only: the functions' calls were not counted (start the stack with replay/replay"
            + " local-stack and pass --stack-meter); the projection lacks them");
        return cost;
    }

    static String name(Stage stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }

    private static double rate(long firstMicros, long lastMicros, long count) {
        if (count <= 1 || lastMicros <= firstMicros) {
            return count;
        }
        return count / ((lastMicros - firstMicros) / 1e6);
    }

    static ObjectNode percentiles(Histogram histogram) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("count", histogram.getTotalCount());
        if (histogram.getTotalCount() == 0) {
            return node;
        }
        node.put("p50", ms(histogram.getValueAtPercentile(50)));
        node.put("p90", ms(histogram.getValueAtPercentile(90)));
        node.put("p99", ms(histogram.getValueAtPercentile(99)));
        node.put("p99_9", ms(histogram.getValueAtPercentile(99.9)));
        node.put("max", ms(histogram.getMaxValue()));
        node.put("mean", round(histogram.getMean() / 1000));
        return node;
    }

    private static ArrayNode curve(Histogram histogram) {
        ArrayNode points = MAPPER.createArrayNode();
        if (histogram.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue value : histogram.percentiles(5)) {
            double percentile = value.getPercentileLevelIteratedTo();
            if (percentile >= 100) {
                break;
            }
            points.addArray().add(Math.round(percentile * 1000) / 1000.0).add(ms(value.getValueIteratedTo()));
        }
        return points;
    }

    /** Per second of the schedule: sent, accepted and applied counts, and end-to-end latency percentiles. */
    private static ObjectNode timeline(EventTimes times, int sent) {
        long start = times.startMicros();
        int seconds = 1;
        for (int i = 0; i < times.size(); i++) {
            seconds = Math.max(seconds, (int) ((times.intended(i) - start) / 1_000_000) + 1);
            long enriched = times.at(Stage.ENRICHED, i);
            if (enriched != 0 && enriched != Long.MAX_VALUE) {
                seconds = Math.max(seconds, (int) Math.min(36_000, (enriched - start) / 1_000_000 + 1));
            }
        }
        long[] sentPer = new long[seconds];
        long[] acceptedPer = new long[seconds];
        long[] appliedPer = new long[seconds];
        Histogram[] enrichedLatency = new Histogram[seconds];
        Histogram[] acceptedLatency = new Histogram[seconds];
        for (int i = 0; i < sent && i < times.size(); i++) {
            int second = (int) ((times.intended(i) - start) / 1_000_000);
            sentPer[second]++;
            long accepted = times.at(Stage.ACCEPTED, i);
            if (accepted != 0) {
                acceptedPer[bucket(accepted, start, seconds)]++;
                record(acceptedLatency, second, accepted - times.intended(i));
            }
            long enriched = times.at(Stage.ENRICHED, i);
            if (enriched != 0 && enriched != Long.MAX_VALUE) {
                appliedPer[bucket(enriched, start, seconds)]++;
                record(enrichedLatency, second, enriched - times.intended(i));
            }
        }
        ObjectNode timeline = MAPPER.createObjectNode();
        timeline.put("note", "index = second since the start; sent by schedule, accepted and applied by when they"
            + " happened; latencies (ms, end to end) by the second the event was due");
        timeline.set("sent", MAPPER.valueToTree(sentPer));
        timeline.set("accepted", MAPPER.valueToTree(acceptedPer));
        timeline.set("applied", MAPPER.valueToTree(appliedPer));
        timeline.set("acceptedP99Ms", series(acceptedLatency, 99));
        timeline.set("enrichedP50Ms", series(enrichedLatency, 50));
        timeline.set("enrichedP99Ms", series(enrichedLatency, 99));
        timeline.set("enrichedMaxMs", series(enrichedLatency, 100));
        return timeline;
    }

    private static int bucket(long micros, long start, int seconds) {
        return (int) Math.max(0, Math.min(seconds - 1, (micros - start) / 1_000_000));
    }

    private static void record(Histogram[] histograms, int second, long micros) {
        if (histograms[second] == null) {
            histograms[second] = new Histogram(HIGHEST_MICROS, 2);
        }
        histograms[second].recordValue(Math.max(0, Math.min(HIGHEST_MICROS, micros)));
    }

    private static ArrayNode series(Histogram[] histograms, double percentile) {
        ArrayNode values = MAPPER.createArrayNode();
        for (Histogram histogram : histograms) {
            if (histogram == null) {
                values.addNull();
            } else {
                values.add(ms(percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(
                    percentile)));
            }
        }
        return values;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Latency histograms and counts, from the events' timestamps. */
    private static final class Stats {
        private final Histogram ingest = histogram();
        private final Histogram enrich = histogram();
        private final Histogram notify = histogram();
        private final Histogram deliver = histogram();
        private final Histogram[] endToEnd = new Histogram[Stage.values().length];
        private long applied;
        private long appliedTimed;
        private long negative;
        private long firstAccepted = Long.MAX_VALUE;
        private long lastAccepted;
        private long firstEnriched = Long.MAX_VALUE;
        private long lastEnriched;

        static Stats of(EventTimes times) {
            Stats stats = new Stats();
            for (int i = 0; i < stats.endToEnd.length; i++) {
                stats.endToEnd[i] = histogram();
            }
            for (int i = 0; i < times.size(); i++) {
                stats.add(times, i);
            }
            if (stats.firstEnriched == Long.MAX_VALUE) {
                stats.firstEnriched = 0;
            }
            return stats;
        }

        private void add(EventTimes times, int i) {
            long intended = times.intended(i);
            long accepted = times.at(Stage.ACCEPTED, i);
            long received = times.at(Stage.RECEIVED, i);
            long enriched = times.at(Stage.ENRICHED, i);
            long notified = times.at(Stage.NOTIFIED, i);
            long delivered = times.at(Stage.DELIVERED, i);
            if (accepted != 0) {
                firstAccepted = Math.min(firstAccepted, accepted);
                lastAccepted = Math.max(lastAccepted, accepted);
            }
            if (enriched != 0) {
                applied++;
            }
            if (enriched == Long.MAX_VALUE) {
                enriched = 0;
            } else if (enriched != 0) {
                appliedTimed++;
                firstEnriched = Math.min(firstEnriched, enriched);
                lastEnriched = Math.max(lastEnriched, enriched);
            }
            for (Stage stage : Stage.values()) {
                long at = stage == Stage.ENRICHED ? enriched : times.at(stage, i);
                if (at != 0) {
                    record(endToEnd[stage.ordinal()], at - intended);
                }
            }
            if (received != 0) {
                record(ingest, received - intended);
            }
            long enrichFrom = received != 0 ? received : accepted;
            if (enriched != 0 && enrichFrom != 0) {
                record(enrich, enriched - enrichFrom);
            }
            if (notified != 0 && enriched != 0) {
                record(notify, notified - enriched);
            }
            if (delivered != 0 && notified != 0) {
                record(deliver, delivered - notified);
            }
        }

        private void record(Histogram histogram, long micros) {
            if (micros < 0) {
                negative++;
            }
            histogram.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, micros)));
        }

        private static Histogram histogram() {
            return new Histogram(HIGHEST_MICROS, 3);
        }
    }

    /** The verdict's reasons, for the console. */
    public static List<String> reasons(ObjectNode report) {
        List<String> reasons = new ArrayList<>();
        report.path("verdict").path("reasons").forEach(reason -> reasons.add(reason.asText()));
        return reasons;
    }
}
