package za.co.personalisation.aws.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration from the environment, read in this one class. Lambda sets the variables from template.yaml; the
 * local runtime builds the same map from the same template, and tests build their own with {@link #of}.
 */
public final class Settings {

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment: what a Lambda function sees. */
    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** These settings with some values added or replaced. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    public String require(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set; template.yaml sets it"
                + " for the deployed function and the local runtime sets it from there");
        }
        return value;
    }

    /** The value, or {@code fallback} when the variable is unset or blank. */
    public String get(String name, String fallback) {
        String value = values.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public boolean has(String name) {
        String value = values.get(name);
        return value != null && !value.isBlank();
    }

    public int getInt(String name, int fallback) {
        String value = get(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be an integer, not '" + value
                + "'");
        }
    }

    /** An ISO-8601 duration such as {@code PT5M} or {@code P7D}. */
    public Duration getDuration(String name, Duration fallback) {
        String value = get(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Duration.parse(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalStateException("environment variable " + name + " must be an ISO-8601 duration such"
                + " as PT5M or P7D, not '" + value + "'");
        }
    }

    public boolean getBoolean(String name, boolean fallback) {
        String value = get(name, null);
        return value == null ? fallback : Boolean.parseBoolean(value.trim());
    }

    /** The name of the running function, for logs and metrics. */
    public String functionName(String fallback) {
        return get("AWS_LAMBDA_FUNCTION_NAME", fallback);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Settings settings && values.equals(settings.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return "Settings" + values.keySet();
    }
}
