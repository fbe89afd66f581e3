package za.co.personalisation.replay.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import za.co.personalisation.aws.dynamodb.ProfileItems;

/**
 * Follows the profiles table's stream (NEW_AND_OLD_IMAGES) while a run is under way, as a second reader beside
 * notify-function's event source mapping, and tells for each profile write of the run's customers which events it
 * applied (the eventIds the new image remembers as applied that the old image did not have) and when (the new
 * image's updatedAt, the enrich function's clock). That is how every event's "enriched" time is known even when
 * a later write of the same customer has overwritten the profile.
 *
 * <p>Shards that exist when it starts are read from LATEST (it must be started before the first event is sent);
 * shards that appear later (DynamoDB rolls them over every few hours) from TRIM_HORIZON.
 */
public final class ProfileChangeTail implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(250);
    static final int READ_LIMIT = 1_000;
    static final Duration RESHARD_CHECK = Duration.ofSeconds(10);

    /** Told once per applied event. */
    @FunctionalInterface
    public interface Listener {
        void applied(String eventId, long micros);
    }

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String customerPrefix;
    private final Listener listener;
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastError = "";
    private Thread thread;

    private ProfileChangeTail(DynamoDbStreamsClient streams, String streamArn, String customerPrefix,
        Listener listener) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.customerPrefix = customerPrefix;
        this.listener = listener;
    }

    /** Positions itself at the end of every shard, then follows the stream on a thread of its own. */
    public static ProfileChangeTail start(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, String table,
        String customerPrefix, Listener listener) {
        String arn = dynamoDb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("table " + table + " has no stream; the pipeline needs one"
                + " (template.yaml: StreamSpecification NEW_AND_OLD_IMAGES)");
        }
        ProfileChangeTail tail = new ProfileChangeTail(streams, arn, customerPrefix, listener);
        for (Shard shard : tail.shards()) {
            if (shard.sequenceNumberRange() == null || shard.sequenceNumberRange().endingSequenceNumber() == null) {
                tail.iterators.put(shard.shardId(), tail.iterator(shard.shardId(), ShardIteratorType.LATEST));
            } else {
                tail.finished.add(shard.shardId());
            }
        }
        tail.thread = new Thread(tail::follow, "load-profile-tail");
        tail.thread.setDaemon(true);
        tail.thread.start();
        return tail;
    }

    private void follow() {
        Instant lastCheck = Instant.now();
        while (running.get()) {
            try {
                for (Map.Entry<String, String> shard : Map.copyOf(iterators).entrySet()) {
                    read(shard.getKey(), shard.getValue());
                }
                if (Instant.now().isAfter(lastCheck.plus(RESHARD_CHECK))) {
                    discover();
                    lastCheck = Instant.now();
                }
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (SdkException e) {
                if (!running.get()) {
                    return; // closed while a call was under way
                }
                errors.incrementAndGet();
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void read(String shardId, String iterator) {
        String current = iterator;
        for (int page = 0; page < 20 && current != null && running.get(); page++) {
            GetRecordsResponse response;
            try {
                String from = current;
                response = streams.getRecords(b -> b.shardIterator(from).limit(READ_LIMIT));
            } catch (ExpiredIteratorException e) {
                // rare: it lives 15 minutes and we poll every few hundred ms; nothing better than the end is known
                iterators.put(shardId, iterator(shardId, ShardIteratorType.LATEST));
                errors.incrementAndGet();
                lastError = "expired shard iterator on " + shardId + "; some changes may have been missed";
                return;
            }
            response.records().forEach(this::accept);
            current = response.nextShardIterator();
            if (response.records().size() < READ_LIMIT) {
                break; // caught up: read again at the next poll, not at once (a call that mostly finds nothing)
            }
        }
        if (current == null) {
            iterators.remove(shardId);
            finished.add(shardId);
        } else {
            iterators.put(shardId, current);
        }
    }

    private void accept(Record record) {
        records.incrementAndGet();
        if (record.dynamodb() == null || !record.dynamodb().hasNewImage()) {
            return;
        }
        Map<String, AttributeValue> after = record.dynamodb().newImage();
        AttributeValue customer = after.get("customerId");
        if (customer == null || customer.s() == null || !customer.s().startsWith(customerPrefix)) {
            return;
        }
        long micros;
        try {
            micros = EventTimes.micros(Instant.parse(after.get("updatedAt").s()));
        } catch (RuntimeException e) {
            return;
        }
        Set<String> before = new HashSet<>(ids(record.dynamodb().hasOldImage() ? record.dynamodb().oldImage()
            : Map.of()));
        boolean any = false;
        for (String id : ids(after)) {
            if (!before.contains(id)) {
                listener.applied(id, micros);
                any = true;
            }
        }
        if (any) {
            writes.incrementAndGet();
        }
    }

    /**
     * The applied event ids a profile image remembers, in whichever layout it was written (ProfileItems); none when
     * the image does not fit one (such a profile's events are then counted as not seen applied).
     */
    static List<String> ids(Map<String, AttributeValue> image) {
        try {
            return ProfileItems.appliedEventIds(image);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private void discover() {
        for (Shard shard : shards()) {
            if (!iterators.containsKey(shard.shardId()) && !finished.contains(shard.shardId())) {
                iterators.put(shard.shardId(), iterator(shard.shardId(), ShardIteratorType.TRIM_HORIZON));
            }
        }
    }

    private List<Shard> shards() {
        List<Shard> all = new ArrayList<>();
        String after = null;
        do {
            String from = after;
            StreamDescription description = streams.describeStream(b -> b.streamArn(streamArn)
                .exclusiveStartShardId(from)).streamDescription();
            all.addAll(description.shards());
            after = description.lastEvaluatedShardId();
        } while (after != null);
        return all;
    }

    private String iterator(String shardId, ShardIteratorType type) {
        return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId).shardIteratorType(type))
            .shardIterator();
    }

    /** Profile writes of the run's customers that applied at least one event. */
    public long writes() {
        return writes.get();
    }

    public long errors() {
        return errors.get();
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
