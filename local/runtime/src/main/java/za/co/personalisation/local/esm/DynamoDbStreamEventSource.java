package za.co.personalisation.local.esm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import za.co.personalisation.aws.log.JsonLog;

/** A DynamoDB Streams event source mapping: DynamodbEvent batches, on-failure DDBStreamBatchInfo. */
public final class DynamoDbStreamEventSource extends ShardedStreamSource<Record> {

    private final DynamoDbStreamsClient streams;
    private final OnFailureDestination destination;
    private final String region;
    private final String functionArn;

    public DynamoDbStreamEventSource(EventSourceSettings settings, LocalFunction function,
        DynamoDbStreamsClient streams, OnFailureDestination destination, String region, String functionArn,
        Clock clock, JsonLog log) {
        super(settings, function, clock, log);
        if ("AT_TIMESTAMP".equals(settings.startingPosition())) {
            // Lambda: AT_TIMESTAMP is supported for Kinesis (and Kafka, MQ, DocumentDB), not DynamoDB Streams.
            throw new IllegalArgumentException(function.definition().logicalId() + ": StartingPosition AT_TIMESTAMP"
                + " is not supported for DynamoDB Streams; use TRIM_HORIZON or LATEST");
        }
        this.streams = streams;
        this.destination = destination;
        this.region = region;
        this.functionArn = functionArn;
    }

    @Override
    protected List<String> shards() {
        return streams.describeStream(b -> b.streamArn(settings.sourceArn())).streamDescription().shards().stream()
            .map(Shard::shardId).toList();
    }

    @Override
    protected String iterator(String shardId, String afterSequenceNumber) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamArn(settings.sourceArn())
            .shardId(shardId);
        if (afterSequenceNumber != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(afterSequenceNumber);
        } else {
            request.shardIteratorType("TRIM_HORIZON".equals(settings.startingPosition())
                ? ShardIteratorType.TRIM_HORIZON : ShardIteratorType.LATEST);
        }
        return streams.getShardIterator(request.build()).shardIterator();
    }

    /** Lambda: "polls shards in your DynamoDB stream for records at a base rate of 4 times per second". */
    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(250);
    }

    @Override
    protected Page<Record> read(String iterator) {
        try {
            GetRecordsResponse response = streams.getRecords(b -> b.shardIterator(iterator).limit(READ_LIMIT));
            return new Page<>(response.records(), response.nextShardIterator());
        } catch (ExpiredIteratorException e) {
            throw new IteratorExpiredException(e);
        }
    }

    @Override
    protected String orderingKey(Record record) {
        return RecordViews.itemKey(record.dynamodb().keys());
    }

    @Override
    protected JsonNode filterView(Record record) {
        return RecordViews.dynamoDb(record, settings.sourceArn(), region);
    }

    @Override
    protected StreamBatchRunner.Adapter<Record> adapter(String shardId) {
        return new StreamBatchRunner.Adapter<>() {
            @Override
            public String sequenceNumber(Record record) {
                return record.dynamodb().sequenceNumber();
            }

            @Override
            public Instant arrival(Record record) {
                Instant created = record.dynamodb().approximateCreationDateTime();
                return created == null ? clock.instant() : created;
            }

            @Override
            public Object event(List<Record> batch) {
                return EventConverters.dynamoDb(batch, settings.sourceArn(), region);
            }

            @Override
            public void discard(List<Record> batch, String condition, int retries, String error) {
                if (destination == null) {
                    return;
                }
                ObjectNode info = OnFailureDestination.batchInfo();
                info.put("shardId", shardId);
                info.put("startSequenceNumber", sequenceNumber(batch.get(0)));
                info.put("endSequenceNumber", sequenceNumber(batch.get(batch.size() - 1)));
                info.put("approximateArrivalOfFirstRecord", String.valueOf(arrival(batch.get(0))));
                info.put("approximateArrivalOfLastRecord", String.valueOf(arrival(batch.get(batch.size() - 1))));
                info.put("batchSize", batch.size());
                info.put("streamArn", settings.sourceArn());
                destination.send(functionArn, condition, retries, error, "DDBStreamBatchInfo", info, clock.instant());
            }
        };
    }

    @Override
    public String describe() {
        return function.definition().logicalId() + " <- DynamoDB stream of " + settings.sourceArn().split("/")[1]
            + ": " + delivered() + " records" + (filtered() > 0 ? ", " + filtered() + " filtered out" : "");
    }
}
