package za.co.personalisation.replay.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.replay.Fixtures;
import za.co.personalisation.replay.playback.CustomerRemapper;
import za.co.personalisation.replay.playback.EnvelopeRewriter;
import za.co.personalisation.replay.playback.ReplayStats;
import za.co.personalisation.replay.playback.StreamTarget;

/**
 * Writing within the shard limits when Kinesis refuses records. The emulator has no write limits (moto never
 * answers ProvisionedThroughputExceeded), so a proxy in front of it refuses half of the records of the first calls
 * the way a throttled shard does; the SDK, the requests and the records read back are real.
 */
@ExtendWith(MotoExtension.class)
class KinesisPutterIT {

    @Test
    void recordsRefusedForThroughput_areRetriedWithBackoff_untilEachIsWrittenExactlyOnce(
        MotoExtension.Emulator emulator) throws Exception {
        KinesisClient direct = new AwsClients(Settings.of(emulator.environment())).kinesis();
        direct.createStream(b -> b.streamName("throttled").shardCount(1));
        List<Duration> backoffs = new ArrayList<>();
        try (ThrottlingKinesisProxy proxy = new ThrottlingKinesisProxy(emulator.endpoint(), 2)) {
            KinesisClient throttled = new AwsClients(Settings.of(emulator.environment()).with(Map.of(
                AwsClients.ENDPOINT_URL, proxy.endpoint().toString()))).kinesis();
            ReplayStats stats = new ReplayStats();
            StreamTarget target = new StreamTarget("throttled", new KinesisPutter(throttled, "throttled",
                ReplayBackoff.STANDARD, 10, backoffs::add, new SplittableRandom(3)),
                ShardMap.of(throttled, "throttled"), ShardThrottle.kinesisLimits(), duration -> { }, stats);
            EnvelopeRewriter rewriter = new EnvelopeRewriter(CustomerRemapper.none(), "", Duration.ZERO);

            for (int i = 0; i < 40; i++) {
                target.send(rewriter.rewrite(Fixtures.record("event-" + i, Instant.parse(
                    "2026-11-20T08:00:00Z")).data()));
            }
            target.flush();

            // every record refused was sent again, after a backoff, and in the end all were written
            assertThat(proxy.refused()).isPositive();
            assertThat(stats.retriedByError()).containsEntry("ProvisionedThroughputExceededException",
                (long) proxy.refused());
            assertThat(stats.sentCount()).isEqualTo(40);
            assertThat(stats.failedCount()).isZero();
        }
        assertThat(backoffs).isNotEmpty();
        List<String> written = new ArrayList<>();
        String iterator = direct.getShardIterator(b -> b.streamName("throttled").shardId("shardId-000000000000")
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        for (Record record : direct.getRecords(b -> b.shardIterator(iterator).limit(1_000)).records()) {
            written.add(new String(record.data().asByteArray(), StandardCharsets.UTF_8));
        }
        assertThat(written).hasSize(40);
        assertThat(written).allMatch(data -> data.contains("\"replay\":true"));
        assertThat(written.stream().map(data -> data.replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1")).distinct())
            .hasSize(40);
    }
}
