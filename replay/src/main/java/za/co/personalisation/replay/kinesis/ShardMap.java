package za.co.personalisation.replay.kinesis;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Which open shard of a stream a partition key lands on: Kinesis hashes the key with MD5 into a 128-bit number and
 * the shard whose hash key range holds it takes the record. Used to hold each shard to its write limits.
 */
public final class ShardMap {

    /** An open shard's hash key range, inclusive at both ends. */
    public record Range(String shardId, BigInteger start, BigInteger end) {
    }

    private final List<Range> ranges;

    public ShardMap(List<Range> ranges) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("the stream has no open shard");
        }
        this.ranges = ranges.stream().sorted(Comparator.comparing(Range::start)).toList();
    }

    /** The stream's open shards (those without an ending sequence number). */
    public static ShardMap of(KinesisClient kinesis, String streamName) {
        List<Range> ranges = new ArrayList<>();
        for (Shard shard : listShards(kinesis, streamName)) {
            if (shard.sequenceNumberRange().endingSequenceNumber() == null) {
                ranges.add(new Range(shard.shardId(), new BigInteger(shard.hashKeyRange().startingHashKey()),
                    new BigInteger(shard.hashKeyRange().endingHashKey())));
            }
        }
        return new ShardMap(ranges);
    }

    /** Every shard of the stream, open or closed, following ListShards' pages. */
    public static List<Shard> listShards(KinesisClient kinesis, String streamName) {
        List<Shard> shards = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListShardsResponse page = next == null ? kinesis.listShards(b -> b.streamName(streamName))
                : kinesis.listShards(b -> b.nextToken(next));
            shards.addAll(page.shards());
            token = page.nextToken();
        } while (token != null);
        return shards;
    }

    public String shardFor(String partitionKey) {
        BigInteger hash = hash(partitionKey);
        for (Range range : ranges) {
            if (hash.compareTo(range.start()) >= 0 && hash.compareTo(range.end()) <= 0) {
                return range.shardId();
            }
        }
        return ranges.get(ranges.size() - 1).shardId();
    }

    public int size() {
        return ranges.size();
    }

    static BigInteger hash(String partitionKey) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java runtime", e);
        }
    }
}
