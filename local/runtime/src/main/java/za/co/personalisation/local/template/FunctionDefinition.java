package za.co.personalisation.local.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function as template.yaml declares it (Globals merged in), with its environment resolved against the local
 * resources.
 *
 * @param logicalId   e.g. {@code IngestFunction}
 * @param name        the FunctionName
 * @param handler     {@code class::method}
 * @param codeUri     the function's module folder, relative to the project root (what `sam build` builds)
 * @param memoryMb    MemorySize
 * @param timeout     Timeout
 * @param environment Environment.Variables
 * @param events      the function's Events, each with its type and resolved properties
 */
public record FunctionDefinition(
    String logicalId,
    String name,
    String handler,
    String codeUri,
    int memoryMb,
    Duration timeout,
    Map<String, String> environment,
    List<Event> events) {

    /** One entry of a function's Events. */
    public record Event(String name, String type, Map<String, Object> properties) {

        public String string(String property, String fallback) {
            Object value = properties.get(property);
            return value == null ? fallback : value.toString();
        }

        public int integer(String property, int fallback) {
            Object value = properties.get(property);
            return value == null ? fallback : Integer.parseInt(value.toString());
        }

        public boolean flag(String property) {
            return Boolean.parseBoolean(String.valueOf(properties.get(property)));
        }
    }

    public String handlerClass() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** Every AWS::Serverless::Function of the template. */
    public static List<FunctionDefinition> all(Template template, LocalResources resources) {
        Intrinsics intrinsics = resources.intrinsics();
        Map<String, Object> globals = template.functionGlobals();
        List<FunctionDefinition> functions = new ArrayList<>();
        for (Template.Resource resource : template.resourcesOfType("AWS::Serverless::Function")) {
            Map<String, Object> p = resource.properties();
            Map<String, String> environment = new LinkedHashMap<>();
            variables(globals, intrinsics, environment);
            variables(p, intrinsics, environment);
            List<Event> events = new ArrayList<>();
            Template.map(p.get("Events")).forEach((name, spec) -> {
                Map<String, Object> event = Template.map(spec);
                @SuppressWarnings("unchecked")
                Map<String, Object> properties = (Map<String, Object>) intrinsics.resolve(Template.map(
                    event.get("Properties")));
                events.add(new Event(name, String.valueOf(event.get("Type")), properties));
            });
            functions.add(new FunctionDefinition(
                resource.logicalId(),
                resources.ref(resource.logicalId()),
                intrinsics.string(value(p, globals, "Handler", null)),
                intrinsics.string(value(p, globals, "CodeUri", "")),
                Integer.parseInt(String.valueOf(value(p, globals, "MemorySize", 128))),
                Duration.ofSeconds(Long.parseLong(String.valueOf(value(p, globals, "Timeout", 3)))),
                Map.copyOf(environment),
                List.copyOf(events)));
        }
        return functions;
    }

    private static Object value(Map<String, Object> properties, Map<String, Object> globals, String name,
        Object fallback) {
        Object value = properties.get(name);
        if (value == null) {
            value = globals.get(name);
        }
        return value == null ? fallback : value;
    }

    private static void variables(Map<String, Object> properties, Intrinsics intrinsics, Map<String, String> into) {
        Template.map(Template.map(properties.get("Environment")).get("Variables"))
            .forEach((name, value) -> into.put(name, intrinsics.string(value)));
    }
}
