package za.co.personalisation.replay.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import za.co.personalisation.replay.cost.CostModel;
import za.co.personalisation.replay.meter.CallCounts;

/**
 * What the emulator itself allows, measured in the same run as the pipeline (issue 14's "ceiling"): the local
 * emulator (moto) answers on one core at most (Python's global interpreter lock), so the requests it can serve
 * a second are the requests it served divided by the CPU-seconds it used; divided again by the requests each
 * applied event cost, that is the rate of events the emulator allows. The pipeline's applied rate over that is
 * the share of the emulator's ceiling the pipeline reached. Counted requests are every SDK attempt of the stack and
 * of this tool (retries included): the pipeline's own, the pollers', the measurement's and the local-only ones
 * (console, X-Ray relay, metrics), which all cost the emulator; the figure without the measurement and local-only
 * requests is given beside it. Only meaningful when the stack's calls were counted (replay local-stack).
 */
final class EmulatorCeiling {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EmulatorCeiling() {
    }

    /**
     * @param cpuSeconds       the emulator's CPU time while the calls were counted (negative: unknown)
     * @param calls            the calls counted over the same time
     * @param applied          events applied by the pipeline
     * @param appliedPerSecond the pipeline's applied rate
     * @return the section, or {@code null} when the emulator's CPU time or the applied events are unknown
     */
    static ObjectNode of(double cpuSeconds, CallCounts calls, long applied, double appliedPerSecond) {
        long requests = calls.attempts();
        if (cpuSeconds <= 0 || applied <= 0 || requests == 0) {
            return null;
        }
        double served = requests / cpuSeconds;
        double perEvent = (double) requests / applied;
        double allowed = served / perEvent;
        long pipelineOnly = calls.filter(key -> CostModel.use(key) == CostModel.Use.PIPELINE
            || CostModel.use(key) == CostModel.Use.UNBILLED_POLLING).attempts();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("emulatorCpuSeconds", round(cpuSeconds));
        node.put("requestsServed", requests);
        node.put("requestsPerCpuSecond", round(served));
        node.put("requestsPerAppliedEvent", round(perEvent));
        node.put("eventsPerSecondAllowed", round(allowed));
        if (pipelineOnly > 0) {
            node.put("pipelineRequestsPerAppliedEvent", round((double) pipelineOnly / applied));
            node.put("eventsPerSecondAllowedWithoutMeasurement", round(served / ((double) pipelineOnly / applied)));
        }
        node.put("pipelineAppliedPerSecond", round(appliedPerSecond));
        node.put("shareOfEmulatorCeiling", round(appliedPerSecond / allowed));
        node.put("note", "the emulator serves requests on one core at most; allowed = requests served per"
            + " emulator CPU-second / requests per applied event (all callers); share = the pipeline's applied rate"
            + " / allowed: meaningful when the run was at the pipeline's ceiling");
        return node;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
