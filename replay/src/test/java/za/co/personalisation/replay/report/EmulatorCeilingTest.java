package za.co.personalisation.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.replay.meter.CallCounts;
import za.co.personalisation.replay.meter.CallKey;
import za.co.personalisation.replay.meter.Caller;

class EmulatorCeilingTest {

    private static CallCounts.Row row(String caller, String service, String operation, long attempts) {
        return new CallCounts.Row(new CallKey(caller, service, operation), attempts, attempts, 0, 0, attempts, 0);
    }

    @Test
    void of_dividesRequestsServedPerCpuSecondByRequestsPerEvent() {
        // 2,000 requests in 10 CPU-seconds = 200 a second; 1,000 events applied = 2 requests an event: 100 events/s
        CallCounts calls = new CallCounts(List.of(row("EnrichFunction", "dynamodb", "PutItem", 1_500),
            row("replay", "dynamodbstreams", "GetRecords", 500)));

        ObjectNode node = EmulatorCeiling.of(10, calls, 1_000, 40);

        assertThat(node.path("requestsPerCpuSecond").asDouble()).isEqualTo(200);
        assertThat(node.path("requestsPerAppliedEvent").asDouble()).isEqualTo(2);
        assertThat(node.path("eventsPerSecondAllowed").asDouble()).isEqualTo(100);
        assertThat(node.path("shareOfEmulatorCeiling").asDouble()).isEqualTo(0.4);
        assertThat(node.path("requestsServed").asLong()).isEqualTo(2_000);
    }

    @Test
    void of_leavesTheMeasurementAndLocalOnlyRequestsOutOfThePipelinesOwnFigure() {
        // pipeline 600 + polling 200 = 800 of the 1,000 requests; 400 events: 2 per event, 2.5 with all callers
        CallCounts calls = new CallCounts(List.of(row("EnrichFunction", "dynamodb", "PutItem", 600),
            row("NotifyFunction", "dynamodbstreams", "GetRecords", 200),
            row(Caller.CLIENT, "dynamodb", "Scan", 150),
            row(Caller.LOCAL_RUNTIME, "xray", "PutTraceSegments", 50)));

        ObjectNode node = EmulatorCeiling.of(10, calls, 400, 20);

        assertThat(node.path("requestsPerAppliedEvent").asDouble()).isEqualTo(2.5);
        assertThat(node.path("pipelineRequestsPerAppliedEvent").asDouble()).isEqualTo(2);
        assertThat(node.path("eventsPerSecondAllowedWithoutMeasurement").asDouble()).isEqualTo(50);
    }

    @Test
    void of_withoutTheEmulatorsCpuTime_givesNothing() {
        CallCounts calls = new CallCounts(List.of(row("EnrichFunction", "dynamodb", "PutItem", 10)));

        assertThat(EmulatorCeiling.of(-1, calls, 10, 1)).isNull();
        assertThat(EmulatorCeiling.of(5, calls, 0, 1)).isNull();
        assertThat(EmulatorCeiling.of(5, CallCounts.empty(), 10, 1)).isNull();
    }
}
