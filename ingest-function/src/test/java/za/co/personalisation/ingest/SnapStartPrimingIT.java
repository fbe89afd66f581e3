package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;

/** SnapStart priming exercises ingest's hot path before the snapshot and writes nothing to the stream. */
@ExtendWith(MotoExtension.class)
class SnapStartPrimingIT {

    @Test
    void prime_parsesAndEncodesButPutsNoRecord(MotoExtension.Emulator emulator) {
        Map<String, String> environment = new HashMap<>(emulator.environment());
        environment.put("EVENTS_STREAM", "priming-check");
        environment.put("CONTACTS_TABLE", "contacts");
        environment.put("ERASURES_TABLE", "erasures");
        environment.put("NOTIFICATIONS_TABLE", "notifications");
        KinesisClient kinesis = new AwsClients(Settings.of(environment)).kinesis();
        kinesis.createStream(b -> b.streamName("priming-check").shardCount(1));
        IngestHandler handler = new IngestHandler(Settings.of(environment));

        handler.priming().primeNow();

        String shard = kinesis.listShards(b -> b.streamName("priming-check")).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(b -> b.streamName("priming-check").shardId(shard)
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThat(kinesis.getRecords(b -> b.shardIterator(iterator)).records()).isEmpty();
    }
}
