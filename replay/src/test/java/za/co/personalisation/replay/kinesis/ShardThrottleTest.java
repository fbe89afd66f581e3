package za.co.personalisation.replay.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShardThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void records_areHeldTo1000ASecondPerShard_afterASmallBurst() {
        ShardThrottle throttle = ShardThrottle.kinesisLimits();
        long now = 0;
        int immediately = 0;
        while (throttle.reserve("shard-1", 100, now) == 0) {
            immediately++;
        }
        // 20 ms of tolerance: about 20 records may go at once, then one a millisecond
        assertThat(immediately).isBetween(19, 22);

        long sentAt = 0;
        for (int i = 0; i < 10_000; i++) {
            sentAt = Math.max(sentAt, now + throttle.reserve("shard-1", 100, now));
        }
        assertThat(sentAt / (double) SECOND).isBetween(9.9, 10.1);
    }

    @Test
    void bytes_areHeldTo1MiBASecondPerShard() {
        ShardThrottle throttle = ShardThrottle.kinesisLimits();
        long last = 0;
        for (int i = 0; i < 100; i++) {
            last = throttle.reserve("shard-1", 100 * 1024, 0);
        }
        // 100 records of 100 KiB = 9.77 MiB: about 9.8 s at 1 MiB/s, far below the record limit
        assertThat(last / (double) SECOND).isBetween(9.6, 9.8);
    }

    @Test
    void shards_haveBudgetsOfTheirOwn() {
        ShardThrottle throttle = new ShardThrottle(10, 1_000_000);
        for (int i = 0; i < 50; i++) {
            throttle.reserve("busy", 10, 0);
        }
        assertThat(throttle.reserve("busy", 10, 0)).isGreaterThan(4 * SECOND);
        assertThat(throttle.reserve("quiet", 10, 0)).isZero();
    }
}
