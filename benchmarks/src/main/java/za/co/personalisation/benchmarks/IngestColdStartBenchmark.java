package za.co.personalisation.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import za.co.personalisation.core.event.SchemaRules;
import za.co.personalisation.core.event.Violation;

/**
 * What a Lambda cold start pays before the first event is validated: loading the schema and validating once, in
 * a fresh JVM each time (single shot, one fork per sample), by the compiled rules the function uses and by the
 * general validator. Results: docs/benchmarks.md, "Ingest".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
public class IngestColdStartBenchmark {

    private static final String EVENT = "{\"customerId\":\"12345\",\"interest\":\"electronics\","
        + "\"location\":\"Cape Town\"}";

    @Benchmark
    public Object compiledRulesFirstValidation() throws IOException {
        JsonNode event = new ObjectMapper().readTree(EVENT);
        ArrayList<Violation> violations = new ArrayList<>();
        SchemaRules.bundled().object("InterestEvent").validate(event, "", violations);
        return violations;
    }

    @Benchmark
    public Object networkntFirstValidation() throws IOException {
        JsonNode event = new ObjectMapper().readTree(EVENT);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(SchemaLocation.of(
            "classpath:" + SchemaRules.RESOURCE.substring(1) + "#/$defs/InterestEvent"),
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build()).validate(event);
    }
}
