package za.co.personalisation.replay.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallCountsTest {

    @TempDir
    Path dir;

    @Test
    void minus_leavesWhatHappenedInBetween_andDropsRowsWithoutCalls() {
        CallKey put = new CallKey("EnrichFunction", "dynamodb", "PutItem");
        CallKey get = new CallKey("EnrichFunction", "dynamodb", "GetItem");
        CallCounts before = new CallCounts(List.of(new CallCounts.Row(put, 10, 11, 0, 1_000, 10, 20),
            new CallCounts.Row(get, 5, 5, 0, 100, 5, 5)));
        CallCounts after = new CallCounts(List.of(new CallCounts.Row(put, 15, 17, 1, 1_600, 15, 31),
            new CallCounts.Row(get, 5, 5, 0, 100, 5, 5)));

        CallCounts delta = after.minus(before);

        assertThat(delta.rows()).containsExactly(new CallCounts.Row(put, 5, 6, 1, 600, 5, 11));
        assertThat(delta.calls()).isEqualTo(5);
    }

    @Test
    void meterFile_roundTripsTheCounts() throws IOException {
        CallKey key = new CallKey("client", "kinesis", "PutRecords");
        CallCounts counts = new CallCounts(List.of(new CallCounts.Row(key, 3, 4, 1, 2_000_000, 300, 300)));

        CallCounts read = CallCounts.fromJson(counts.toJson());

        assertThat(read).isEqualTo(counts);
        Path file = dir.resolve("calls.json");
        MeterFile.write(file);
        assertThat(CallCounts.read(file).rows()).isNotNull();
    }

    @Test
    void caller_isReadFromTheLocalRuntimesThreadNames() {
        assertThat(Caller.of("api-gateway")).isEqualTo("IngestFunction");
        assertThat(Caller.of("lambda-NotifyFunction")).isEqualTo("NotifyFunction");
        assertThat(Caller.of("enrich-worker-3")).isEqualTo("EnrichFunction");
        assertThat(Caller.of("local-observability")).isEqualTo(Caller.LOCAL_RUNTIME);
        assertThat(Caller.of("esm-EnrichFunction-shardId-000000000000")).isEqualTo("EnrichFunction");
        assertThat(Caller.of("esm-DeliverFunction-offers-sms-local")).isEqualTo("DeliverFunction");
        assertThat(Caller.of("console")).isEqualTo(Caller.LOCAL_RUNTIME);
        assertThat(Caller.of("main")).isEqualTo(Caller.CLIENT);
        assertThat(Caller.isFunction("NotifyFunction")).isTrue();
        assertThat(Caller.isFunction(Caller.CLIENT)).isFalse();
    }
}
