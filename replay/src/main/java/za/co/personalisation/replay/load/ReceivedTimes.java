package za.co.personalisation.replay.load;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.event.InvalidRecordException;
import za.co.personalisation.replay.kinesis.ShardMap;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * After a run, reads the interest-events stream from just before the run's start (AT_TIMESTAMP) to its end and
 * notes each of the run's events' {@code receivedAt}: when ingest accepted it, by ingest's clock. Read after the
 * run, not during it, so that it adds no load to the stream while the pipeline is measured (and stays within
 * Kinesis' five reads a second per shard).
 */
public final class ReceivedTimes {

    static final int PAGE = 10_000;

    private final KinesisClient kinesis;
    private final Sleeper sleeper;

    public ReceivedTimes(KinesisClient kinesis, Sleeper sleeper) {
        this.kinesis = kinesis;
        this.sleeper = sleeper;
    }

    /** @return records of the run found in the stream */
    public long read(String stream, Instant from, LoadPlan plan, EventTimes times) throws InterruptedException {
        long found = 0;
        for (Shard shard : ShardMap.listShards(kinesis, stream)) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(from)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(PAGE));
                for (Record record : page.records()) {
                    InterestEvent event = record.partitionKey().startsWith(plan.customerPrefix()) ? decode(record)
                        : null;
                    int index = event == null ? -1 : plan.indexOf(event.eventId());
                    if (index >= 0) {
                        times.reached(EventTimes.Stage.RECEIVED, index, EventTimes.micros(event.receivedAt()));
                        found++;
                    }
                }
                iterator = page.nextShardIterator();
                if (page.records().isEmpty() && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0)) {
                    break;
                }
                sleeper.sleep(Duration.ofMillis(200));
            }
        }
        return found;
    }

    private static InterestEvent decode(Record record) {
        try {
            return StreamEventCodec.decodeInterest(record.data().asByteArrayUnsafe());
        } catch (InvalidRecordException e) {
            return null;
        }
    }
}
