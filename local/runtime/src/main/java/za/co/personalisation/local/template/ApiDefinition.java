package za.co.personalisation.local.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The REST API as template.yaml declares it, for the local API Gateway: the {@code AWS::Serverless::Api}
 * resource's stage, {@code Auth} (ApiKeyRequired, UsagePlan), {@code Cors} and {@code GatewayResponses}, and every
 * function's {@code Api} events (path, method, {@code Auth.ApiKeyRequired} override, {@code TimeoutInMillis}).
 *
 * <p>SAM's rules: {@code Auth.ApiKeyRequired} on the API applies to every method and an event's own
 * {@code Auth.ApiKeyRequired} overrides it; the CORS preflight (OPTIONS) never needs a key; an integration times
 * out after {@code TimeoutInMillis} (50 to 29,000 ms, default 29,000).
 */
public record ApiDefinition(
    String logicalId,
    String stage,
    boolean apiKeyRequired,
    Map<String, Object> usagePlan,
    Cors cors,
    Map<String, GatewayResponse> gatewayResponses,
    List<RouteDefinition> routes,
    Throttle throttle) {

    /** API Gateway's maximum integration timeout (REST APIs). */
    public static final Duration MAX_INTEGRATION_TIMEOUT = Duration.ofMillis(29_000);

    /** Lambda's default concurrency limit per account and Region: what a function without a reservation may use. */
    public static final int ACCOUNT_CONCURRENCY = 1000;

    /**
     * One Api event: method (upper case, ANY allowed) and resource path with {@code {name}} parameters; {@code
     * concurrency} = its function's ReservedConcurrentExecutions, else {@link #ACCOUNT_CONCURRENCY}.
     */
    public record RouteDefinition(String functionLogicalId, String method, String path, boolean apiKeyRequired,
        Duration timeout, int concurrency) {
    }

    /**
     * The stage's throttling (MethodSettings of {@code /*} and {@code *}): a token bucket refilled at {@code rate}
     * requests a second holding at most {@code burst}.
     */
    public record Throttle(double rate, int burst) {
    }

    /**
     * SAM's Cors property with the quotes SAM requires removed. {@code allowMethods} {@code null} = the path's own
     * methods (what SAM generates); {@code maxAge} {@code null} = not sent.
     */
    public record Cors(String allowOrigin, String allowMethods, String allowHeaders, String maxAge,
        boolean allowCredentials) {

        /** Whether a browser at this origin may call the API. */
        public boolean allows(String origin) {
            return origin != null && (allowOrigin.equals("*") || allowOrigin.equalsIgnoreCase(origin));
        }
    }

    /**
     * A GatewayResponses entry: status override ({@code null} = the response type's default), the
     * {@code application/json} template and the header values (quotes removed).
     */
    public record GatewayResponse(Integer statusCode, String template, Map<String, String> headers) {
    }

    /** Reads the template with only parameters to resolve against (no resources), as tests do. */
    public static ApiDefinition read(Template template, Map<String, String> parameters) {
        return read(template, new Intrinsics(parameters, new Intrinsics.Resources() {
            @Override
            public String ref(String logicalId) {
                return logicalId;
            }

            @Override
            public String attribute(String logicalId, String attribute) {
                return logicalId + "." + attribute;
            }
        }));
    }

    /**
     * Reads the template's one REST API (the first AWS::Serverless::Api) and the Api events of its functions, with
     * intrinsic functions in the API's properties (a Cors origin from a parameter, say) evaluated.
     */
    public static ApiDefinition read(Template template, Intrinsics intrinsics) {
        List<Template.Resource> apis = template.resourcesOfType("AWS::Serverless::Api");
        Template.Resource api = apis.isEmpty() ? null : apis.get(0);
        // Only what the gateway uses is evaluated: other properties may name resources that exist only in AWS
        // (an access log group, say), which the local runtime cannot resolve and does not need.
        Map<String, Object> p = api == null ? Map.of() : api.properties();
        Map<String, Object> auth = Template.map(p.get("Auth"));
        boolean apiKeyRequired = Boolean.parseBoolean(intrinsics.string(auth.get("ApiKeyRequired")));
        Object stage = p.get("StageName");
        String stageName = stage == null ? "Prod" : intrinsics.string(stage);
        List<RouteDefinition> routes = new ArrayList<>();
        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            for (Map.Entry<String, Object> entry : Template.map(function.properties().get("Events")).entrySet()) {
                Map<String, Object> event = Template.map(entry.getValue());
                if (!"Api".equals(event.get("Type"))) {
                    continue;
                }
                Map<String, Object> e = Template.map(event.get("Properties"));
                Object eventKey = Template.map(e.get("Auth")).get("ApiKeyRequired");
                int timeoutMs = e.get("TimeoutInMillis") == null ? (int) MAX_INTEGRATION_TIMEOUT.toMillis()
                    : Integer.parseInt(e.get("TimeoutInMillis").toString());
                if (timeoutMs < 50 || timeoutMs > MAX_INTEGRATION_TIMEOUT.toMillis()) {
                    throw new IllegalArgumentException(function.logicalId() + "." + entry.getKey()
                        + ": TimeoutInMillis must be 50 to 29000; got " + timeoutMs);
                }
                Object reserved = function.properties().get("ReservedConcurrentExecutions");
                routes.add(new RouteDefinition(function.logicalId(),
                    String.valueOf(e.getOrDefault("Method", "any")).toUpperCase(Locale.ROOT),
                    String.valueOf(e.getOrDefault("Path", "/")),
                    eventKey == null ? apiKeyRequired : Boolean.parseBoolean(eventKey.toString()),
                    Duration.ofMillis(timeoutMs),
                    reserved == null ? ACCOUNT_CONCURRENCY : Integer.parseInt(intrinsics.string(reserved))));
            }
        }
        Map<String, GatewayResponse> responses = new LinkedHashMap<>();
        Template.map(p.get("GatewayResponses")).forEach((type, spec) -> {
            Map<String, Object> response = Template.map(spec);
            Map<String, String> headers = new LinkedHashMap<>();
            Template.map(Template.map(response.get("ResponseParameters")).get("Headers"))
                .forEach((name, value) -> headers.put(name, unquote(String.valueOf(value))));
            Object template1 = Template.map(response.get("ResponseTemplates")).get("application/json");
            Object status = response.get("StatusCode");
            responses.put(type, new GatewayResponse(status == null ? null : Integer.valueOf(status.toString()),
                template1 == null ? null : template1.toString(), headers));
        });
        return new ApiDefinition(api == null ? "ServerlessRestApi" : api.logicalId(), stageName, apiKeyRequired,
            Template.map(auth.get("UsagePlan")), cors(intrinsics.resolve(p.get("Cors"))), responses, routes,
            throttle(p.get("MethodSettings"), intrinsics));
    }

    /** The stage-wide throttle: the MethodSettings entry for every resource and method, when it sets one. */
    private static Throttle throttle(Object methodSettings, Intrinsics intrinsics) {
        if (!(methodSettings instanceof List<?> settings)) {
            return null;
        }
        for (Object entry : settings) {
            Map<String, Object> setting = Template.map(entry);
            Object rate = setting.get("ThrottlingRateLimit");
            Object burst = setting.get("ThrottlingBurstLimit");
            if ("/*".equals(setting.get("ResourcePath")) && "*".equals(setting.get("HttpMethod"))
                && (rate != null || burst != null)) {
                // API Gateway's defaults for a limit left out: the account's 10,000 requests/s and 5,000 burst
                return new Throttle(rate == null ? 10_000 : Double.parseDouble(intrinsics.string(rate)),
                    burst == null ? 5_000 : Integer.parseInt(intrinsics.string(burst)));
            }
        }
        return null;
    }

    private static Cors cors(Object property) {
        if (property == null) {
            return null;
        }
        if (property instanceof String origin) {
            return new Cors(unquote(origin), null, null, null, false);
        }
        Map<String, Object> cors = Template.map(property);
        Object origin = cors.get("AllowOrigin");
        if (origin == null) {
            throw new IllegalArgumentException("Cors needs AllowOrigin (e.g. \"'https://shop.example'\")");
        }
        return new Cors(unquote(origin.toString()), text(cors.get("AllowMethods")), text(cors.get("AllowHeaders")),
            text(cors.get("MaxAge")), Boolean.parseBoolean(String.valueOf(cors.get("AllowCredentials"))));
    }

    private static String text(Object value) {
        return value == null ? null : unquote(value.toString());
    }

    /** SAM wants header values in single quotes ({@code "'*'"}); the header carries what is inside. */
    static String unquote(String value) {
        String trimmed = value.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")
            ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
    }
}
