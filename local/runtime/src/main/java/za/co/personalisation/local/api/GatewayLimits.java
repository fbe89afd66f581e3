package za.co.personalisation.local.api;

import za.co.personalisation.local.template.ApiDefinition;

/**
 * How much the local API gateway takes in at once. API Gateway itself is a fleet that never queues a request: it
 * throttles (429) or invokes. The local gateway is one process, so it keeps a bounded queue in front of a bounded
 * set of worker threads and is honest about both limits:
 * <ul>
 *   <li>{@code workers}: requests served at the same time (each waits for its function's invocation); by default
 *   the highest concurrency a function behind the API may reach (its {@code ReservedConcurrentExecutions}, else
 *   the account default), but at most {@value #LOCAL_WORKERS}: on Lambda each concurrent execution environment has
 *   CPU of its own, here they all share the machine's cores, and 200 environments cold-starting at once (each
 *   building its SDK clients) starve the very work they were started for;</li>
 *   <li>{@code queue}: requests waiting for a worker; a request beyond workers + queue is answered at once with
 *   429 from the THROTTLED gateway response, without reading its body or invoking anything;</li>
 *   <li>{@code maxConnections}: open connections to the gateway (idle keep-alive ones included), the last line
 *   against running out of file descriptors: a connection beyond it is closed as soon as it is accepted (the
 *   kernel may hold up to 128 more, completed but not yet accepted, in the listening socket's backlog).</li>
 * </ul>
 */
public record GatewayLimits(int workers, int queue, int maxConnections) {

    /** The most requests the local gateway serves at once, whatever the template allows. */
    public static final int LOCAL_WORKERS = 32;

    /** Requests that may wait for a worker before the gateway throttles. */
    public static final int DEFAULT_QUEUE = 256;

    /** Idle keep-alive connections the JDK's server keeps (its default), counted into {@link #maxConnections}. */
    static final int IDLE_CONNECTIONS = 200;

    public GatewayLimits {
        if (workers < 1 || queue < 0 || maxConnections < workers + queue) {
            throw new IllegalArgumentException("need workers >= 1, queue >= 0, maxConnections >= workers + queue; got "
                + workers + ", " + queue + ", " + maxConnections);
        }
    }

    /**
     * The limits for {@code api}: workers = the highest concurrency of a function behind it, at most
     * {@value #LOCAL_WORKERS}; the default queue.
     */
    public static GatewayLimits of(ApiDefinition api) {
        int workers = Math.min(LOCAL_WORKERS,
            api.routes().stream().mapToInt(ApiDefinition.RouteDefinition::concurrency).max().orElse(1));
        return new GatewayLimits(workers, DEFAULT_QUEUE, workers + DEFAULT_QUEUE + IDLE_CONNECTIONS);
    }
}
