package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import za.co.personalisation.core.event.SchemaRules;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * docs/openapi.yaml matches the implementation: the same routes as the function and template.yaml, request
 * schemas that are the function's own schema file, and for every status the function can answer on every route a
 * request that gets it, with the documented content type, headers and a body valid against the documented schema.
 */
@ExtendWith(MotoExtension.class)
class OpenApiContractIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "options", "head");
    private static final String BIG = "{\"x\":\"" + "a".repeat(Requests.MAX_BODY_BYTES) + "\"}";

    private final Path root = projectRoot();
    private final JsonNode api = read(root.resolve("docs/openapi.yaml"));
    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
        .build();

    private static Path projectRoot() {
        String property = System.getProperty("project.root");
        Path start = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("docs/openapi.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root with template.yaml and docs/openapi.yaml above " + start);
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private Set<String> documentedRoutes(boolean withOptions) {
        Set<String> routes = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                if (path.getValue().has(method) && (withOptions || !method.equals("options"))) {
                    routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return routes;
    }

    @Test
    void routes_areTheFunctionsAndTheTemplates() {
        Set<String> implemented = new TreeSet<>();
        for (Route route : Route.values()) {
            implemented.add(route.method + " " + route.resource);
        }
        Set<String> templated = new TreeSet<>();
        JsonNode events = read(root.resolve("template.yaml")).path("Resources").path("IngestFunction")
            .path("Properties").path("Events");
        events.forEach(event -> {
            String method = event.path("Properties").path("Method").asText().toUpperCase(Locale.ROOT);
            if (event.path("Type").asText().equals("Api") && !method.equals("ANY")) {
                templated.add(method + " " + event.path("Properties").path("Path").asText());
            }
        });

        assertThat(documentedRoutes(false)).isEqualTo(implemented).isEqualTo(templated);
        assertThat(documentedRoutes(true)).contains("OPTIONS /events");
    }

    @Test
    void requestSchemas_areTheFunctionsSchemaFile_andEveryExampleIsValidAndAccepted(MotoExtension.Emulator emulator)
        throws IOException {
        // The examples carry fixed dates (docs/openapi.yaml, info.x-examples-as-of): judge them at that instant, so
        // that they neither age out of the API's time window nor depend on the day the test runs.
        Instant asOf = Instant.parse(api.path("info").path("x-examples-as-of").asText());
        IngestTestBed bed = new IngestTestBed(emulator, "examples", Clock.fixed(asOf, ZoneOffset.UTC));
        String file = "../core/src/main/resources" + SchemaRules.RESOURCE;
        assertThat(root.resolve("docs").resolve(file).normalize()).exists();
        int examples = 0;
        for (String route : documentedRoutes(false)) {
            JsonNode operation = operation(route);
            JsonNode body = operation.path("requestBody").path("content").path("application/json");
            if (body.isMissingNode()) {
                continue;
            }
            String ref = body.path("schema").path("$ref").asText();
            assertThat(ref).as(route).startsWith(file + "#/$defs/");
            String definition = ref.substring(ref.indexOf("#/$defs/") + "#/$defs/".length());
            assertThat(JSON.readTree(root.resolve("docs").resolve(file).toFile()).path("$defs").has(definition))
                .as("%s: $defs/%s exists", route, definition).isTrue();
            for (JsonNode example : body.path("examples")) {
                Set<ValidationMessage> errors = schemas.getSchema(SchemaLocation.of("classpath:"
                    + SchemaRules.RESOURCE.substring(1) + "#/$defs/" + definition), config)
                    .validate(example.path("value"));
                assertThat(errors).as("%s example %s", route, example).isEmpty();
                String[] parts = route.split(" ", 2);
                APIGatewayProxyResponseEvent response = bed.send(IngestTestBed.request(parts[0], parts[1],
                    parts[1].replace("{id}", "example-1"), JSON.writeValueAsString(example.path("value"))));
                assertThat(response.getStatusCode()).as("%s example %s: %s", route, example, response.getBody())
                    .isBetween(200, 299);
                examples++;
            }
        }
        assertThat(examples).isGreaterThanOrEqualTo(5);
    }

    private JsonNode operation(String route) {
        String[] parts = route.split(" ", 2);
        return api.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref") && current.get("$ref").asText().startsWith("#/")) {
            current = api.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    /** One request of the contract walk, with the route the document describes it under. */
    private record Call(String route, IngestHandler handler, APIGatewayProxyRequestEvent request) {
    }

    @Test
    void everyStatusOfEveryRoute_isDocumented_andEveryDocumentedStatusIsAnswered(MotoExtension.Emulator emulator) {
        IngestTestBed bed = new IngestTestBed(emulator, "contract");
        IngestHandler ok = bed.handler;
        IngestHandler noStream = bed.handler(bed.settings.with(Map.of("EVENTS_STREAM", "missing-stream")));
        IngestHandler noTable = bed.handler(bed.settings.with(Map.of("CONTACTS_TABLE", "missing-table")));
        String seed = "{\"customerId\":\"12345\",\"interest\":\"electronics\",\"location\":\"Cape Town\"}";
        String contact = "{\"phone\":\"+27821234567\",\"locale\":\"en-ZA\",\"timeZone\":\"Africa/Johannesburg\"}";
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("POST /events", ok, IngestTestBed.postEvents(seed)));
        calls.add(new Call("POST /events", ok, IngestTestBed.postEvents("{\"events\":[" + seed + ",{}]}")));
        calls.add(new Call("POST /events", ok, IngestTestBed.postEvents("{\"events\":[{}]}")));
        calls.add(new Call("POST /events", ok, IngestTestBed.postEvents("{}")));
        calls.add(new Call("POST /events", ok, IngestTestBed.postEvents(BIG)));
        calls.add(new Call("POST /events", ok, textPlain(IngestTestBed.postEvents(seed))));
        calls.add(new Call("POST /events", noStream, IngestTestBed.postEvents(seed)));
        calls.add(new Call("POST /events", noStream, IngestTestBed.postEvents("{\"events\":[" + seed + "]}")));
        calls.add(new Call("OPTIONS /events", ok, IngestTestBed.request("OPTIONS", "/events", "/events", null)
            .withHeaders(Map.of("Origin", IngestTestBed.ORIGIN))));
        calls.add(new Call("POST /events", ok, IngestTestBed.request("GET", "/events", "/events", null)));
        String conversion = "{\"customerId\":\"12345\",\"eventId\":\"order-1\",\"occurredAt\":\""
            + Instant.now().minusSeconds(60) + "\",\"interest\":\"electronics\"}";
        calls.add(new Call("POST /conversions", ok, IngestTestBed.request("POST", "/conversions", "/conversions",
            conversion)));
        calls.add(new Call("POST /conversions", ok, IngestTestBed.request("POST", "/conversions", "/conversions",
            "{}")));
        calls.add(new Call("POST /conversions", ok, IngestTestBed.request("POST", "/conversions", "/conversions",
            BIG)));
        calls.add(new Call("POST /conversions", ok, textPlain(IngestTestBed.request("POST", "/conversions",
            "/conversions", conversion))));
        calls.add(new Call("POST /conversions", noStream, IngestTestBed.request("POST", "/conversions",
            "/conversions", conversion)));
        calls.add(new Call("OPTIONS /conversions", ok, IngestTestBed.request("OPTIONS", "/conversions",
            "/conversions", null).withHeaders(Map.of("Origin", IngestTestBed.ORIGIN))));
        calls.add(new Call("POST /conversions", ok, IngestTestBed.request("GET", "/conversions", "/conversions",
            null)));
        String contactPath = "/customers/c-1/contact";
        String contactRoute = "/customers/{id}/contact";
        calls.add(new Call("PUT " + contactRoute, ok, IngestTestBed.request("PUT", contactRoute, contactPath,
            contact)));
        calls.add(new Call("PUT " + contactRoute, ok, IngestTestBed.request("PUT", contactRoute, contactPath, "{}")));
        calls.add(new Call("PUT " + contactRoute, ok, IngestTestBed.request("PUT", contactRoute, contactPath, BIG)));
        calls.add(new Call("PUT " + contactRoute, ok, textPlain(IngestTestBed.request("PUT", contactRoute,
            contactPath, contact))));
        calls.add(new Call("PUT " + contactRoute, noTable, IngestTestBed.request("PUT", contactRoute, contactPath,
            contact)));
        calls.add(new Call("PUT " + contactRoute, ok, IngestTestBed.request("GET", contactRoute, contactPath, null)));
        String consentPath = "/customers/c-1/consent";
        String consentRoute = "/customers/{id}/consent";
        String consent = "{\"sms\":\"granted\"}";
        calls.add(new Call("PUT " + consentRoute, ok, IngestTestBed.request("PUT", consentRoute, consentPath,
            consent)));
        calls.add(new Call("PUT " + consentRoute, ok, IngestTestBed.request("PUT", consentRoute, consentPath,
            "{\"sms\":1}")));
        calls.add(new Call("PUT " + consentRoute, ok, IngestTestBed.request("PUT", consentRoute, consentPath, BIG)));
        calls.add(new Call("PUT " + consentRoute, ok, textPlain(IngestTestBed.request("PUT", consentRoute,
            consentPath, consent))));
        calls.add(new Call("PUT " + consentRoute, noStream, IngestTestBed.request("PUT", consentRoute, consentPath,
            consent)));
        calls.add(new Call("PUT " + consentRoute, ok, IngestTestBed.request("POST", consentRoute, consentPath,
            consent)));
        String customerRoute = "/customers/{id}";
        calls.add(new Call("DELETE " + customerRoute, ok, IngestTestBed.request("DELETE", customerRoute,
            "/customers/c-1", null)));
        calls.add(new Call("DELETE " + customerRoute, ok, IngestTestBed.request("DELETE", customerRoute,
            "/customers/c-1", "{}")));
        calls.add(new Call("DELETE " + customerRoute, ok, IngestTestBed.request("DELETE", customerRoute,
            "/customers/c-1", BIG)));
        calls.add(new Call("DELETE " + customerRoute, noTable, IngestTestBed.request("DELETE", customerRoute,
            "/customers/c-1", null)));
        calls.add(new Call("DELETE " + customerRoute, noStream, IngestTestBed.request("DELETE", customerRoute,
            "/customers/c-1", null)));
        calls.add(new Call("DELETE " + customerRoute, ok, IngestTestBed.request("GET", customerRoute,
            "/customers/c-1", null)));
        // c-1 is erased now: contact details and consent for it are refused
        calls.add(new Call("PUT " + contactRoute, ok, IngestTestBed.request("PUT", contactRoute, contactPath,
            contact)));
        calls.add(new Call("PUT " + consentRoute, ok, IngestTestBed.request("PUT", consentRoute, consentPath,
            consent)));
        calls.add(new Call("", ok, IngestTestBed.request("GET", "/nowhere", "/nowhere", null)));

        SoftAssertions soft = new SoftAssertions();
        Set<String> answered = new TreeSet<>();
        for (Call call : calls) {
            APIGatewayProxyResponseEvent response = call.handler().handleRequest(call.request(), null);
            int status = response.getStatusCode();
            String what = call.request().getHttpMethod() + " " + call.request().getPath() + " -> " + status;
            JsonNode spec;
            if (status == 404) {
                spec = api.at("/components/responses/NotFound");
            } else if (status == 405) {
                spec = api.at("/components/responses/MethodNotAllowed");
            } else {
                spec = resolve(operation(call.route()).path("responses").path(String.valueOf(status)));
                answered.add(call.route() + " " + status);
            }
            soft.assertThat(spec.isMissingNode()).as("%s: status documented", what).isFalse();
            soft.assertThat(spec.path("x-source").asText()).as("%s: not a gateway status", what)
                .isNotEqualTo("gateway");
            for (Iterator<String> headers = spec.path("headers").fieldNames(); headers.hasNext(); ) {
                soft.assertThat(response.getHeaders()).as("%s: header", what).containsKey(headers.next());
            }
            JsonNode content = spec.path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                soft.assertThat(response.getBody()).as("%s: no body", what).isNull();
                continue;
            }
            String contentType = response.getHeaders().get("Content-Type");
            soft.assertThat(content.has(contentType)).as("%s: content type %s documented", what, contentType)
                .isTrue();
            ObjectNode wrapper = JSON.createObjectNode();
            wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            wrapper.set("components", api.path("components"));
            wrapper.putArray("allOf").add(content.path(contentType).path("schema"));
            Set<ValidationMessage> errors = schemas.getSchema(wrapper, config).validate(IngestTestBed.json(
                response.getBody()));
            soft.assertThat(errors).as("%s: body %s matches the documented schema", what, response.getBody())
                .isEmpty();
        }
        soft.assertAll();

        Set<String> documented = new TreeSet<>();
        for (String route : documentedRoutes(true)) {
            operation(route).path("responses").fields().forEachRemaining(response -> {
                if (!resolve(response.getValue()).path("x-source").asText().equals("gateway")) {
                    documented.add(route + " " + response.getKey());
                }
            });
        }
        assertThat(answered).as("every documented function status is answered by some request")
            .isEqualTo(documented);
    }

    private static APIGatewayProxyRequestEvent textPlain(APIGatewayProxyRequestEvent request) {
        return request.withHeaders(Map.of("Content-Type", "text/plain"));
    }
}
