package za.co.personalisation.local.observe;

import java.util.Map;

/**
 * The part of CloudWatch metric math the template's alarms use: numbers, metric ids, {@code + - * /},
 * parentheses, comparisons ({@code > >= < <= ==}) and {@code IF(condition, then, else)}. A missing operand makes
 * the result missing ({@code null}), as in CloudWatch.
 */
public final class MetricMath {

    private final String text;
    private final Map<String, Double> values;
    private int at;

    private MetricMath(String text, Map<String, Double> values) {
        this.text = text;
        this.values = values;
    }

    /** Evaluates an expression; {@code null} when a metric it needs has no datapoint. */
    public static Double evaluate(String expression, Map<String, Double> values) {
        MetricMath parser = new MetricMath(expression, values);
        Double result = parser.comparison();
        parser.skipSpaces();
        if (parser.at != expression.length()) {
            throw new IllegalArgumentException("unexpected '" + expression.substring(parser.at) + "' in " + expression);
        }
        return result;
    }

    private Double comparison() {
        Double left = sum();
        skipSpaces();
        for (String op : new String[] {">=", "<=", "==", ">", "<"}) {
            if (text.startsWith(op, at)) {
                at += op.length();
                Double right = sum();
                if (left == null || right == null) {
                    return null;
                }
                boolean result = switch (op) {
                    case ">=" -> left >= right;
                    case "<=" -> left <= right;
                    case "==" -> left.doubleValue() == right.doubleValue();
                    case ">" -> left > right;
                    default -> left < right;
                };
                return result ? 1.0 : 0.0;
            }
        }
        return left;
    }

    private Double sum() {
        Double value = product();
        while (true) {
            skipSpaces();
            if (peek('+') || peek('-')) {
                char op = text.charAt(at++);
                Double right = product();
                value = value == null || right == null ? null : op == '+' ? value + right : value - right;
            } else {
                return value;
            }
        }
    }

    private Double product() {
        Double value = atom();
        while (true) {
            skipSpaces();
            if (peek('*') || peek('/')) {
                char op = text.charAt(at++);
                Double right = atom();
                if (value == null || right == null) {
                    value = null;
                } else if (op == '*') {
                    value = value * right;
                } else {
                    value = right == 0 ? null : value / right;
                }
            } else {
                return value;
            }
        }
    }

    private Double atom() {
        skipSpaces();
        if (peek('(')) {
            at++;
            Double value = comparison();
            expect(')');
            return value;
        }
        int start = at;
        if (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
            while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                at++;
            }
            return Double.parseDouble(text.substring(start, at));
        }
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
            at++;
        }
        String name = text.substring(start, at);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("expected a number, an id or IF at " + at + " in " + text);
        }
        if (name.equals("IF")) {
            expect('(');
            Double condition = comparison();
            expect(',');
            Double then = comparison();
            expect(',');
            Double otherwise = comparison();
            expect(')');
            return condition == null ? null : condition != 0 ? then : otherwise;
        }
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("unknown metric id '" + name + "' in " + text);
        }
        return values.get(name);
    }

    private void expect(char c) {
        skipSpaces();
        if (!peek(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + " in " + text);
        }
        at++;
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void skipSpaces() {
        while (at < text.length() && text.charAt(at) == ' ') {
            at++;
        }
    }
}
