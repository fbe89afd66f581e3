package za.co.personalisation.replay.meter;

/**
 * Who made an SDK call, from the calling thread's name. The local runtime names its threads after what runs on
 * them: a function's handler runs on its execution environment's {@code lambda-<LogicalId>} thread, as do
 * enrich's own {@code enrich-worker-…} threads; {@code api-gateway} threads route to the ingest function and
 * {@code esm-<LogicalId>-…} threads poll an event source for that function; {@code console},
 * {@code local-observability} and {@code xray-relay} are the runtime's own (outbox scans, metrics and alarms,
 * trace relay). Any other thread is this tool's own.
 */
public final class Caller {

    /** This tool (or any thread the local runtime did not name). */
    public static final String CLIENT = "client";
    /** Work only the local runtime does (the console's outbox scans); it has no counterpart on AWS. */
    public static final String LOCAL_RUNTIME = "local-runtime";
    public static final String INGEST = "IngestFunction";

    private Caller() {
    }

    public static String of(String threadName) {
        if (threadName == null) {
            return CLIENT;
        }
        if (threadName.startsWith("lambda-")) {
            return threadName.substring("lambda-".length());
        }
        if (threadName.startsWith("enrich-worker-")) {
            // enrich-function writes a batch's customers on a small pool of its own (EnrichHandler)
            return "EnrichFunction";
        }
        if (threadName.startsWith("api-gateway")) {
            return INGEST;
        }
        if (threadName.startsWith("esm-")) {
            int end = threadName.indexOf('-', 4);
            return end < 0 ? threadName.substring(4) : threadName.substring(4, end);
        }
        if (threadName.equals("console") || threadName.startsWith("local-observability")
            || threadName.startsWith("xray-relay")) {
            return LOCAL_RUNTIME;
        }
        return CLIENT;
    }

    /** True for a function's logical id (as opposed to the client or the local runtime). */
    public static boolean isFunction(String caller) {
        return !CLIENT.equals(caller) && !LOCAL_RUNTIME.equals(caller);
    }
}
