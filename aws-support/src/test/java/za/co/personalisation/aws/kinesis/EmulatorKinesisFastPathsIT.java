package za.co.personalisation.aws.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The emulator's Kinesis fast path (local/moto/fast_paths.py, part 4: a shard's ends and GetRecords found by index
 * instead of by walking every record the shard holds) gives the answers moto's own walk gives. The same writes and
 * reads go to the test emulator (fast paths on) and to a second one started with MOTO_FAST_PATHS=0, through the
 * SDK, and what each read returns (sequence numbers, keys, data, where the iterator goes next, whether the reader is
 * caught up) is compared. Emulator only: nothing here is what a function does on AWS.
 */
@ExtendWith(MotoExtension.class)
class EmulatorKinesisFastPathsIT {

    private static MotoServer plain;
    private static int streams;

    private KinesisClient fast;
    private KinesisClient slow;
    private String stream;

    @BeforeAll
    static void startPlainEmulator() {
        plain = MotoServer.start(ProjectRoot.find(), 0, ProjectRoot.find().resolve(
            ".local-aws/logs/moto-plain-kinesis-test-" + ProcessHandle.current().pid() + ".log"),
            Map.of("MOTO_FAST_PATHS", "0"));
    }

    @AfterAll
    static void stopPlainEmulator() {
        plain.close();
    }

    @BeforeEach
    void streams(MotoExtension.Emulator emulator) {
        Map<String, String> plainEnvironment = new HashMap<>(emulator.environment());
        plainEnvironment.put("AWS_ENDPOINT_URL", plain.endpoint().toString());
        fast = new AwsClients(Settings.of(emulator.environment())).kinesis();
        slow = new AwsClients(Settings.of(plainEnvironment)).kinesis();
        stream = "fast-paths-" + ++streams;
        for (KinesisClient side : List.of(fast, slow)) {
            side.createStream(b -> b.streamName(stream).shardCount(2));
            side.waiter().waitUntilStreamExists(b -> b.streamName(stream));
        }
    }

    /**
     * What one read returned, in the terms the two emulators must agree on: the records, then those of one more read
     * from the iterator it returned, and how far behind the newest record the read was when it read to the end (0;
     * otherwise the gap between two records' arrival, which differs between two emulators, so null).
     */
    private record Read(List<String> records, Long millisBehindAtTheEnd) {
    }

    @Test
    void readsFromEveryPosition_withEveryLimit_returnWhatMotosWalkReturns() {
        put(both(), 0, 230);
        for (Shard shard : fast.listShards(b -> b.streamName(stream)).shards()) {
            List<String> all = readAll(fast, shard.shardId(), b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON),
                7);
            assertThat(all).as("every record of %s, paging 7 at a time", shard.shardId())
                .isEqualTo(readAll(slow, shard.shardId(), b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON),
                    7))
                .hasSizeGreaterThan(20);
            List<String> sequenceNumbers = all.stream().map(r -> r.substring(0, r.indexOf(' '))).toList();
            for (String at : List.of(sequenceNumbers.get(0), sequenceNumbers.get(1),
                sequenceNumbers.get(sequenceNumbers.size() / 2), sequenceNumbers.get(sequenceNumbers.size() - 2),
                sequenceNumbers.get(sequenceNumbers.size() - 1))) {
                for (ShardIteratorType type : List.of(ShardIteratorType.AT_SEQUENCE_NUMBER,
                    ShardIteratorType.AFTER_SEQUENCE_NUMBER)) {
                    for (Integer limit : List.of(1, 3, 10_000)) {
                        Consumer<GetShardIteratorRequest.Builder> from = b -> b.shardIteratorType(type)
                            .startingSequenceNumber(at);
                        Read read = read(fast, shard.shardId(), from, limit);
                        assertThat(read).as("%s %s, limit %d", type, at, limit)
                            .isEqualTo(read(slow, shard.shardId(), from, limit));
                        if (limit == 10_000 && read.records().size() > 1) {
                            assertThat(read.millisBehindAtTheEnd()).as("caught up").isZero();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aReaderAtTheEnd_seesNothing_thenExactlyTheRecordsPutAfterIt_asWithMotosWalk() {
        put(both(), 0, 40);
        Map<KinesisClient, Map<String, String>> iterators = new HashMap<>();
        for (KinesisClient side : both()) {
            Map<String, String> byShard = new HashMap<>();
            for (Shard shard : side.listShards(b -> b.streamName(stream)).shards()) {
                byShard.put(shard.shardId(), side.getShardIterator(b -> b.streamName(stream)
                    .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.LATEST)).shardIterator());
            }
            iterators.put(side, byShard);
        }
        List<List<String>> seen = new ArrayList<>();
        for (KinesisClient side : both()) {
            List<String> before = new ArrayList<>();
            iterators.get(side).forEach((shard, iterator) -> before.addAll(records(side.getRecords(b -> b
                .shardIterator(iterator)))));
            assertThat(before).as("nothing after LATEST yet").isEmpty();
        }
        put(both(), 40, 25);
        for (KinesisClient side : both()) {
            List<String> after = new ArrayList<>();
            iterators.get(side).forEach((shard, iterator) -> after.addAll(records(side.getRecords(b -> b
                .shardIterator(iterator).limit(10_000)))));
            seen.add(after.stream().sorted().toList());
        }
        assertThat(seen.get(0)).as("25 put with PutRecords and 1 with PutRecord").hasSize(26).isEqualTo(seen.get(1));
    }

    @Test
    void aReadFromAnOlderTimestamp_returnsTheSameRecords_asMotosWalk() {
        Instant before = Instant.now().minus(Duration.ofSeconds(5));
        put(both(), 0, 60);
        for (Shard shard : fast.listShards(b -> b.streamName(stream)).shards()) {
            Consumer<GetShardIteratorRequest.Builder> from = b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                .timestamp(before);
            assertThat(read(fast, shard.shardId(), from, 10_000)).isEqualTo(read(slow, shard.shardId(), from, 10_000));
        }
    }

    private List<KinesisClient> both() {
        return List.of(fast, slow);
    }

    private void put(List<KinesisClient> sides, int first, int count) {
        for (KinesisClient side : sides) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = first; i < first + count; i++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("customer-" + i % 37)
                    .data(SdkBytes.fromUtf8String("event " + i)).build());
                if (entries.size() == 100) {
                    List<PutRecordsRequestEntry> batch = List.copyOf(entries);
                    assertThat(side.putRecords(b -> b.streamName(stream).records(batch)).failedRecordCount()).isZero();
                    entries.clear();
                }
            }
            if (!entries.isEmpty()) {
                assertThat(side.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount()).isZero();
            }
            // and one with PutRecord, which finds the shard's last sequence number the same way
            side.putRecord(b -> b.streamName(stream).partitionKey("single-" + first)
                .data(SdkBytes.fromUtf8String("single " + first)));
        }
    }

    private Read read(KinesisClient side, String shardId, Consumer<GetShardIteratorRequest.Builder> from, int limit) {
        String iterator = side.getShardIterator(b -> from.accept(b.streamName(stream).shardId(shardId)))
            .shardIterator();
        GetRecordsResponse first = side.getRecords(b -> b.shardIterator(iterator).limit(limit));
        GetRecordsResponse next = side.getRecords(b -> b.shardIterator(first.nextShardIterator()).limit(1));
        List<String> records = new ArrayList<>(records(first));
        records.add("then " + records(next));
        return new Read(records, next.records().isEmpty() && !first.records().isEmpty() ? first.millisBehindLatest()
            : null);
    }

    private List<String> readAll(KinesisClient side, String shardId, Consumer<GetShardIteratorRequest.Builder> from,
        int limit) {
        String iterator = side.getShardIterator(b -> from.accept(b.streamName(stream).shardId(shardId)))
            .shardIterator();
        List<String> all = new ArrayList<>();
        while (true) {
            String current = iterator;
            GetRecordsResponse response = side.getRecords(b -> b.shardIterator(current).limit(limit));
            all.addAll(records(response));
            if (response.records().isEmpty()) {
                return all;
            }
            iterator = response.nextShardIterator();
        }
    }

    private static List<String> records(GetRecordsResponse response) {
        return response.records().stream().map(EmulatorKinesisFastPathsIT::describe).toList();
    }

    private static String describe(Record record) {
        return record.sequenceNumber() + " " + record.partitionKey() + " " + record.data().asUtf8String();
    }
}
