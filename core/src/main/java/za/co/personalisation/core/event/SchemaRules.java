package za.co.personalisation.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API's validation rules, compiled from the JSON Schema file shipped in this module
 * ({@value #RESOURCE}, referenced by docs/openapi.yaml): the schema is the one place where a limit, a pattern or a
 * required field is written down.
 *
 * <p>This is a small interpreter of exactly the keywords that file uses ({@code type} object / array / string,
 * {@code properties}, {@code required}, {@code additionalProperties: false}, {@code anyOf} of required-sets,
 * {@code minItems}, {@code maxItems}, {@code items}, {@code maxLength}, {@code minLength}, {@code pattern},
 * {@code enum}, {@code format: date-time}, local {@code $ref}). Any other keyword stops start-up with a message, so
 * the schema can never mean more than what is checked. It is an order of magnitude faster than a general
 * validator (docs/benchmarks.md), and a test (SchemaEquivalenceTest in ingest-function) proves that it reports the
 * same violations as one over the malformed-request corpus and valid samples.
 */
public final class SchemaRules {

    public static final String RESOURCE = "/za/co/personalisation/core/schema/requests.schema.json";

    private static final Set<String> IGNORED = Set.of("$schema", "$id", "title", "description", "examples",
        "x-message", "x-semantic", "$comment");
    private static final Set<String> OBJECT_KEYWORDS = Set.of("type", "properties", "required",
        "additionalProperties", "anyOf");
    private static final Set<String> ARRAY_KEYWORDS = Set.of("type", "minItems", "maxItems", "items");
    private static final Set<String> STRING_KEYWORDS = Set.of("type", "maxLength", "minLength", "pattern", "enum",
        "format");

    private final JsonNode defs;
    private final Map<String, Rule> compiled = new LinkedHashMap<>();

    private SchemaRules(JsonNode root) {
        this.defs = root.path("$defs");
        for (Iterator<String> names = defs.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!defs.get(name).has("if")) {
                compiled.put(name, compile(defs.get(name), "#/$defs/" + name));
            }
        }
    }

    /** The rules of the schema file shipped in this module. */
    public static SchemaRules bundled() {
        try (InputStream in = SchemaRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from the classpath: " + RESOURCE);
            }
            return new SchemaRules(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema " + RESOURCE, e);
        }
    }

    /** The compiled rule of a {@code $defs} entry. */
    public Rule rule(String name) {
        Rule rule = compiled.get(name);
        if (rule == null) {
            throw new IllegalArgumentException("the schema has no $defs entry '" + name + "'; it has "
                + compiled.keySet());
        }
        return rule;
    }

    public ObjectRule object(String name) {
        return (ObjectRule) rule(name);
    }

    public StringRule string(String name) {
        return (StringRule) rule(name);
    }

    private Rule compile(JsonNode schema, String at) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/$defs/") || schema.size() != 1) {
                throw unsupported(at, "$ref other than a lone local #/$defs/ reference");
            }
            String name = ref.substring("#/$defs/".length());
            Rule rule = compiled.get(name);
            return rule != null ? rule : compile(defs.path(name), ref);
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                check(schema, at, OBJECT_KEYWORDS);
                if (!schema.path("additionalProperties").isBoolean()
                    || schema.get("additionalProperties").asBoolean()) {
                    throw unsupported(at, "objects other than additionalProperties: false");
                }
                Map<String, Rule> properties = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    properties.put(property.getKey(), compile(property.getValue(), at + "/properties/"
                        + property.getKey()));
                }
                List<String> required = strings(schema.path("required"));
                List<String> anyOf = new ArrayList<>();
                for (JsonNode alternative : schema.path("anyOf")) {
                    if (alternative.size() != 1 || alternative.path("required").size() != 1) {
                        throw unsupported(at, "anyOf other than a list of {\"required\":[one name]}");
                    }
                    anyOf.add(alternative.path("required").get(0).asText());
                }
                return new ObjectRule(properties, required, anyOf, schema.path("x-message").asText(""));
            }
            case "array" -> {
                check(schema, at, ARRAY_KEYWORDS);
                return new ArrayRule(schema.path("minItems").asInt(0), schema.path("maxItems").asInt(Integer.MAX_VALUE),
                    compile(schema.path("items"), at + "/items"));
            }
            case "string" -> {
                check(schema, at, STRING_KEYWORDS);
                String format = schema.path("format").asText("");
                if (!format.isEmpty() && !format.equals("date-time")) {
                    throw unsupported(at, "format " + format);
                }
                String pattern = schema.path("pattern").asText("");
                return new StringRule(schema.path("minLength").asInt(0),
                    schema.path("maxLength").asInt(Integer.MAX_VALUE),
                    pattern.isEmpty() ? null : Pattern.compile(pattern),
                    schema.path("x-message").asText("must match " + pattern),
                    strings(schema.path("enum")), format.equals("date-time"));
            }
            default -> throw unsupported(at, "type '" + type + "'");
        }
    }

    private static void check(JsonNode schema, String at, Set<String> allowed) {
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name) && !IGNORED.contains(name)) {
                throw unsupported(at, "the keyword '" + name + "' here");
            }
        }
    }

    private static IllegalStateException unsupported(String at, String what) {
        return new IllegalStateException("schema " + RESOURCE + " at " + at + " uses " + what
            + ", which SchemaRules does not check; extend SchemaRules (and its equivalence test) first");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return List.copyOf(values);
    }

    /** Checks {@code value} against {@code rule}, adding one violation per failing location. */
    public static void validate(Rule rule, JsonNode value, String pointer, List<Violation> violations) {
        if (rule instanceof StringRule string) {
            String message = string.check(value);
            if (message != null) {
                violations.add(new Violation(pointer, message));
            }
        } else if (rule instanceof ObjectRule object) {
            object.validate(value, pointer, violations);
        } else {
            ArrayRule array = (ArrayRule) rule;
            if (array.validateEnvelope(value, pointer, violations)) {
                for (int i = 0; i < value.size(); i++) {
                    validate(array.items(), value.get(i), pointer + "/" + i, violations);
                }
            }
        }
    }

    /**
     * The instant of an RFC 3339 date-time that already matched the schema's Timestamp pattern
     * ({@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)}), or {@code null} when that day does not exist. Faster
     * than {@code OffsetDateTime.parse}, which is on the hot path otherwise.
     */
    public static Instant parseTimestamp(String text) {
        if (text.length() < 20) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L + digits(text, 11, 2) * 3600L
            + digits(text, 14, 2) * 60L + digits(text, 17, 2);
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int scale = 100_000_000;
            for (at++; at < text.length() && Character.isDigit(text.charAt(at)); at++) {
                nanos += (text.charAt(at) - '0') * scale;
                scale /= 10;
            }
        }
        char zone = text.charAt(at);
        if (zone != 'Z') {
            int offset = digits(text, at + 1, 2) * 3600 + digits(text, at + 4, 2) * 60;
            seconds -= zone == '-' ? -offset : offset;
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    static String typeName(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** Escapes a member name for a JSON pointer (RFC 6901). */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** A compiled schema. */
    public sealed interface Rule permits ObjectRule, ArrayRule, StringRule {
    }

    /** An object with fixed members. */
    public record ObjectRule(Map<String, Rule> properties, List<String> required, List<String> anyOfRequired,
        String anyOfMessage) implements Rule {

        public ObjectRule {
            properties = Map.copyOf(properties);
            required = List.copyOf(required);
            anyOfRequired = List.copyOf(anyOfRequired);
        }

        /** Adds the object's violations: type, unknown and missing members, then each member's own. */
        public void validate(JsonNode value, String pointer, List<Violation> violations) {
            if (!value.isObject()) {
                violations.add(new Violation(pointer, "must be a JSON object, not " + typeName(value)));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                Rule rule = properties.get(member.getKey());
                if (rule == null) {
                    violations.add(new Violation(pointer + "/" + escape(member.getKey()), "unknown field; allowed: "
                        + String.join(", ", properties.keySet().stream().sorted().toList())));
                } else if (rule instanceof StringRule string) {
                    // the member's pointer is built only when there is something to report
                    String message = string.check(member.getValue());
                    if (message != null) {
                        violations.add(new Violation(pointer + "/" + escape(member.getKey()), message));
                    }
                } else {
                    SchemaRules.validate(rule, member.getValue(), pointer + "/" + escape(member.getKey()),
                        violations);
                }
            }
            for (int i = 0; i < required.size(); i++) {
                String name = required.get(i);
                if (!value.has(name)) {
                    violations.add(new Violation(pointer + "/" + escape(name), "is required"));
                }
            }
            if (!anyOfRequired.isEmpty() && anyOfRequired.stream().noneMatch(value::has)) {
                violations.add(new Violation(pointer, anyOfMessage.isEmpty()
                    ? "needs one of " + String.join(", ", anyOfRequired) : anyOfMessage));
            }
        }
    }

    /** An array with bounds on its length. */
    public record ArrayRule(int minItems, int maxItems, Rule items) implements Rule {

        /** Checks type and length; true when the items should be checked one by one. */
        public boolean validateEnvelope(JsonNode value, String pointer, List<Violation> violations) {
            if (!value.isArray()) {
                violations.add(new Violation(pointer, "must be an array, not " + typeName(value)));
                return false;
            }
            if (value.size() < minItems) {
                violations.add(new Violation(pointer, "must hold at least " + minItems + " item"
                    + (minItems == 1 ? "" : "s")));
                return false;
            }
            if (value.size() > maxItems) {
                violations.add(new Violation(pointer, "holds " + value.size() + " items; at most " + maxItems
                    + " are accepted in one request"));
                return false;
            }
            return true;
        }
    }

    /**
     * A string. Lengths count code points of the value as sent (before trimming), like JSON Schema.
     *
     * @param patternMessage what the pattern means, for people
     */
    public record StringRule(int minLength, int maxLength, Pattern pattern, String patternMessage,
        List<String> enumValues, boolean dateTime) implements Rule {

        public StringRule {
            enumValues = List.copyOf(enumValues);
        }

        /** The violation message for {@code value}, or {@code null} when it is valid. */
        public String check(JsonNode value) {
            if (!value.isTextual()) {
                return "must be a string, not " + typeName(value);
            }
            return check(value.textValue());
        }

        /** The violation message for {@code text}, or {@code null} when it is valid. */
        public String check(String text) {
            int length = text.length();
            if (length > maxLength || length < minLength) {
                length = text.codePointCount(0, text.length());
                if (length > maxLength) {
                    return "is longer than " + maxLength + " characters";
                }
                if (length < minLength) {
                    return "is shorter than " + minLength + " characters";
                }
            }
            if (!enumValues.isEmpty() && !enumValues.contains(text)) {
                return "must be one of " + String.join(", ", enumValues);
            }
            if (pattern != null && !pattern.matcher(text).find()) {
                return text.isBlank() ? "must not be empty or blank" : patternMessage;
            }
            if (dateTime && parseTimestamp(text) == null) {
                return "is not a valid date-time: no such day";
            }
            return null;
        }
    }
}
