package za.co.personalisation.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.core.offer.OfferMatch;
import za.co.personalisation.core.offer.OfferMatcher;
import za.co.personalisation.core.offer.OfferMessage;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;

/**
 * Offer matching per changed profile, over catalogs of 1k, 10k and 100k offers: the inverted index
 * ({@link OfferMatcher#match}) against a linear scan of every offer ({@link OfferMatcher#matchByLinearScan}, the
 * same answer), in the same run. Sample-time mode, so JMH reports p50 / p90 / p99 per call.
 *
 * <p>Target (issue 5): index p99 ≤ 5 µs at 100k offers, and ≥ 100× faster than the linear scan.
 *
 * <p>The synthetic catalog: 40 interests, location rules spread like the sample catalog's (10 % everywhere, 20 %
 * country, 35 % a province, 35 % a city of 24), one or two rules and one or two interests per offer, sms, email or
 * both, priorities 0–99, one offer in ten outside its validity window. The changes: 4,096 customers with one to
 * five interests in one of the 24 cities; each change adds an interest (three in four) or moves the customer (one in
 * four), the triggers that make a notification.
 *
 * <pre>mvn -q -pl benchmarks -am package -DskipTests &amp;&amp; java -jar benchmarks/target/benchmarks.jar Match</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MatchBenchmark {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String[] PROVINCES = {"ZA/WC", "ZA/GP", "ZA/KZN", "ZA/EC", "ZA/FS", "ZA/LP", "ZA/MP",
        "ZA/NC", "ZA/NW"};
    private static final String[] CITIES = {"ZA/WC/cape-town", "ZA/WC/stellenbosch", "ZA/WC/paarl", "ZA/WC/george",
        "ZA/GP/johannesburg", "ZA/GP/pretoria", "ZA/GP/soweto", "ZA/GP/sandton", "ZA/GP/centurion",
        "ZA/KZN/durban", "ZA/KZN/pietermaritzburg", "ZA/KZN/umhlanga", "ZA/EC/gqeberha", "ZA/EC/east-london",
        "ZA/FS/bloemfontein", "ZA/FS/welkom", "ZA/LP/polokwane", "ZA/LP/tzaneen", "ZA/MP/mbombela",
        "ZA/MP/emalahleni", "ZA/NC/kimberley", "ZA/NC/upington", "ZA/NW/rustenburg", "ZA/NW/mahikeng"};
    private static final int INTERESTS = 40;
    private static final int CHANGES = 4096;
    private static final Set<Channel> REACHABLE = EnumSet.allOf(Channel.class);

    /** One profile change: the images before and after. */
    record Change(Profile before, Profile after) {
    }

    @Param({"1000", "10000", "100000"})
    public int offers;

    private OfferCatalog catalog;
    private OfferMatcher matcher;
    private Change[] changes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        catalog = catalog(offers, random);
        matcher = new OfferMatcher(Duration.ofDays(14), 1);
        changes = changes(random);
    }

    @Benchmark
    public List<OfferMatch> index() {
        Change change = changes[next++ & (CHANGES - 1)];
        return matcher.match(catalog, change.before(), change.after(), NOW, REACHABLE);
    }

    @Benchmark
    public List<OfferMatch> linearScan() {
        Change change = changes[next++ & (CHANGES - 1)];
        return matcher.matchByLinearScan(catalog, change.before(), change.after(), NOW, REACHABLE);
    }

    static OfferCatalog catalog(int size, Random random) {
        Map<String, OfferMessage> messages = Map.of(Offer.DEFAULT_LOCALE, new OfferMessage("An offer.", "Offer",
            "An offer."));
        List<Offer> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Set<String> interests = new HashSet<>(List.of(interest(random)));
            if (random.nextInt(4) == 0) {
                interests.add(interest(random));
            }
            Set<String> rules = new LinkedHashSet<>(List.of(rule(random)));
            if (random.nextInt(5) == 0) {
                rules.add(rule(random));
            }
            List<Channel> channels = switch (random.nextInt(3)) {
                case 0 -> List.of(Channel.SMS);
                case 1 -> List.of(Channel.EMAIL);
                default -> List.of(Channel.SMS, Channel.EMAIL);
            };
            Instant from = NOW.minus(Duration.ofDays(1 + random.nextInt(300)));
            Instant until = NOW.plus(Duration.ofDays(1 + random.nextInt(300)));
            if (random.nextInt(10) == 0) {
                boolean expired = random.nextBoolean();
                from = expired ? NOW.minus(Duration.ofDays(400)) : NOW.plus(Duration.ofDays(10));
                until = expired ? NOW.minus(Duration.ofDays(10)) : NOW.plus(Duration.ofDays(400));
            }
            list.add(new Offer("OFFER-" + i, "offer " + i, interests, List.copyOf(rules), channels, from, until,
                random.nextInt(100), messages));
        }
        return new OfferCatalog("bench-" + size, list);
    }

    static Change[] changes(Random random) {
        Change[] changes = new Change[CHANGES];
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        consent.put(Channel.SMS, new Consent(Consent.State.GRANTED, NOW));
        consent.put(Channel.EMAIL, new Consent(Consent.State.GRANTED, NOW));
        for (int i = 0; i < CHANGES; i++) {
            Map<String, InterestStat> stats = new HashMap<>();
            int count = 1 + random.nextInt(5);
            while (stats.size() < count) {
                int seen = 1 + random.nextInt(3);
                stats.put(interest(random), new InterestStat(seen, seen, NOW.minus(Duration.ofDays(3)),
                    NOW.minus(Duration.ofHours(1 + random.nextInt(48))), "ev-" + i + "-" + stats.size()));
            }
            Location home = city(random);
            Profile before = new Profile("c" + i, 3, stats, home, NOW.minus(Duration.ofHours(1)), consent, List.of(),
                NOW.minus(Duration.ofHours(1)));
            Map<String, InterestStat> afterStats = new HashMap<>(stats);
            Location place = home;
            if (random.nextInt(4) == 0) {
                while (place.key().equals(home.key())) {
                    place = city(random);
                }
            } else {
                String added = interest(random);
                while (stats.containsKey(added)) {
                    added = interest(random);
                }
                afterStats.put(added, InterestStat.first(NOW, "ev-" + i + "-new"));
            }
            changes[i] = new Change(before, new Profile("c" + i, 4, afterStats, place, NOW, consent, List.of(), NOW));
        }
        return changes;
    }

    private static String interest(Random random) {
        return "interest-" + random.nextInt(INTERESTS);
    }

    private static String rule(Random random) {
        int kind = random.nextInt(20);
        if (kind < 2) {
            return "*";
        }
        if (kind < 6) {
            return "ZA";
        }
        return kind < 13 ? PROVINCES[random.nextInt(PROVINCES.length)] : CITIES[random.nextInt(CITIES.length)];
    }

    private static Location city(Random random) {
        String key = CITIES[random.nextInt(CITIES.length)];
        return new Location(key, key.substring(key.lastIndexOf('/') + 1), true);
    }
}
