package za.co.personalisation.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.notify.QuietHours;

/** The throttle backoff's shape: pure arithmetic on the settings. */
class DeliverySettingsTest {

    private static final DeliverySettings SETTINGS = DeliverySettings.from(Settings.of(Map.of(
        "SMS_QUEUE_URL", "sms", "EMAIL_QUEUE_URL", "email", "DELIVERY_DLQ_URL", "dlq",
        "THROTTLE_BACKOFF", "PT2S", "REQUEUE_MAX_DELAY", "PT15M")), QuietHours.NONE);

    @Test
    void throttleDelay_isFullJitter_fromZeroToTheExponentialCeiling() {
        SplittableRandom random = new SplittableRandom(11);
        List<Duration> third = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            third.add(SETTINGS.throttleDelay(2, random));
        }

        // ceiling 2 s × 2^2 = 8 s; full jitter draws from all of [0, 8 s], not only its upper half
        assertThat(third).allSatisfy(delay -> assertThat(delay).isBetween(Duration.ZERO, Duration.ofSeconds(8)));
        assertThat(Collections.min(third)).isLessThan(Duration.ofMillis(400));
        assertThat(Collections.max(third)).isGreaterThan(Duration.ofMillis(7_600));
    }

    @Test
    void throttleDelay_neverExceedsTheLongestRequeueDelay() {
        SplittableRandom random = new SplittableRandom(5);

        for (int throttles = 0; throttles < 64; throttles++) {
            assertThat(SETTINGS.throttleDelay(throttles, random)).isLessThanOrEqualTo(Duration.ofMinutes(15));
        }
    }
}
