package za.co.personalisation.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions the template uses ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub},
 * {@code Fn::Join}) against parameters, pseudo parameters and what the local runtime created. Anything else is an
 * error that names it, so the template cannot silently mean something else locally.
 */
public final class Intrinsics {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}!][^}]*)}");

    /** Looks up what a resource's Ref and attributes resolve to. */
    public interface Resources {

        /** The Ref value of a logical id, or {@code null} when it is not (yet) known. */
        String ref(String logicalId);

        /** An attribute of a logical id, or {@code null}. */
        String attribute(String logicalId, String attribute);
    }

    private final Map<String, String> parameters;
    private final Resources resources;

    public Intrinsics(Map<String, String> parameters, Resources resources) {
        this.parameters = Map.copyOf(parameters);
        this.resources = resources;
    }

    /** The value with every intrinsic function evaluated; maps and lists are copied. */
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Object key = map.keySet().iterator().next();
                Object argument = map.values().iterator().next();
                if ("Ref".equals(key)) {
                    return ref(String.valueOf(argument));
                }
                if ("Fn::GetAtt".equals(key)) {
                    List<?> parts = (List<?>) resolve(argument);
                    return attribute(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
                }
                if ("Fn::Sub".equals(key)) {
                    return sub(argument);
                }
                if ("Fn::Join".equals(key)) {
                    List<?> parts = (List<?>) argument;
                    List<String> items = new ArrayList<>();
                    for (Object item : (List<?>) resolve(parts.get(1))) {
                        items.add(String.valueOf(item));
                    }
                    return String.join(String.valueOf(parts.get(0)), items);
                }
                if (key instanceof String name && (name.startsWith("Fn::") || name.equals("Condition"))) {
                    throw new IllegalArgumentException("the local runtime does not evaluate " + name
                        + "; use Ref, Fn::GetAtt, Fn::Sub or Fn::Join in template.yaml");
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> resolved.put(String.valueOf(k), resolve(v)));
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>(list.size());
            list.forEach(item -> resolved.add(resolve(item)));
            return resolved;
        }
        return value;
    }

    /** Resolves and requires a string. */
    public String string(Object value) {
        Object resolved = resolve(value);
        if (resolved == null) {
            return null;
        }
        if (resolved instanceof Map<?, ?> || resolved instanceof List<?>) {
            throw new IllegalArgumentException("expected a string, got " + resolved);
        }
        return resolved.toString();
    }

    private String ref(String name) {
        String parameter = parameters.get(name);
        if (parameter != null) {
            return parameter;
        }
        String ref = resources.ref(name);
        if (ref == null) {
            throw new IllegalArgumentException("Ref to '" + name + "' cannot be resolved locally");
        }
        return ref;
    }

    private String attribute(String logicalId, String attribute) {
        String value = resources.attribute(logicalId, attribute);
        if (value == null) {
            throw new IllegalArgumentException("Fn::GetAtt " + logicalId + "." + attribute
                + " cannot be resolved locally");
        }
        return value;
    }

    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list) {
            text = String.valueOf(list.get(0));
            variables = Template.map(list.get(1));
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1).trim();
            String replacement;
            if (variables.containsKey(name)) {
                replacement = string(variables.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                int dot = name.indexOf('.');
                replacement = attribute(name.substring(0, dot), name.substring(dot + 1));
            } else {
                replacement = ref(name);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
