package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.CustomerRequestParser;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.EventRequest;
import za.co.personalisation.core.event.EventRequestParser;
import za.co.personalisation.core.event.InvalidRequestException;
import za.co.personalisation.core.event.SchemaRules;
import za.co.personalisation.core.event.Violation;
import za.co.personalisation.core.location.Gazetteer;

/**
 * The fast hand-written validation (SchemaRules, used by the parsers) decides exactly like a full JSON Schema
 * 2020-12 validator (networknt, format assertions on) reading the same schema file: over every malformed request
 * of the corpus whose body is JSON, and over valid samples, both report the same set of JSON pointers.
 *
 * <p>Differences that are by design, and excluded here: bodies that are not JSON at all (the validator cannot read
 * them either), the rules a schema cannot state ({@code x-semantic}: the occurredAt window, a time zone that
 * exists), and a batch envelope that is already wrong (the parser does not go on to judge its items one by one).
 */
class SchemaEquivalenceTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String SCHEMA = "classpath:" + SchemaRules.RESOURCE.substring(1);

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .formatAssertionsEnabled(true)
        .pathType(PathType.JSON_POINTER)
        .build();
    private final EventRequestParser events = new EventRequestParser(Gazetteer.bundled(), EventLimits.defaults(),
        () -> "id");
    private final CustomerRequestParser customers = new CustomerRequestParser(SchemaRules.bundled(),
        EventLimits.defaults(), () -> "id");

    private JsonSchema schema(String definition) {
        return factory.getSchema(SchemaLocation.of(SCHEMA + "#/$defs/" + definition), config);
    }

    /**
     * The pointers a full validator reports: for required and unknown members, the member's own pointer; for an
     * anyOf of required members that none satisfies, the object's (as the parser reports it).
     */
    private Set<String> schemaPointers(String definition, JsonNode body) {
        Set<String> pointers = new TreeSet<>();
        for (ValidationMessage message : schema(definition).validate(body)) {
            String at = message.getInstanceLocation().toString();
            at = at.equals("/") ? "" : at;
            String type = message.getType();
            boolean inAnyOf = message.getEvaluationPath().toString().contains("anyOf");
            if ((type.equals("required") || type.equals("additionalProperties")) && message.getProperty() != null
                && !inAnyOf) {
                at = at + "/" + message.getProperty().replace("~", "~0").replace("/", "~1");
            }
            pointers.add(at);
        }
        return pointers;
    }

    private interface Parse {
        List<Violation> violations(byte[] body);
    }

    private Set<String> parserPointers(Parse parse, byte[] body) {
        Set<String> pointers = new TreeSet<>();
        for (Violation violation : parse.violations(body)) {
            if (!isSemantic(violation)) {
                pointers.add(violation.pointer());
            }
        }
        return pointers;
    }

    private static boolean isSemantic(Violation violation) {
        return violation.message().contains("in the future") || violation.message().contains("retention")
            || violation.message().contains("not a time zone of the IANA database");
    }

    private List<Violation> eventViolations(byte[] body) {
        try {
            EventRequest request = events.parse(body, NOW, "");
            return request.items().stream().flatMap(item -> item.violations().stream()).toList();
        } catch (InvalidRequestException e) {
            return e.violations();
        }
    }

    private static List<Violation> violationsOf(Runnable parse) {
        try {
            parse.run();
            return List.of();
        } catch (InvalidRequestException e) {
            return e.violations();
        }
    }

    private static boolean isJson(byte[] body) {
        try {
            MAPPER.readTree(body);
            return body.length > 0 && new String(body, StandardCharsets.UTF_8).indexOf('\uFFFD') < 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void corpus_handWrittenRulesAndFullValidator_reportTheSamePointers() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        int compared = 0;
        for (Corpus.Case request : Corpus.all()) {
            String resource = request.request().getResource();
            String contentType = Requests.header(request.request(), "content-type");
            if (request.expect() != 400 || contentType == null || !contentType.equals("application/json")) {
                continue;
            }
            byte[] body = request.bodyBytes();
            String definition;
            Parse parse;
            String id = request.request().getPathParameters() == null ? null
                : request.request().getPathParameters().get("id");
            if (id != null) {
                Set<String> byRules = parserPointers(b -> violationsOf(() -> customers.customerId(id)), body);
                Set<String> bySchema = schemaPointers("CustomerId", TextNode.valueOf(id));
                soft.assertThat(byRules.isEmpty()).as("%s: path id %s", request, id).isEqualTo(bySchema.isEmpty());
                if (!bySchema.isEmpty()) {
                    compared++;
                    continue;
                }
            }
            switch (resource) {
                case "/events" -> {
                    definition = "EventsRequest";
                    parse = this::eventViolations;
                }
                case "/customers/{id}/contact" -> {
                    definition = "ContactRequest";
                    parse = b -> violationsOf(() -> customers.contact("c-1", b));
                }
                case "/customers/{id}/consent" -> {
                    definition = "ConsentRequest";
                    parse = b -> violationsOf(() -> customers.consent("c-1", b, NOW, ""));
                }
                default -> {
                    continue;
                }
            }
            if (!isJson(body) || hasDuplicateKey(parse, body)) {
                continue;
            }
            JsonNode node = MAPPER.readTree(body);
            Set<String> byRules = parserPointers(parse, body);
            Set<String> bySchema = schemaPointers(definition, node);
            if (byRules.contains("/events")) {
                bySchema.removeIf(pointer -> pointer.startsWith("/events/"));
            }
            soft.assertThat(byRules).as("%s (%s)", request, request.why()).isEqualTo(bySchema);
            compared++;
        }
        soft.assertAll();
        assertThat(compared).as("malformed JSON bodies compared").isGreaterThan(150);
    }

    private static boolean hasDuplicateKey(Parse parse, byte[] body) {
        return parse.violations(body).stream().anyMatch(v -> v.message().startsWith("duplicate key"));
    }

    private record Sample(String definition, String body) {
    }

    @Test
    void validSamples_passBoth() throws Exception {
        List<Sample> samples = List.of(
            new Sample("EventsRequest", "{\"customerId\":\"12345\",\"interest\":\"electronics\","
                + "\"location\":\"Cape Town\"}"),
            new Sample("EventsRequest", "{\"customerId\":\" a.b:c_d-9 \",\"interest\":\"Caf\u00e9 & Bar's +1\","
                + "\"location\":\"  St. Francis   Bay (EC) \",\"eventId\":\"E-1\","
                + "\"occurredAt\":\"2026-11-25T11:59:59.123+02:00\"}"),
            new Sample("EventsRequest", "{\"customerId\":\"1\",\"interest\":\"\u0915\u093f\u0924\u093e\u092c\","
                + "\"location\":\"iKapa\"}"),
            new Sample("EventsRequest", "{\"events\":[{\"customerId\":\"1\",\"interest\":\"a\","
                + "\"location\":\"b\"},{\"customerId\":\"2\",\"interest\":\"c\",\"location\":\"d\"}]}"),
            new Sample("ContactRequest", "{\"phone\":\"+27821234567\",\"locale\":\"en-ZA\","
                + "\"timeZone\":\"Africa/Johannesburg\"}"),
            new Sample("ContactRequest", "{\"email\":\"o'neil+offers@mail.example.co.za\",\"locale\":\"zu\","
                + "\"timeZone\":\"Etc/GMT-2\"}"),
            new Sample("ContactRequest", "{\"phone\":\"+14155550100\",\"email\":\"a@b.io\","
                + "\"locale\":\"sr-Latn-RS\",\"timeZone\":\"America/Argentina/Buenos_Aires\"}"),
            new Sample("ConsentRequest", "{\"sms\":\"granted\"}"),
            new Sample("ConsentRequest", "{\"sms\":\"revoked\",\"email\":\"granted\","
                + "\"occurredAt\":\"2026-11-25T09:00:00Z\"}"));
        for (Sample sample : samples) {
            byte[] body = sample.body().getBytes(StandardCharsets.UTF_8);
            List<Violation> byRules = switch (sample.definition()) {
                case "EventsRequest" -> eventViolations(body);
                case "ContactRequest" -> violationsOf(() -> customers.contact("c", body));
                default -> violationsOf(() -> customers.consent("c", body, NOW, ""));
            };
            assertThat(byRules).as(sample.body()).isEmpty();
            assertThat(schemaPointers(sample.definition(), MAPPER.readTree(body))).as(sample.body()).isEmpty();
        }
    }
}
