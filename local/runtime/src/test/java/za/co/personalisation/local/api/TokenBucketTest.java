package za.co.personalisation.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** API Gateway's token bucket, on a clock the test moves. */
class TokenBucketTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void startsFull_takesTheBurst_thenRefillsAtTheRate_neverAboveTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 3, nanos::get);

        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).as("burst spent").isFalse();
        nanos.addAndGet(50_000_000L);
        assertThat(bucket.tryTake()).as("half a token after 50 ms at 10/s").isFalse();
        nanos.addAndGet(50_000_000L);
        assertThat(bucket.tryTake()).as("one token after 100 ms").isTrue();
        assertThat(bucket.tryTake()).isFalse();
        nanos.addAndGet(60_000_000_000L);
        int taken = 0;
        while (bucket.tryTake()) {
            taken++;
        }
        assertThat(taken).as("a minute idle refills only up to the burst").isEqualTo(3);
    }

    @Test
    void aThrottleWithoutRateOrBurst_isRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, 5, nanos::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(5, 0, nanos::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
