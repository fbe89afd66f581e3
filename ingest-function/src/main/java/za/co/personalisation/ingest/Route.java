package za.co.personalisation.ingest;

/**
 * The function's routes: method and API Gateway resource, as template.yaml and docs/openapi.yaml declare them.
 * Adding an endpoint: a constant here, a class implementing {@link Endpoint}, and one line in
 * {@link IngestHandler} that maps the one to the other.
 */
enum Route {
    EVENTS("POST", "/events", true, true),
    CONTACT("PUT", "/customers/{id}/contact", true, false),
    CONSENT("PUT", "/customers/{id}/consent", true, false),
    CUSTOMER("DELETE", "/customers/{id}", false, false),
    CONVERSIONS("POST", "/conversions", true, true);

    final String method;
    final String resource;
    /** Whether the body must be JSON (checked before the endpoint sees it): every route but DELETE. */
    final boolean takesJson;
    /** Whether browsers on the frontend's origin may call it (CORS, preflight), see {@link Cors}. */
    final boolean browserFacing;

    Route(String method, String resource, boolean takesJson, boolean browserFacing) {
        this.method = method;
        this.resource = resource;
        this.takesJson = takesJson;
        this.browserFacing = browserFacing;
    }

    /** What a wrong method is told it may use ({@code Allow}). */
    String allow() {
        return browserFacing ? method + ", OPTIONS" : method;
    }

    /**
     * The route of a path such as {@code /customers/42/contact}, or {@code null}: the path has the resource's
     * segments, and a {@code {parameter}} segment matches any non-empty one.
     */
    static Route ofPath(String path) {
        if (path == null) {
            return null;
        }
        String[] parts = path.split("/", -1);
        for (Route route : values()) {
            if (route.matches(parts)) {
                return route;
            }
        }
        return null;
    }

    static Route ofResource(String resource) {
        for (Route route : values()) {
            if (route.resource.equals(resource)) {
                return route;
            }
        }
        return null;
    }

    private boolean matches(String[] parts) {
        String[] template = resource.split("/", -1);
        if (template.length != parts.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
            if (parameter ? parts[i].isEmpty() : !template[i].equals(parts[i])) {
                return false;
            }
        }
        return true;
    }
}
