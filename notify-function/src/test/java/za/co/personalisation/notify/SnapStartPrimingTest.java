package za.co.personalisation.notify;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.config.Settings;

/**
 * SnapStart priming exercises the codecs without touching AWS: the handler points at an address where nothing
 * listens, so any AWS call made while priming would fail the test.
 */
class SnapStartPrimingTest {

    @Test
    void prime_runsWithoutAnyAwsCall() {
        Settings settings = Settings.of(Map.ofEntries(
            Map.entry("AWS_ENDPOINT_URL", "http://127.0.0.1:9"), Map.entry("AWS_REGION", "af-south-1"),
            Map.entry("AWS_ACCESS_KEY_ID", "x"), Map.entry("AWS_SECRET_ACCESS_KEY", "x"),
            Map.entry("PROFILES_TABLE", "p"), Map.entry("CONTACTS_TABLE", "c"), Map.entry("OFFERS_TABLE", "o"),
            Map.entry("NOTIFICATIONS_TABLE", "n"), Map.entry("NOTIFICATIONS_TOPIC_ARN",
                "arn:aws:sns:af-south-1:123456789012:t"), Map.entry("DELIVERY_DLQ_URL", "http://127.0.0.1:9/q"),
            Map.entry("EMAIL_FROM", "offers@personalisation.example"),
            Map.entry("HOLDOUT_KEY", "holdout-key-for-the-priming-test-000"),
            Map.entry("UNSUBSCRIBE_URL", "https://personalisation.example/unsubscribe/")));
        NotifyHandler handler = new NotifyHandler(settings);

        assertThatCode(() -> handler.priming().primeNow()).doesNotThrowAnyException();
    }
}
