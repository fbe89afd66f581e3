package za.co.personalisation.feedback;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.config.Settings;

/**
 * SnapStart priming parses each kind of event and hashes a number without touching AWS: the handler points at an
 * address where nothing listens, so any AWS call made while priming would fail the test.
 */
class SnapStartPrimingTest {

    @Test
    void prime_runsWithoutAnyAwsCall() {
        Settings settings = Settings.of(Map.ofEntries(
            Map.entry("AWS_ENDPOINT_URL", "http://127.0.0.1:9"), Map.entry("AWS_REGION", "af-south-1"),
            Map.entry("AWS_ACCESS_KEY_ID", "x"), Map.entry("AWS_SECRET_ACCESS_KEY", "x"),
            Map.entry("NOTIFICATIONS_TABLE", "n"), Map.entry("CONTACTS_TABLE", "c"),
            Map.entry("EVENTS_STREAM", "s"), Map.entry("FEEDBACK_DLQ_URL", "http://127.0.0.1:9/q"),
            Map.entry("ERASURE_KEY", "a-secret-of-at-least-thirty-two-characters")));
        FeedbackHandler handler = new FeedbackHandler(settings);

        assertThatCode(() -> handler.priming().primeNow()).doesNotThrowAnyException();
    }

    @Test
    void construction_withoutTheHashKey_failsNamingTheSetting() {
        Settings settings = Settings.of(Map.of("AWS_REGION", "af-south-1", "NOTIFICATIONS_TABLE", "n",
            "CONTACTS_TABLE", "c", "EVENTS_STREAM", "s", "FEEDBACK_DLQ_URL", "q"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FeedbackHandler(settings))
            .hasMessageContaining("ERASURE_KEY");
    }
}
