package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.config.Settings;

/**
 * SnapStart priming runs enrich's decode and merge without touching AWS: the handler here points at an address
 * where nothing listens, so any AWS call made while priming would fail the test.
 */
class SnapStartPrimingTest {

    @Test
    void prime_decodesAndMergesWithoutAnyAwsCall() {
        EnrichHandler handler = new EnrichHandler(Settings.of(Map.of(
            "AWS_ENDPOINT_URL", "http://127.0.0.1:9", "AWS_REGION", "af-south-1",
            "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "x",
            "PROFILES_TABLE", "profiles", "ERASURES_TABLE", "erasures", "NOTIFICATIONS_TABLE", "notifications",
            "ERASURE_KEY", "a-test-key-of-at-least-32-characters",
            "FAILED_EVENTS_QUEUE_URL", "http://127.0.0.1:9/queue/failed")));

        assertThatCode(() -> handler.priming().primeNow()).doesNotThrowAnyException();
    }
}
