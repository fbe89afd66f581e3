package za.co.personalisation.local.api;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import za.co.personalisation.local.esm.LocalFunction;

/**
 * One API route from template.yaml (an Api event of a function): method and resource path, with
 * {@code {name}} path parameters as API Gateway writes them.
 */
record Route(String method, String resource, LocalFunction function) {

    Route {
        method = method.toUpperCase(Locale.ROOT);
    }

    /** The path parameters when {@code path} matches this route's resource, else {@code null}. */
    Map<String, String> match(String path) {
        String[] want = resource.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>();
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
