package za.co.personalisation.replay.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import za.co.personalisation.replay.report.Progress;

/** After the send, a stack that stops answering ends the readings with a reason, never the run. */
class LoadRunMeasureTest {

    private final LoadRun run = new LoadRun(null, new Progress(new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), false));

    @Test
    void readings_areKeptWhileTheStackAnswers() throws Exception {
        assertThat(run.measure("checking the profiles", () -> 42, 0)).isEqualTo(42);
        assertThat(run.incomplete()).isNull();
    }

    @Test
    void theFirstFailure_isTheReasonInOneLine_andLaterReadingsAreNotAttempted() throws Exception {
        AtomicInteger attempted = new AtomicInteger();

        int checks = run.measure("checking the profiles", () -> {
            throw ApiCallTimeoutException.create(20_000);
        }, -1);
        long received = run.measure("reading the stream", () -> {
            attempted.incrementAndGet();
            return 7L;
        }, 0L);
        run.measure("reading the queues", () -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        }, null);

        assertThat(checks).isEqualTo(-1);
        assertThat(received).isZero();
        assertThat(attempted).hasValue(0);
        assertThat(run.incomplete()).startsWith("checking the profiles failed: ApiCallTimeoutException: Client"
            + " execution did not complete").doesNotContain("\n");
    }
}
