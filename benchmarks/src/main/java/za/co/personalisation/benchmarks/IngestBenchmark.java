package za.co.personalisation.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.EventRequest;
import za.co.personalisation.core.event.EventRequestParser;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.SchemaRules;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.event.Violation;
import za.co.personalisation.core.location.Gazetteer;

/**
 * The ingest hot path on one thread: parse + validate + normalise + serialise (the stream record bytes), for one
 * event and for a 500-event batch; and validation alone, by the compiled schema rules the function uses versus a
 * general JSON Schema validator (networknt) reading the same file. Results: docs/benchmarks.md, "Ingest".
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
 * Ingest -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestBenchmark {

    private static final String[] CITIES = {"Cape Town", "Johannesburg", "Durban", "Kaapstad", "Gqeberha",
        "Atlantis", "Pretoria", "Bloemfontein"};
    private static final String[] INTERESTS = {"electronics", "Home Audio", "garden", "books", "Kitchen & Dining"};

    private EventRequestParser parser;
    private byte[] single;
    private byte[] batch;
    private JsonNode singleTree;
    private SchemaRules.ObjectRule rule;
    private JsonSchema schema;
    private final Instant now = Instant.parse("2026-11-25T10:00:00Z");

    @Setup
    public void setUp() throws IOException {
        parser = new EventRequestParser(Gazetteer.bundled(), EventLimits.defaults(), new Ids());
        single = event(0).getBytes(StandardCharsets.UTF_8);
        StringBuilder events = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 500; i++) {
            events.append(i == 0 ? "" : ",").append(event(i));
        }
        batch = events.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        singleTree = new ObjectMapper().readTree(single);
        rule = SchemaRules.bundled().object("InterestEvent");
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SchemaLocation.of(
            "classpath:" + SchemaRules.RESOURCE.substring(1) + "#/$defs/InterestEvent"),
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    private static String event(int i) {
        return "{\"customerId\":\"cust-" + (10_000 + i) + "\",\"interest\":\"" + INTERESTS[i % INTERESTS.length]
            + "\",\"location\":\"" + CITIES[i % CITIES.length] + "\",\"eventId\":\"web-" + i
            + "\",\"occurredAt\":\"2026-11-25T09:59:00Z\"}";
    }

    /** Cheap, allocation-light ids: the benchmark measures the pipeline, not UUID generation. */
    private static final class Ids implements java.util.function.Supplier<String> {
        private long next;

        @Override
        public String get() {
            return Long.toString(next++);
        }
    }

    /** One event: parse, validate, normalise, encode the stream record. */
    @Benchmark
    public void singleEvent(Blackhole hole) {
        EventRequest request = parser.parse(single, now, "1-abc-def");
        for (InterestEvent event : request.accepted()) {
            hole.consume(StreamEventCodec.encode(event));
        }
    }

    /** A 500-event batch (ops/s × 500 = events/s). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void batchOf500(Blackhole hole) {
        EventRequest request = parser.parse(batch, now, "1-abc-def");
        for (InterestEvent event : request.accepted()) {
            hole.consume(StreamEventCodec.encode(event));
        }
    }

    /** Validation only, by the compiled rules the function uses. */
    @Benchmark
    public List<Violation> validateCompiledRules() {
        List<Violation> violations = new ArrayList<>(0);
        rule.validate(singleTree, "", violations);
        return violations;
    }

    /** Validation only, by the general validator (networknt 1.5.9) on the same schema. */
    @Benchmark
    public Set<ValidationMessage> validateNetworknt() {
        return schema.validate(singleTree);
    }
}
