package za.co.personalisation.local.template;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as data: parameters, globals and resources, with CloudFormation's short-form tags ({@code !Ref},
 * {@code !GetAtt}, {@code !Sub}, …) read as their long forms ({@code {"Ref": …}}, {@code {"Fn::GetAtt": […]}}).
 */
public final class Template {

    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAZs", "If",
        "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "Not", "Or");

    /** One resource: logical id, type, properties and metadata as written. */
    public record Resource(String logicalId, String type, Map<String, Object> properties,
        Map<String, Object> metadata) {
    }

    private final Map<String, Object> root;

    private Template(Map<String, Object> root) {
        this.root = root;
    }

    public static Template load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object parsed = new Yaml(new CloudFormationConstructor()).load(reader);
            if (!(parsed instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return new Template(cast(parsed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every parameter the template declares, in the order written. */
    public List<String> parameterNames() {
        return List.copyOf(map(root.get("Parameters")).keySet());
    }

    /** Parameter defaults. */
    public Map<String, String> parameterDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        map(root.get("Parameters")).forEach((name, spec) -> {
            Object value = map(spec).get("Default");
            if (value != null) {
                defaults.put(name, value.toString());
            }
        });
        return defaults;
    }

    /** {@code Globals.Function}, or an empty map. */
    public Map<String, Object> functionGlobals() {
        return map(map(root.get("Globals")).get("Function"));
    }

    /** Resources in the order written. */
    public List<Resource> resources() {
        return map(root.get("Resources")).entrySet().stream()
            .map(entry -> {
                Map<String, Object> resource = map(entry.getValue());
                return new Resource(entry.getKey(), String.valueOf(resource.get("Type")),
                    map(resource.get("Properties")), map(resource.get("Metadata")));
            })
            .toList();
    }

    public List<Resource> resourcesOfType(String type) {
        return resources().stream().filter(resource -> resource.type().equals(type)).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    /** Reads the short-form intrinsic function tags as their long forms. */
    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!GetAtt"), new Intrinsic("Fn::GetAtt"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {

            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                if (key.equals("Fn::GetAtt") && value instanceof String text) {
                    int dot = text.indexOf('.');
                    value = List.of(text.substring(0, dot), text.substring(dot + 1));
                }
                return Map.of(key, value);
            }
        }
    }
}
