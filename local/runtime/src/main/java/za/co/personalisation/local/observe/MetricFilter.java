package za.co.personalisation.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import za.co.personalisation.local.template.Intrinsics;
import za.co.personalisation.local.template.Template;

/**
 * An AWS::Logs::MetricFilter of template.yaml applied to the function log lines locally. Supports the JSON
 * filter patterns the template uses: {@code { $.field = "value" }} terms joined by {@code &&}.
 */
public record MetricFilter(String logGroupName, List<Term> terms, MetricStore.MetricId metric, double value) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TERM = Pattern.compile("\\$\\.([A-Za-z0-9_.]+)\\s*=\\s*\"([^\"]*)\"");

    /** {@code $.path = "value"}. */
    public record Term(String path, String value) {
    }

    @SuppressWarnings("unchecked")
    public static List<MetricFilter> all(Template template, Intrinsics intrinsics) {
        List<MetricFilter> filters = new ArrayList<>();
        for (Template.Resource resource : template.resourcesOfType("AWS::Logs::MetricFilter")) {
            Map<String, Object> p = (Map<String, Object>) intrinsics.resolve(resource.properties());
            String pattern = String.valueOf(p.get("FilterPattern")).trim();
            if (!pattern.startsWith("{") || !pattern.endsWith("}")) {
                throw new IllegalArgumentException(resource.logicalId() + ": only JSON filter patterns are emulated"
                    + " locally, got " + pattern);
            }
            List<Term> terms = new ArrayList<>();
            for (String part : pattern.substring(1, pattern.length() - 1).split("&&")) {
                Matcher matcher = TERM.matcher(part.trim());
                if (!matcher.matches()) {
                    throw new IllegalArgumentException(resource.logicalId() + ": unsupported filter term '" + part
                        + "'; use $.field = \"value\"");
                }
                terms.add(new Term(matcher.group(1), matcher.group(2)));
            }
            for (Object transformation : (List<Object>) p.get("MetricTransformations")) {
                Map<String, Object> t = (Map<String, Object>) transformation;
                filters.add(new MetricFilter(String.valueOf(p.get("LogGroupName")), terms,
                    new MetricStore.MetricId(String.valueOf(t.get("MetricNamespace")),
                        String.valueOf(t.get("MetricName")), Map.of()),
                    Double.parseDouble(String.valueOf(t.getOrDefault("MetricValue", "1")))));
            }
        }
        return filters;
    }

    /** True when a line of this filter's log group matches. */
    public boolean matches(String logGroup, String line) {
        if (!logGroup.equals(logGroupName) || !line.startsWith("{")) {
            return false;
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(line);
        } catch (IOException e) {
            return false;
        }
        for (Term term : terms) {
            JsonNode node = json;
            for (String step : term.path().split("\\.")) {
                node = node.path(step);
            }
            if (!node.isValueNode() || !node.asText().equals(term.value())) {
                return false;
            }
        }
        return true;
    }
}
