package za.co.personalisation.replay.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.replay.kinesis.ReplayBackoff;
import za.co.personalisation.replay.kinesis.KinesisPutter;
import za.co.personalisation.replay.kinesis.ShardMap;
import za.co.personalisation.aws.retry.Sleeper;
import za.co.personalisation.replay.meter.CallCounts;
import za.co.personalisation.replay.meter.CallMeter;
import za.co.personalisation.replay.meter.Caller;
import za.co.personalisation.replay.report.Failures;
import za.co.personalisation.replay.report.Machine;
import za.co.personalisation.replay.report.Progress;

/**
 * One load run, start to finish: give the reachable customers consent and contacts, start following the profile
 * stream, send the plan's events open-loop, wait for the pipeline to apply every accepted event (or to stop making
 * progress), then read what happened from the stack (profiles, ledger, the stream's receivedAt, failure queues,
 * the local runtime's counters, the SDK calls counted) into a {@link Outcome} for the report.
 */
public final class LoadRun {

    /** Where the events go. */
    public enum Target {
        /** {@code POST /events}, one event a request. */
        API,
        /** {@code POST /events} with {@code {"events":[…]}}. */
        API_BATCH,
        /** PutRecords into the stream, past the API. */
        KINESIS
    }

    /**
     * How to run.
     *
     * @param idleTimeout   give up waiting for the pipeline when it applies nothing new for this long
     * @param drainTimeout  and in any case this long after the last event was sent
     * @param settleTimeout how long to wait for the ledger's notifications to be delivered
     * @param stackMeter    the local stack's call counts file ({@code replay/replay local-stack} writes it), or
     *                      {@code null}
     * @param functionLog   the local stack's function log, to measure log volume, or {@code null}
     */
    public record Options(LoadPlan plan, Target target, URI apiBase, int batchSize, Duration linger, int maxInFlight,
        int kinesisWriters, StackNames names, Duration idleTimeout, Duration drainTimeout, Duration settleTimeout,
        boolean readReceived, Path stackMeter, Path functionLog) {
    }

    /** The SDK clients and HTTP client a run uses. */
    public record Clients(KinesisClient kinesis, DynamoDbClient dynamoDb, DynamoDbStreamsClient streams,
        SqsClient sqs, HttpClient http, boolean emulated) {
    }

    /** Everything a run measured, for {@code LoadReport}. */
    public record Outcome(Options options, String sink, Instant start, Instant sendEnd, Instant end, int sent,
        EventTimes times, Histogram senderLagMicros, SyntheticCustomers.Seeded seeded, long profileWrites,
        long tailErrors, String tailLastError, int profileChecks, Set<Integer> lost, LedgerReadings ledger,
        long receivedFound, Map<String, Long> queueGrowth, Map<String, Long> invocations,
        Map<String, Long> functionErrors, CallCounts calls, boolean stackCallsCounted, long logBytes,
        long apiRequests, int shards, Machine machine, boolean stopped, boolean stillApplying, String incomplete) {

        /** An outcome measured to the end: nothing was left unmeasured because the stack stopped answering. */
        public Outcome(Options options, String sink, Instant start, Instant sendEnd, Instant end, int sent,
            EventTimes times, Histogram senderLagMicros, SyntheticCustomers.Seeded seeded, long profileWrites,
            long tailErrors, String tailLastError, int profileChecks, Set<Integer> lost, LedgerReadings ledger,
            long receivedFound, Map<String, Long> queueGrowth, Map<String, Long> invocations,
            Map<String, Long> functionErrors, CallCounts calls, boolean stackCallsCounted, long logBytes,
            long apiRequests, int shards, Machine machine, boolean stopped, boolean stillApplying) {
            this(options, sink, start, sendEnd, end, sent, times, senderLagMicros, seeded, profileWrites, tailErrors,
                tailLastError, profileChecks, lost, ledger, receivedFound, queueGrowth, invocations, functionErrors,
                calls, stackCallsCounted, logBytes, apiRequests, shards, machine, stopped, stillApplying, null);
        }
    }

    private static final Duration LEAD = Duration.ofMillis(500);
    /** How often the load average and the emulator's memory are sampled (issue 14: every 10 s). */
    static final Duration MACHINE_SAMPLES = Duration.ofSeconds(10);

    private final Clients clients;
    private final Progress progress;
    /** Why the measurements after the send stopped (the stack stopped answering), or {@code null}. */
    private String incomplete;

    public LoadRun(Clients clients, Progress progress) {
        this.clients = clients;
        this.progress = progress;
    }

    public Outcome run(Options options, AtomicBoolean stop) throws InterruptedException, IOException {
        LoadPlan plan = options.plan();
        StackNames names = options.names();
        Machine machine = new Machine();
        // the emulator, when the endpoint is on this machine: its memory is sampled to show whether it holds steady
        LocalProcess emulator = LocalProcess.listeningOn(
            clients.dynamoDb().serviceClientConfiguration().endpointOverride().orElse(null));
        machine.sampleEvery(MACHINE_SAMPLES, () -> emulator == null ? -1 : emulator.residentBytes());
        progress.show("seeding", 0, 1, 0, null, "customers of the plan");
        SyntheticCustomers.Seeded seeded = plan.reachableShare() > 0
            ? SyntheticCustomers.seed(clients.dynamoDb(), names, plan, clients.emulated(), Instant.now())
            : new SyntheticCustomers.Seeded(0, 0);
        int shards = ShardMap.of(clients.kinesis(), names.stream()).size();
        Map<String, Long> queuesBefore = StackProbe.queueDepths(clients.sqs(), names.failureQueues());
        Map<String, long[]> invocationsBefore = StackProbe.localInvocations(clients.http(), options.apiBase());
        long logBefore = size(options.functionLog());
        CallCounts stackBefore = stackCalls(options.stackMeter());
        CallCounts before = CallMeter.snapshot();
        long emulatorCpuBefore = emulator == null ? -1 : emulator.cpuNanos();

        Instant start = Instant.now().plus(LEAD);
        long startNanos = System.nanoTime() + LEAD.toNanos();
        EventTimes times = new EventTimes(plan, start);
        ProfileChangeTail tail = ProfileChangeTail.start(clients.dynamoDb(), clients.streams(), names.profilesTable(),
            plan.customerPrefix(), (eventId, micros) -> times.reached(EventTimes.Stage.ENRICHED,
                plan.indexOf(eventId), micros));
        LoadSink sink = sink(options, times);
        OpenLoopDriver driver = new OpenLoopDriver(plan, sink, times);
        Thread reporter = reporter(plan, times, sink, machine, startNanos);
        int sent;
        Instant sendEnd;
        boolean stillApplying;
        try {
            sent = driver.run(startNanos, stop);
            sink.drain(Duration.ofSeconds(60));
            sendEnd = Instant.now();
            reporter.interrupt();
            reporter.join(2_000);
            stillApplying = awaitPipeline(options, times, sendEnd, stop, machine);
        } finally {
            reporter.interrupt();
            machine.stopSampling();
            tail.close();
            sink.close();
        }
        progress.done();
        progress.show("checking", 0, 1, 0, null, "profiles, ledger, stream");
        // while the pipeline is still applying, an unapplied event is late, not lost: nothing to look for yet.
        // From here on the stack may have stopped answering: each reading is kept if it can be made, and the first
        // failure ends the readings with its reason (the report says what is missing), never the run.
        int checks = stillApplying ? 0 : measure("checking the profiles", () -> StackProbe.verifyInProfiles(
            clients.dynamoDb(), names.profilesTable(), plan, times), 0);
        LedgerReadings ledger = measure("reading the ledger", () -> settleLedger(options, times),
            new LedgerReadings(Map.of(), 0, 0));
        long received = options.readReceived() ? measure("reading the stream's receive times",
            () -> new ReceivedTimes(clients.kinesis(), Sleeper.SYSTEM).read(names.stream(), start.minusSeconds(5),
                plan, times), 0L) : 0;
        if (options.stackMeter() != null) {
            Thread.sleep(1_500); // the stack writes its counts every second
        }
        CallCounts calls = CallMeter.snapshot().minus(before);
        CallCounts stackCalls = stackCalls(options.stackMeter()).minus(stackBefore);
        machine.emulatorCpu(emulatorCpuBefore, emulator == null ? -1 : emulator.cpuNanos());
        boolean stackCounted = options.stackMeter() != null || calls.rows().stream()
            .anyMatch(row -> Caller.isFunction(row.key().caller()));
        Map<String, Long> queueGrowth = new LinkedHashMap<>();
        measure("reading the failure queues", () -> StackProbe.queueDepths(clients.sqs(), names.failureQueues()),
            Map.<String, Long>of()).forEach((queue, depth) ->
            queueGrowth.put(queue, depth - queuesBefore.getOrDefault(queue, 0L)));
        Map<String, Long> invocations = new LinkedHashMap<>();
        Map<String, Long> functionErrors = new LinkedHashMap<>();
        Map<String, long[]> invocationsAfter = measure("reading the functions' invocations",
            () -> StackProbe.localInvocations(clients.http(), options.apiBase()), Map.of());
        invocationsAfter.forEach((function, counts) -> {
            long[] earlier = invocationsBefore.getOrDefault(function, new long[2]);
            invocations.put(function, counts[0] - earlier[0]);
            functionErrors.put(function, counts[1] - earlier[1]);
        });
        long logBytes = logBefore < 0 ? -1 : size(options.functionLog()) - logBefore;
        progress.done();
        return new Outcome(options, sink.describe(), start, sendEnd, Instant.now(), sent, times,
            driver.senderLagMicros(), seeded, tail.writes(), tail.errors(), tail.lastError(), checks,
            StackProbe.lost(times), ledger, received, queueGrowth, invocations, functionErrors,
            calls.plus(stackCalls), stackCounted, logBytes, sink.apiRequests(), shards, machine, stop.get(),
            stillApplying, incomplete);
    }

    /** A reading of the stack after the send. */
    @FunctionalInterface
    interface Reading<T> {
        T read() throws Exception;
    }

    /**
     * {@code reading}'s value, or {@code fallback} once the stack has stopped answering: the first failure is
     * kept as the reason the outcome is incomplete, and later readings are not attempted (each would wait out the
     * SDK's timeouts again).
     */
    <T> T measure(String what, Reading<T> reading, T fallback) throws InterruptedException {
        if (incomplete != null) {
            return fallback;
        }
        try {
            return reading.read();
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            incomplete = what + " failed: " + Failures.oneLine(e);
            progress.done();
            return fallback;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the readings after the send stopped, or {@code null} when they all succeeded. */
    String incomplete() {
        return incomplete;
    }

    private LoadSink sink(Options options, EventTimes times) {
        return switch (options.target()) {
            case API -> new ApiSink(clients.http(), options.apiBase(), 1, options.linger(), options.maxInFlight(),
                times);
            case API_BATCH -> new ApiSink(clients.http(), options.apiBase(), options.batchSize(), options.linger(),
                options.maxInFlight(), times);
            case KINESIS -> new KinesisSink(new KinesisPutter(clients.kinesis(), options.names().stream(),
                ReplayBackoff.STANDARD, 10, Sleeper.SYSTEM, new SplittableRandom()), options.names().stream(),
                options.batchSize(), options.linger(), options.kinesisWriters(), times);
        };
    }

    /** Shows progress while the events are being sent. */
    private Thread reporter(LoadPlan plan, EventTimes times, LoadSink sink, Machine machine, long startNanos) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long elapsed = Math.max(1, System.nanoTime() - startNanos);
                long sent = times.sentCount();
                double rate = sent / (elapsed / 1e9);
                long end = startNanos + plan.offsetNanos(plan.count() - 1);
                Duration eta = sent >= plan.count() ? Duration.ZERO
                    : Duration.ofNanos(Math.max(0, end - System.nanoTime()));
                progress.show("sending", sent, plan.count(), rate, eta, String.format(Locale.ROOT,
                    "target %.0f/s | accepted %,d | applied %,d | errors %,d | in flight %,d", plan.rate(),
                    times.acceptedCount(), times.appliedCount(), times.errors().values().stream()
                        .mapToLong(Long::longValue).sum(), sink.inFlight()));
                machine.sample();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "load-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Waits until every accepted event is applied, or no progress for idleTimeout, or drainTimeout passed.
     *
     * @return true when it stopped waiting while the pipeline was still applying events (it is behind, not done)
     */
    private boolean awaitPipeline(Options options, EventTimes times, Instant sendEnd, AtomicBoolean stop,
        Machine machine) throws InterruptedException {
        progress.done();
        long lastApplied = -1;
        Instant lastProgress = Instant.now();
        Instant deadline = sendEnd.plus(options.drainTimeout());
        while (!stop.get()) {
            long applied = times.appliedCount();
            long accepted = times.acceptedCount();
            Instant now = Instant.now();
            if (applied != lastApplied) {
                lastApplied = applied;
                lastProgress = now;
            }
            progress.show("draining", applied, accepted, 0, null, "applied by the pipeline, "
                + Duration.between(sendEnd, now).toSeconds() + " s after the last send");
            machine.sample();
            if (applied >= accepted || now.isAfter(lastProgress.plus(options.idleTimeout()))) {
                return false;
            }
            if (now.isAfter(deadline)) {
                return true;
            }
            Thread.sleep(250);
        }
        return true;
    }

    /** Reads the ledger until nothing of the run is pending, queued or sending any more, or settleTimeout. */
    private LedgerReadings settleLedger(Options options, EventTimes times) throws InterruptedException {
        Instant deadline = Instant.now().plus(options.settleTimeout());
        LedgerReadings readings = LedgerReadings.read(clients.dynamoDb(), options.names().notificationsTable(),
            options.plan(), times);
        long previous = -1;
        while (Instant.now().isBefore(deadline)) {
            // deferred, dead-lettered and unknown entries wait for a time or a person, not for this run
            if (readings.inMotion() == 0 && readings.entries() == previous) {
                return readings;
            }
            previous = readings.entries();
            progress.show("settling", readings.entries() - readings.inMotion(), readings.entries(), 0, null,
                "notifications delivered or suppressed");
            Thread.sleep(2_000);
            readings = LedgerReadings.read(clients.dynamoDb(), options.names().notificationsTable(), options.plan(),
                times);
        }
        return readings;
    }

    private static CallCounts stackCalls(Path meter) throws IOException {
        if (meter == null) {
            return CallCounts.empty();
        }
        if (!Files.exists(meter)) {
            throw new IOException("no call counts at " + meter + ": start the local stack with replay/replay"
                + " local-stack, or leave out --stack-meter");
        }
        return CallCounts.read(meter);
    }

    private static long size(Path file) throws IOException {
        return file == null || !Files.exists(file) ? -1 : Files.size(file);
    }
}
