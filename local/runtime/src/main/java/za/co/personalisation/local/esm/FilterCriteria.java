package za.co.personalisation.local.esm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An event source mapping's FilterCriteria: Lambda's filter rule syntax, evaluated against a record in the shape
 * Lambda filters on (see {@link RecordViews}). Up to ten patterns, ORed: a record is delivered when any pattern
 * matches it. Within a pattern every field must match (AND); a field's list of rules matches when any rule does
 * (OR); {@code "$or"} ORs whole sub-patterns. Where the record holds an array, a rule matches when it matches any
 * element.
 *
 * <p>Rules (Lambda developer guide, "Control which events Lambda sends to your function", filter rule syntax):
 * <ul>
 *   <li>equals: a string, number or boolean literal; {@code null} matches a JSON null; {@code ""} an empty string;
 *   numbers compare by value ({@code 5} equals {@code 5.0})</li>
 *   <li>{@code {"equals-ignore-case": "x"}}</li>
 *   <li>{@code {"prefix": "x"}} (begins with), {@code {"suffix": "x"}} (ends with)</li>
 *   <li>{@code {"anything-but": ["a", "b"]}} or a single value, or {@code {"anything-but": {"prefix": "x"}}}:
 *   the field is present and is none of them</li>
 *   <li>{@code {"numeric": ["=", 100]}} and ranges {@code {"numeric": [">", 10, "<=", 20]}}: JSON numbers only,
 *   so DynamoDB's {@code {"N": "5"}} (a string in the stream record) never matches a numeric rule, as in AWS</li>
 *   <li>{@code {"exists": true}} / {@code {"exists": false}}: the field is present (any value, null included)
 *   or absent</li>
 * </ul>
 * A rule outside this list is refused when the template is read, naming it.
 */
public final class FilterCriteria {

    /** No FilterCriteria: every record is delivered. */
    public static final FilterCriteria NONE = new FilterCriteria(List.of());

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> OPERATORS = Set.of("prefix", "suffix", "equals-ignore-case", "anything-but",
        "numeric", "exists");
    private static final int MAX_FILTERS = 10;

    private final List<JsonNode> patterns;

    private FilterCriteria(List<JsonNode> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** Reads the template's {@code FilterCriteria: {Filters: [{Pattern: '…'}]}}; {@code null} is {@link #NONE}. */
    public static FilterCriteria of(Object property) {
        if (property == null) {
            return NONE;
        }
        if (!(property instanceof Map<?, ?> criteria) || !(criteria.get("Filters") instanceof List<?> filters)) {
            throw new IllegalArgumentException("FilterCriteria must be {Filters: [{Pattern: '<json>'}, …]}; got "
                + property);
        }
        List<String> patterns = new ArrayList<>();
        for (Object filter : filters) {
            Object pattern = filter instanceof Map<?, ?> map ? map.get("Pattern") : null;
            if (pattern == null) {
                throw new IllegalArgumentException("each FilterCriteria filter needs a Pattern; got " + filter);
            }
            patterns.add(pattern instanceof String text ? text : json(pattern));
        }
        return parse(patterns);
    }

    /** Parses and checks the patterns (JSON text each). */
    public static FilterCriteria parse(List<String> patterns) {
        if (patterns.size() > MAX_FILTERS) {
            throw new IllegalArgumentException("at most " + MAX_FILTERS + " filters per event source mapping; got "
                + patterns.size());
        }
        List<JsonNode> parsed = new ArrayList<>();
        for (String pattern : patterns) {
            JsonNode node;
            try {
                node = MAPPER.readTree(pattern);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("filter pattern is not valid JSON: " + pattern, e);
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("a filter pattern must be a JSON object: " + pattern);
            }
            check(node, "");
            parsed.add(node);
        }
        return new FilterCriteria(parsed);
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Whether Lambda would deliver this record: true when there are no filters or any pattern matches. */
    public boolean matches(JsonNode record) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (JsonNode pattern : patterns) {
            if (matchesObject(pattern, record)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode value) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("$or")) {
                boolean any = false;
                for (JsonNode alternative : field.getValue()) {
                    any = any || matchesObject(alternative, value);
                }
                if (!any) {
                    return false;
                }
                continue;
            }
            JsonNode child = value != null && value.isObject() ? value.path(field.getKey()) : MissingNode.getInstance();
            JsonNode rule = field.getValue();
            if (rule.isObject()) {
                if (!child.isMissingNode() && !child.isObject()) {
                    return false;
                }
                if (!matchesObject(rule, child)) {
                    return false;
                }
            } else if (!matchesRules(rule, child)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesRules(JsonNode rules, JsonNode value) {
        for (JsonNode rule : rules) {
            if (rule.isObject() && rule.has("exists")) {
                if (rule.get("exists").asBoolean() != !value.isMissingNode()) {
                    continue;
                }
                return true;
            }
            if (value.isMissingNode()) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (matchesRule(rule, element)) {
                        return true;
                    }
                }
            } else if (matchesRule(rule, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesRule(JsonNode rule, JsonNode value) {
        if (!rule.isObject()) {
            return equalsLiteral(rule, value);
        }
        Map.Entry<String, JsonNode> operator = rule.fields().next();
        JsonNode argument = operator.getValue();
        return switch (operator.getKey()) {
            case "prefix" -> value.isTextual() && value.asText().startsWith(argument.asText());
            case "suffix" -> value.isTextual() && value.asText().endsWith(argument.asText());
            case "equals-ignore-case" -> value.isTextual()
                && value.asText().toLowerCase(Locale.ROOT).equals(argument.asText().toLowerCase(Locale.ROOT));
            case "numeric" -> value.isNumber() && numeric(argument, value.decimalValue().doubleValue());
            case "anything-but" -> !anyOf(argument, value);
            default -> throw new IllegalStateException("unchecked operator " + operator.getKey());
        };
    }

    private static boolean anyOf(JsonNode argument, JsonNode value) {
        if (argument.isArray()) {
            for (JsonNode excluded : argument) {
                if (equalsLiteral(excluded, value)) {
                    return true;
                }
            }
            return false;
        }
        if (argument.isObject()) {
            return matchesRule(argument, value);
        }
        return equalsLiteral(argument, value);
    }

    private static boolean equalsLiteral(JsonNode literal, JsonNode value) {
        if (literal.isNull()) {
            return value.isNull();
        }
        if (literal.isNumber()) {
            return value.isNumber() && literal.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        if (literal.isBoolean()) {
            return value.isBoolean() && literal.asBoolean() == value.asBoolean();
        }
        return value.isTextual() && literal.asText().equals(value.asText());
    }

    private static boolean numeric(JsonNode conditions, double value) {
        for (int i = 0; i + 1 < conditions.size(); i += 2) {
            double bound = conditions.get(i + 1).asDouble();
            boolean holds = switch (conditions.get(i).asText()) {
                case "=" -> value == bound;
                case "<" -> value < bound;
                case "<=" -> value <= bound;
                case ">" -> value > bound;
                case ">=" -> value >= bound;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** Refuses what Lambda would refuse when the mapping is created, naming the pointer. */
    private static void check(JsonNode pattern, String pointer) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = pointer + "/" + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().equals("$or")) {
                if (!value.isArray() || value.size() < 2) {
                    throw new IllegalArgumentException("filter pattern " + at + ": $or needs a list of at least two"
                        + " patterns");
                }
                for (JsonNode alternative : value) {
                    check(alternative, at);
                }
            } else if (value.isObject()) {
                check(value, at);
            } else if (value.isArray()) {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("filter pattern " + at + ": an empty rule list matches"
                        + " nothing; use [null] for null or [\"\"] for an empty string");
                }
                for (JsonNode rule : value) {
                    checkRule(rule, at);
                }
            } else {
                throw new IllegalArgumentException("filter pattern " + at + ": values must be in a list, e.g. ["
                    + value + "]");
            }
        }
    }

    private static void checkRule(JsonNode rule, String at) {
        if (!rule.isObject()) {
            if (rule.isArray()) {
                throw new IllegalArgumentException("filter pattern " + at + ": nested lists are not a rule");
            }
            return;
        }
        if (rule.size() != 1 || !OPERATORS.contains(rule.fieldNames().next())) {
            throw new IllegalArgumentException("filter pattern " + at + ": unsupported rule " + rule
                + "; supported: " + OPERATORS + " and literal values");
        }
        String operator = rule.fieldNames().next();
        JsonNode argument = rule.get(operator);
        switch (operator) {
            case "exists" -> {
                if (!argument.isBoolean()) {
                    throw new IllegalArgumentException("filter pattern " + at + ": exists takes true or false");
                }
            }
            case "prefix", "suffix", "equals-ignore-case" -> {
                if (!argument.isTextual()) {
                    throw new IllegalArgumentException("filter pattern " + at + ": " + operator
                        + " takes a string");
                }
            }
            case "numeric" -> checkNumeric(argument, at);
            case "anything-but" -> {
                if (argument.isObject()) {
                    checkRule(argument, at);
                }
            }
            default -> throw new IllegalStateException(operator);
        }
    }

    private static void checkNumeric(JsonNode argument, String at) {
        boolean valid = argument.isArray() && !argument.isEmpty() && argument.size() % 2 == 0
            && argument.size() <= 4;
        for (int i = 0; valid && i < argument.size(); i += 2) {
            valid = Set.of("=", "<", "<=", ">", ">=").contains(argument.get(i).asText())
                && argument.get(i + 1).isNumber();
        }
        if (!valid) {
            throw new IllegalArgumentException("filter pattern " + at + ": numeric takes [op, number] or"
                + " [op, number, op, number] with op one of = < <= > >=; got " + argument);
        }
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
