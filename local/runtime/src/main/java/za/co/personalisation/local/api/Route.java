package za.co.personalisation.local.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import za.co.personalisation.local.esm.LocalFunction;

/**
 * One API route from template.yaml (an Api event of a function): method and resource path, with
 * {@code {name}} path parameters as API Gateway writes them, whether it needs an API key, and its integration
 * timeout.
 */
record Route(String method, String resource, LocalFunction function, boolean apiKeyRequired, Duration timeout) {

    Route {
        method = method.toUpperCase(Locale.ROOT);
    }

    /** The path parameters when {@code path} matches this route's resource, else {@code null}. */
    Map<String, String> match(String path) {
        String[] want = resource.split("/", -1);
        String[] got = path.split("/", -1);
        Map<String, String> parameters = new HashMap<>();
        String last = want[want.length - 1];
        if (last.startsWith("{") && last.endsWith("+}")) {
            // greedy path parameter {proxy+}: one or more remaining segments
            if (got.length < want.length || String.join("/", java.util.Arrays.copyOfRange(got, want.length - 1,
                got.length)).isEmpty()) {
                return null;
            }
            parameters.put(last.substring(1, last.length() - 2), String.join("/",
                java.util.Arrays.copyOfRange(got, want.length - 1, got.length)));
            want = java.util.Arrays.copyOf(want, want.length - 1);
            got = java.util.Arrays.copyOf(got, want.length);
        } else if (want.length != got.length) {
            return null;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                parameters.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return parameters;
    }
}
