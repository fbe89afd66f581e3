package za.co.personalisation.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.EventValidator;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.ProfileMerger;

/**
 * enrich-function's CPU work for one Kinesis batch of 1,000 records: decode every record
 * ({@link StreamEventCodec#decode}), validate it ({@link EventValidator}), coalesce per customer in stream order
 * (as ProfileEnricher does), and merge each customer's events into their profile ({@link ProfileMerger}). No I/O.
 *
 * <p>The score is per record ({@code @OperationsPerInvocation(1000)}): ops/s = records/s; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} = bytes allocated per record. Target: at least 100,000 records/s on one core.
 *
 * <p>{@code profiles=new}: every customer is new (empty profiles). {@code profiles=established}: every customer
 * already has 8 interests and a full window of 200 remembered event ids, the steady state of an active customer
 * and the costlier case (the window is copied and trimmed on each merge).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EnrichBatch -prof gc} (see docs/benchmarks.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class EnrichBatchBenchmark {

    static final int RECORDS = 1_000;
    static final int CUSTOMERS = 250;
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String[] INTERESTS = {"electronics", "books", "fashion", "sports", "home & garden",
        "groceries", "toys", "travel"};
    private static final Location[] PLACES = {new Location("ZA/WC/cape-town", "Cape Town", true),
        new Location("ZA/KZN/durban", "Durban", true), new Location("ZA/GP/johannesburg", "Johannesburg", true),
        new Location("ZA/WC/george", "George", true), Location.unknown("Atlantis")};

    @Param({"new", "established"})
    public String profiles;

    private byte[][] records;
    private Map<String, Profile> stored;
    private final ProfileMerger merger = new ProfileMerger(Duration.ofDays(14), 200);
    private final EventValidator validator = new EventValidator(EventLimits.defaults());

    @Setup
    public void setUp() {
        Random random = new Random(1);
        List<StreamEvent> events = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            double u = random.nextDouble();
            String customerId = "customer-" + (int) (u * u * CUSTOMERS);
            Instant occurredAt = NOW.minusSeconds(1 + random.nextInt(86_400));
            String eventId = UUID.nameUUIDFromBytes(("event-" + i).getBytes(StandardCharsets.UTF_8)).toString();
            events.add(i % 20 == 0
                ? new ConsentEvent(eventId, customerId, Channel.SMS, Consent.State.GRANTED, occurredAt,
                    occurredAt.plusMillis(300), "1-6744a1b0-0a1b2c3d4e5f60718293a4b5", false)
                : new InterestEvent(eventId, customerId, INTERESTS[random.nextInt(INTERESTS.length)],
                    PLACES[random.nextInt(PLACES.length)], occurredAt, occurredAt.plusMillis(300),
                    "1-6744a1b0-0a1b2c3d4e5f60718293a4b5", false));
        }
        records = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            records[i] = StreamEventCodec.encode(events.get(i));
        }
        stored = new HashMap<>();
        for (StreamEvent event : events) {
            stored.computeIfAbsent(event.customerId(), id -> "new".equals(profiles) ? Profile.empty(id)
                : established(id, random));
        }
    }

    /** A profile that has seen 200 events over the past week, across all the interests. */
    private Profile established(String customerId, Random random) {
        List<StreamEvent> history = new ArrayList<>(200);
        for (int i = 0; i < 200; i++) {
            Instant at = NOW.minus(Duration.ofDays(7)).plusSeconds(random.nextInt(6 * 86_400));
            history.add(new InterestEvent(customerId + "-history-" + i, customerId, INTERESTS[i % INTERESTS.length],
                PLACES[i % PLACES.length], at, at, "", false));
        }
        return merger.apply(Profile.empty(customerId), history, NOW).profile().withVersion(200);
    }

    /** The decode and validate part alone, to see where the time goes. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void decodeValidate(Blackhole blackhole) {
        for (byte[] record : records) {
            StreamEvent event = StreamEventCodec.decode(record);
            blackhole.consume(validator.violation(event, NOW));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void decodeValidateMerge(Blackhole blackhole) {
        Map<String, List<StreamEvent>> byCustomer = new LinkedHashMap<>();
        for (byte[] record : records) {
            StreamEvent event = StreamEventCodec.decode(record);
            if (validator.violation(event, NOW) != null) {
                throw new IllegalStateException("the benchmark's records are valid");
            }
            byCustomer.computeIfAbsent(event.customerId(), id -> new ArrayList<>()).add(event);
        }
        for (Map.Entry<String, List<StreamEvent>> customer : byCustomer.entrySet()) {
            blackhole.consume(merger.apply(stored.get(customer.getKey()), customer.getValue(), NOW));
        }
    }
}
