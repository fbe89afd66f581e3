package za.co.personalisation.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import za.co.personalisation.aws.log.JsonLog;

/** A Kinesis event source mapping: GetRecords per shard, KinesisEvent batches, on-failure KinesisBatchInfo. */
public final class KinesisEventSource extends ShardedStreamSource<Record> {

    private final KinesisClient kinesis;
    private final OnFailureDestination destination;
    private final String region;
    private final String functionArn;

    public KinesisEventSource(EventSourceSettings settings, LocalFunction function, KinesisClient kinesis,
        OnFailureDestination destination, String region, String functionArn, Clock clock, JsonLog log) {
        super(settings, function, clock, log);
        this.kinesis = kinesis;
        this.destination = destination;
        this.region = region;
        this.functionArn = functionArn;
    }

    @Override
    protected List<String> shards() {
        return kinesis.listShards(b -> b.streamARN(settings.sourceArn())).shards().stream().map(Shard::shardId)
            .toList();
    }

    @Override
    protected String iterator(String shardId, String afterSequenceNumber) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamARN(settings.sourceArn())
            .shardId(shardId);
        if (afterSequenceNumber != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .startingSequenceNumber(afterSequenceNumber);
        } else {
            switch (settings.startingPosition()) {
                case "TRIM_HORIZON" -> request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                case "LATEST" -> request.shardIteratorType(ShardIteratorType.LATEST);
                case "AT_TIMESTAMP" -> request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                    .timestamp(settings.startingPositionTimestamp());
                default -> throw new IllegalArgumentException("StartingPosition " + settings.startingPosition()
                    + " is not one of TRIM_HORIZON, LATEST, AT_TIMESTAMP");
            }
        }
        return kinesis.getShardIterator(request.build()).shardIterator();
    }

    /**
     * Lambda polls a Kinesis shard "at a base rate of once per second" (standard iterators); locally every 100 ms,
     * so that runs and tests do not wait up to a second for each event. The AWS latency model in docs/benchmarks.md
     * counts up to a second at this stage (the template's 1 s batching window).
     */
    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }

    @Override
    protected Page<Record> read(String iterator) {
        try {
            GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(iterator).limit(READ_LIMIT)
                .streamARN(settings.sourceArn()));
            return new Page<>(response.records(), response.nextShardIterator());
        } catch (ExpiredIteratorException e) {
            throw new IteratorExpiredException(e);
        }
    }

    @Override
    protected String orderingKey(Record record) {
        return record.partitionKey();
    }

    @Override
    protected JsonNode filterView(Record record) {
        return RecordViews.kinesis(record);
    }

    @Override
    protected StreamBatchRunner.Adapter<Record> adapter(String shardId) {
        return new StreamBatchRunner.Adapter<>() {
            @Override
            public String sequenceNumber(Record record) {
                return record.sequenceNumber();
            }

            @Override
            public Instant arrival(Record record) {
                return record.approximateArrivalTimestamp() == null ? clock.instant()
                    : record.approximateArrivalTimestamp();
            }

            @Override
            public Object event(List<Record> batch) {
                return EventConverters.kinesis(batch, shardId, settings.sourceArn(), region, functionArn);
            }

            @Override
            public void discard(List<Record> batch, String condition, int retries, String error) {
                if (destination == null) {
                    return;
                }
                ObjectNode info = OnFailureDestination.batchInfo();
                info.put("shardId", shardId);
                info.put("startSequenceNumber", batch.get(0).sequenceNumber());
                info.put("endSequenceNumber", batch.get(batch.size() - 1).sequenceNumber());
                info.put("approximateArrivalOfFirstRecord", String.valueOf(arrival(batch.get(0))));
                info.put("approximateArrivalOfLastRecord", String.valueOf(arrival(batch.get(batch.size() - 1))));
                info.put("batchSize", batch.size());
                info.put("streamArn", settings.sourceArn());
                destination.send(functionArn, condition, retries, error, "KinesisBatchInfo", info, clock.instant());
            }
        };
    }

    @Override
    public String describe() {
        return function.definition().logicalId() + " <- Kinesis " + settings.sourceArn().substring(
            settings.sourceArn().lastIndexOf('/') + 1) + ": " + delivered() + " records"
            + (filtered() > 0 ? ", " + filtered() + " filtered out" : "");
    }
}
