package za.co.personalisation.benchmarks.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of DynamoDB's condition expression language the stand-in needs: {@code attribute_exists(path)},
 * {@code attribute_not_exists(path)}, comparisons ({@code = <> < <= > >=}) of a top-level attribute with a value,
 * {@code AND}, {@code OR}, {@code NOT} and parentheses. Attributes and values are DynamoDB JSON
 * ({@code {"N":"3"}}, {@code {"S":"x"}}); numbers compare as numbers, strings by code point, and a comparison with
 * a missing attribute is false, as in DynamoDB. Anything else is refused with the reason, never guessed.
 */
final class ConditionExpression {

    private final List<String> tokens;
    private final Map<String, String> names;
    private final Map<String, JsonNode> values;
    private int position;

    private ConditionExpression(String expression, Map<String, String> names, Map<String, JsonNode> values) {
        this.tokens = tokenize(expression);
        this.names = names;
        this.values = values;
    }

    /**
     * @param item the item as stored, or an empty map when there is none
     * @throws IllegalArgumentException naming what is not understood
     */
    static boolean holds(String expression, Map<String, String> names, Map<String, JsonNode> values,
        Map<String, JsonNode> item) {
        ConditionExpression parser = new ConditionExpression(expression, names, values);
        boolean result = parser.or(item);
        if (parser.position != parser.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + parser.tokens.get(parser.position) + "' in condition: "
                + expression);
        }
        return result;
    }

    private boolean or(Map<String, JsonNode> item) {
        boolean result = and(item);
        while (accept("OR")) {
            result |= and(item);
        }
        return result;
    }

    private boolean and(Map<String, JsonNode> item) {
        boolean result = not(item);
        while (accept("AND")) {
            result &= not(item);
        }
        return result;
    }

    private boolean not(Map<String, JsonNode> item) {
        if (accept("NOT")) {
            return !not(item);
        }
        return primary(item);
    }

    private boolean primary(Map<String, JsonNode> item) {
        if (accept("(")) {
            boolean result = or(item);
            expect(")");
            return result;
        }
        String first = next();
        if (first.equals("attribute_exists") || first.equals("attribute_not_exists")) {
            expect("(");
            String attribute = attributeName(next());
            expect(")");
            return item.containsKey(attribute) == first.equals("attribute_exists");
        }
        String operator = next();
        String second = next();
        return compare(operand(first, item), operator, operand(second, item));
    }

    private JsonNode operand(String token, Map<String, JsonNode> item) {
        if (token.startsWith(":")) {
            JsonNode value = values.get(token);
            if (value == null) {
                throw new IllegalArgumentException("no value given for " + token);
            }
            return value;
        }
        return item.get(attributeName(token));
    }

    private String attributeName(String token) {
        if (token.startsWith("#")) {
            String name = names.get(token);
            if (name == null) {
                throw new IllegalArgumentException("no name given for " + token);
            }
            return name;
        }
        if (!token.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an attribute name the stand-in understands: " + token);
        }
        return token;
    }

    private static boolean compare(JsonNode left, String operator, JsonNode right) {
        if (left == null || right == null) {
            return false;
        }
        int order;
        if (left.has("N") && right.has("N")) {
            order = new BigDecimal(left.get("N").asText()).compareTo(new BigDecimal(right.get("N").asText()));
        } else if (left.has("S") && right.has("S")) {
            order = left.get("S").asText().compareTo(right.get("S").asText());
        } else if (operator.equals("=") || operator.equals("<>")) {
            order = left.equals(right) ? 0 : 1;
        } else {
            return false;
        }
        return switch (operator) {
            case "=" -> order == 0;
            case "<>" -> order != 0;
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            case ">=" -> order >= 0;
            default -> throw new IllegalArgumentException("not a comparison the stand-in understands: " + operator);
        };
    }

    private boolean accept(String token) {
        if (position < tokens.size() && tokens.get(position).equalsIgnoreCase(token)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw new IllegalArgumentException("expected '" + token + "' at token " + position);
        }
    }

    private String next() {
        if (position >= tokens.size()) {
            throw new IllegalArgumentException("the condition ends too early");
        }
        return tokens.get(position++);
    }

    private static List<String> tokenize(String expression) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '<' || c == '>' || c == '=') {
                int end = i + 1;
                if (end < expression.length() && (expression.charAt(end) == '=' || expression.charAt(end) == '>')) {
                    end++;
                }
                tokens.add(expression.substring(i, end));
                i = end;
            } else {
                int end = i;
                while (end < expression.length() && (Character.isLetterOrDigit(expression.charAt(end))
                    || "#:_.".indexOf(expression.charAt(end)) >= 0)) {
                    end++;
                }
                if (end == i) {
                    throw new IllegalArgumentException("unexpected character '" + c + "' in condition: " + expression);
                }
                tokens.add(expression.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }
}
