package za.co.personalisation.benchmarks;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.benchmarks.standin.DynamoDbStandIn;
import za.co.personalisation.benchmarks.standin.LatencyDistribution;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.enrich.EnrichHandler;

/**
 * The AWS per-shard model: how many records a second one Kinesis shard's enrich function applies when DynamoDB
 * answers in a few milliseconds, against the shard's write limit of 1,000 records/s.
 *
 * <p>The real {@link EnrichHandler} (its public constructor, as Lambda builds it: the project's SDK clients with the
 * url-connection HTTP client, retries, the worker pool of {@code WRITE_CONCURRENCY}) handles Kinesis batches of
 * {@value #BATCH} records (template.yaml's BatchSize), its DynamoDB endpoint pointed at {@link DynamoDbStandIn}, a
 * stand-in for this benchmark only that delays every answer by a log-normal service time (by default p50 5 ms, p99
 * 25 ms, within what DynamoDB's single-digit-millisecond reads and writes give inside a region).
 *
 * <p>One benchmark operation is one batch, one invocation. A shard's event source mapping runs at most
 * ParallelizationFactor batches of the shard at once, each in its own execution environment, so each JMH thread
 * holds its own handler (one environment) and its own customers (a partition key goes to one of the concurrent
 * batches): {@code shardPf1} runs one thread, the template's setting (ParallelizationFactor 1, template.yaml
 * EnrichFunction), {@code shardPf10} ten, the most Lambda allows. Records/s per shard = batches/s × {@value #BATCH}.
 * Not modelled: Lambda's own time between a batch's end and the next invocation, and the fraction of a vCPU a
 * 1,024 MB function gets (the CPU part of a batch is a few milliseconds here; docs/benchmarks.md).
 *
 * <p>{@code customers=new}: every record is a new customer's first event (the profile is created; the batch reads
 * profiles and erasure tombstones). {@code customers=established}: every customer already has a profile (one read per
 * 100 customers, one conditional write per customer). Records are spread uniformly over the customers, so a batch
 * has about as many customers as records: the costliest case; repeats in a batch are coalesced into one write.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EnrichShard -f 1 -wi 2 -i 3} (see docs/benchmarks.md).
 * After each iteration it prints the DynamoDB requests and log bytes per record of that iteration.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class EnrichShardBenchmark {

    static final int BATCH = 100;
    /** Customers with a profile, per execution environment, for {@code customers=established}. */
    static final int ESTABLISHED_CUSTOMERS = 2_000;
    private static final String[] INTERESTS = {"electronics", "books", "fashion", "sports", "groceries", "toys"};
    private static final Location[] PLACES = {new Location("ZA/WC/cape-town", "Cape Town", true),
        new Location("ZA/KZN/durban", "Durban", true), new Location("ZA/GP/johannesburg", "Johannesburg", true)};

    /** The DynamoDB stand-in every environment of the shard talks to, and what it counted. */
    @State(Scope.Benchmark)
    public static class Service {

        /** DynamoDB's service time, {@code p50/p99} in milliseconds; {@code 0/0} measures the rest alone. */
        @Param({"5/25", "0/0"})
        public String latencyMillis;

        DynamoDbStandIn dynamoDb;
        LatencyDistribution latency;
        final AtomicLong records = new AtomicLong();
        final AtomicLong logBytes = new AtomicLong();
        final AtomicInteger environments = new AtomicInteger();
        private long cpuNanos;
        private long[] threadCpuNanos;

        @Setup(Level.Trial)
        public void start() throws IOException {
            String[] percentiles = latencyMillis.split("/");
            latency = LatencyDistribution.of(Duration.ofNanos(Math.round(Double.parseDouble(percentiles[0]) * 1e6)),
                Duration.ofNanos(Math.round(Double.parseDouble(percentiles[1]) * 1e6)));
            dynamoDb = DynamoDbStandIn.start(Map.of("profiles", List.of("customerId"),
                "erasures", List.of("customerHash"), "notifications", List.of("customerId", "notificationKey")),
                LatencyDistribution.none());
            // the function's log and EMF lines: counted (CloudWatch Logs bills by the byte), not printed
            JsonLog.setDefaultSink(line -> logBytes.addAndGet(line.length() + 1));
        }

        /** Counts only what the measured batches do: the trial's set-up creates profiles. */
        @Setup(Level.Iteration)
        public void resetCounts() {
            dynamoDb.resetRequestCounts();
            records.set(0);
            logBytes.set(0);
            cpuNanos = processCpuNanos();
            threadCpuNanos = threadCpuNanos();
        }

        @TearDown(Level.Iteration)
        public void report() {
            long applied = Math.max(1, records.get());
            StringBuilder line = new StringBuilder("\nper record (" + applied + " records, stand-in " + latency + "):");
            dynamoDb.requests().forEach((operation, count) -> line.append(' ').append(operation).append(' ')
                .append(String.format("%.3f", (double) count / applied)));
            line.append(String.format("; log bytes %.0f", (double) logBytes.get() / applied));
            // the whole JVM's CPU: the handler, the SDK and the stand-in's own JSON work together
            line.append(String.format("; process CPU µs %.0f", (processCpuNanos() - cpuNanos) / 1e3 / applied));
            // split by thread: the stand-in's own (not the function's) and every other live thread's (the handler,
            // its workers, the SDK and its HTTP client; threads that ended during the iteration are not counted)
            long[] now = threadCpuNanos();
            line.append(String.format("; of which stand-in threads µs %.0f, function threads µs %.0f",
                (now[0] - threadCpuNanos[0]) / 1e3 / applied, (now[1] - threadCpuNanos[1]) / 1e3 / applied));
            System.out.println(line);
        }

        @TearDown(Level.Trial)
        public void stop() {
            dynamoDb.close();
        }
    }

    /** One execution environment: its own handler and its own customers. */
    @State(Scope.Thread)
    public static class Environment {

        @Param({"new", "established"})
        public String customers;
        @Param({"8"})
        public String writeConcurrency;

        EnrichHandler handler;
        KinesisEvent batch;
        private String prefix;
        private SplittableRandom random;
        private long nextCustomer;
        private long nextEvent;
        private long sequence = 49_600_000_000L;
        private Service service;

        @Setup(Level.Trial)
        public void start(Service shared) {
            service = shared;
            int environment = shared.environments.incrementAndGet();
            prefix = "env" + environment + "-";
            random = new SplittableRandom(environment);
            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", "af-south-1");
            env.put("AWS_ENDPOINT_URL", shared.dynamoDb.endpoint().toString());
            env.put("AWS_ACCESS_KEY_ID", "benchmark");
            env.put("AWS_SECRET_ACCESS_KEY", "benchmark");
            env.put("XRAY_TRACING", "false");
            env.put("PROFILES_TABLE", "profiles");
            env.put("ERASURES_TABLE", "erasures");
            env.put("NOTIFICATIONS_TABLE", "notifications");
            // never called: every record of these batches is valid
            env.put("FAILED_EVENTS_QUEUE_URL", "http://127.0.0.1:9/000000000000/failed-events");
            env.put("ERASURE_KEY", "benchmark-erasure-key-of-at-least-32-characters");
            env.put("WRITE_CONCURRENCY", writeConcurrency);
            handler = new EnrichHandler(Settings.of(env));
            if (customers.equals("established")) {
                // create the profiles at no latency, then switch the latency on for the measurement
                for (int from = 0; from < ESTABLISHED_CUSTOMERS; from += BATCH) {
                    List<String> ids = new ArrayList<>(BATCH);
                    for (int i = from; i < from + BATCH; i++) {
                        ids.add(prefix + i);
                    }
                    requireApplied(handler.handleRequest(batchOf(ids), null));
                }
            }
            shared.dynamoDb.latency(shared.latency);
        }

        @Setup(Level.Invocation)
        public void nextBatch() {
            List<String> ids = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                ids.add(prefix + (customers.equals("new") ? nextCustomer++ : random.nextInt(ESTABLISHED_CUSTOMERS)));
            }
            batch = batchOf(ids);
        }

        KinesisEvent batchOf(List<String> customerIds) {
            Instant now = Instant.now();
            List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>(customerIds.size());
            for (String customerId : customerIds) {
                InterestEvent event = new InterestEvent(prefix + "e" + nextEvent++, customerId,
                    INTERESTS[random.nextInt(INTERESTS.length)], PLACES[random.nextInt(PLACES.length)],
                    now.minusMillis(800), now.minusMillis(500), "", false);
                records.add(record(StreamEventCodec.encode(event), customerId, event.receivedAt()));
            }
            KinesisEvent event = new KinesisEvent();
            event.setRecords(records);
            return event;
        }

        private KinesisEvent.KinesisEventRecord record(byte[] data, String partitionKey, Instant arrival) {
            String sequenceNumber = String.format("%056d", sequence++);
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion("1.0");
            kinesis.setPartitionKey(partitionKey);
            kinesis.setSequenceNumber(sequenceNumber);
            kinesis.setData(ByteBuffer.wrap(data));
            kinesis.setApproximateArrivalTimestamp(Date.from(arrival));
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventSource("aws:kinesis");
            record.setEventID("shardId-000000000000:" + sequenceNumber);
            return record;
        }

        void applied(StreamsEventResponse response) {
            requireApplied(response);
            service.records.addAndGet(BATCH);
        }
    }

    /** CPU time of the live threads: {stand-in threads, all others}. */
    static long[] threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long standIn = 0;
        long other = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long cpu = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            if (info.getThreadName().startsWith("dynamodb-stand-in")) {
                standIn += cpu;
            } else {
                other += cpu;
            }
        }
        return new long[] {standIn, other};
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /** Measured batches must apply whole: a benchmark of batches that fail would measure the wrong thing. */
    static void requireApplied(StreamsEventResponse response) {
        if (response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException(response.getBatchItemFailures().size()
                + " records were reported as failures: the stand-in or the handler refused something");
        }
    }

    /** ParallelizationFactor 1, template.yaml's setting: one batch of the shard at a time. */
    @Benchmark
    @Threads(1)
    public StreamsEventResponse shardPf1(Environment environment) {
        StreamsEventResponse response = environment.handler.handleRequest(environment.batch, null);
        environment.applied(response);
        return response;
    }

    /** ParallelizationFactor 10, the highest: ten batches of the shard at once, each in its own environment. */
    @Benchmark
    @Threads(10)
    public StreamsEventResponse shardPf10(Environment environment) {
        StreamsEventResponse response = environment.handler.handleRequest(environment.batch, null);
        environment.applied(response);
        return response;
    }
}
