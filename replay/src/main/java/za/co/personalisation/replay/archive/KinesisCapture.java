package za.co.personalisation.replay.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import za.co.personalisation.replay.kinesis.ReplayBackoff;
import za.co.personalisation.replay.kinesis.ShardMap;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * Captures a window of a Kinesis stream, every shard (open, closed and those created while it runs), into a
 * gzip NDJSON archive (see {@link ArchiveWriter}), resumably.
 *
 * <p>Shards are read in turn with GetRecords (up to {@value #PAGE} records a call, at most five calls a second per
 * shard, Kinesis' read limit), from TRIM_HORIZON or AT_TIMESTAMP, or after the last sequence number of the
 * checkpoint when resuming. The archive is committed and the checkpoint saved every {@code commitEvery}, at the end,
 * and when asked to stop: a capture that is stopped or killed starts again where its checkpoint says, with no record
 * twice and none missing. Within a shard the archive keeps Kinesis' order; across shards records interleave, and
 * {@link ArchiveSource} merges them by arrival time for a replay.
 */
public final class KinesisCapture {

    static final int PAGE = 10_000;
    /** Kinesis allows five GetRecords calls per second per shard. */
    static final Duration MIN_CALL_INTERVAL = Duration.ofMillis(200);
    static final Duration CAUGHT_UP_POLL = Duration.ofSeconds(1);
    /** Arrival times are the broker's; a record put just before {@code to} may show up a little later. */
    static final Duration LATE_ARRIVAL_GRACE = Duration.ofSeconds(5);
    static final Duration RESHARD_CHECK = Duration.ofSeconds(30);

    /** What a run did. */
    public record Result(long records, long capturedNow, boolean complete, boolean stopped, Checkpoint checkpoint) {
    }

    /** Told after each commit. */
    @FunctionalInterface
    public interface Listener {
        void committed(Checkpoint checkpoint, int openShards, Instant lastArrival);
    }

    private final KinesisClient kinesis;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration commitEvery;
    private final RandomGenerator random;
    private final int pageSize;

    public KinesisCapture(KinesisClient kinesis, Clock clock, Sleeper sleeper, Duration commitEvery,
        RandomGenerator random) {
        this(kinesis, clock, sleeper, commitEvery, random, PAGE);
    }

    /** With GetRecords pages of {@code pageSize} records (tests use small ones to commit often). */
    KinesisCapture(KinesisClient kinesis, Clock clock, Sleeper sleeper, Duration commitEvery, RandomGenerator random,
        int pageSize) {
        this.kinesis = kinesis;
        this.clock = clock;
        this.sleeper = sleeper;
        this.commitEvery = commitEvery;
        this.random = random;
        this.pageSize = pageSize;
    }

    /**
     * Captures {@code window} of {@code stream} into {@code archive}, resuming from {@code checkpointFile} when it
     * exists. Returns when every shard is done, or soon after {@code stop} is set (having committed).
     *
     * @throws IOException when the archive or checkpoint cannot be written, or they belong to another capture
     */
    public Result run(String stream, CaptureWindow window, Path archive, Path checkpointFile, AtomicBoolean stop,
        Listener listener) throws IOException, InterruptedException {
        Checkpoint checkpoint = begin(stream, window, archive, checkpointFile);
        if (checkpoint.complete()) {
            return new Result(checkpoint.records(), 0, true, false, checkpoint);
        }
        Map<String, ShardState> shards = new LinkedHashMap<>();
        checkpoint.shards().forEach((id, position) -> shards.put(id, new ShardState(id, position)));
        long before = checkpoint.records();
        try (ArchiveWriter writer = ArchiveWriter.open(archive, checkpoint.archiveBytes())) {
            discover(stream, shards);
            Instant lastDiscovery = clock.instant();
            Instant lastCommit = clock.instant();
            Instant lastArrival = null;
            long uncommitted = 0;
            while (!stop.get() && shards.values().stream().anyMatch(shard -> !shard.done)) {
                boolean called = false;
                boolean closedOne = false;
                for (ShardState shard : shards.values()) {
                    if (shard.done || stop.get() || clock.instant().isBefore(shard.nextCall)) {
                        continue;
                    }
                    called = true;
                    Page page = read(stream, window, shard);
                    for (Record record : page.records()) {
                        Instant arrival = record.approximateArrivalTimestamp();
                        if (window.to() != null && !arrival.isBefore(window.to())) {
                            shard.done = true;
                            break;
                        }
                        writer.write(new ArchiveRecord(shard.id, record.sequenceNumber(), arrival,
                            record.partitionKey(), record.data().asByteArray()));
                        shard.last = record.sequenceNumber();
                        lastArrival = arrival;
                        uncommitted++;
                    }
                    closedOne |= page.closed();
                    if (!shard.done) {
                        shard.done = page.closed() || (page.caughtUp() && windowOver(window));
                    }
                }
                Instant now = clock.instant();
                if (closedOne || (window.follow() && !now.isBefore(lastDiscovery.plus(RESHARD_CHECK)))) {
                    discover(stream, shards);
                    lastDiscovery = now;
                }
                if (uncommitted > 0 && (!now.isBefore(lastCommit.plus(commitEvery)) || uncommitted >= pageSize)) {
                    checkpoint = commit(writer, checkpoint, shards, before, checkpointFile);
                    listener.committed(checkpoint, open(shards), lastArrival);
                    lastCommit = now;
                    uncommitted = 0;
                }
                if (!called) {
                    sleeper.sleep(Duration.ofMillis(50));
                }
            }
            checkpoint = commit(writer, checkpoint, shards, before, checkpointFile);
            listener.committed(checkpoint, open(shards), lastArrival);
        }
        return new Result(checkpoint.records(), checkpoint.records() - before, checkpoint.complete(),
            !checkpoint.complete(), checkpoint);
    }

    private Checkpoint begin(String stream, CaptureWindow window, Path archive, Path checkpointFile)
        throws IOException {
        if (Files.exists(checkpointFile)) {
            Checkpoint checkpoint = Checkpoint.read(checkpointFile);
            if (!checkpoint.stream().equals(stream) || !checkpoint.window().equals(window.describe())) {
                throw new IOException(checkpointFile + " belongs to another capture (stream " + checkpoint.stream()
                    + ", window " + checkpoint.window() + "); choose another --out, or delete " + archive + " and "
                    + checkpointFile + " to start again");
            }
            return checkpoint;
        }
        if (Files.exists(archive) && Files.size(archive) > 0) {
            throw new IOException(archive + " exists and has no checkpoint (" + checkpointFile + "); refusing to"
                + " overwrite it: choose another --out or delete it");
        }
        Checkpoint checkpoint = Checkpoint.start(stream, window.describe(), clock.instant());
        checkpoint.save(checkpointFile);
        return checkpoint;
    }

    private void discover(String stream, Map<String, ShardState> shards) {
        for (Shard shard : ShardMap.listShards(kinesis, stream)) {
            shards.computeIfAbsent(shard.shardId(), id -> new ShardState(id, new Checkpoint.ShardPosition(null,
                false)));
        }
    }

    private Page read(String stream, CaptureWindow window, ShardState shard) throws InterruptedException {
        try {
            if (shard.iterator == null) {
                shard.iterator = iterator(stream, window, shard);
            }
            GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(shard.iterator).limit(pageSize));
            shard.iterator = response.nextShardIterator();
            shard.failures = 0;
            boolean caughtUp = response.records().isEmpty() && (response.millisBehindLatest() == null
                || response.millisBehindLatest() == 0);
            shard.nextCall = clock.instant().plus(caughtUp ? CAUGHT_UP_POLL : MIN_CALL_INTERVAL);
            return new Page(response.records(), response.nextShardIterator() == null, caughtUp);
        } catch (ExpiredIteratorException e) {
            shard.iterator = null;
            return new Page(List.of(), false, false);
        } catch (ProvisionedThroughputExceededException e) {
            shard.nextCall = clock.instant().plus(ReplayBackoff.STANDARD.delay(shard.failures++, random));
            return new Page(List.of(), false, false);
        }
    }

    private String iterator(String stream, CaptureWindow window, ShardState shard) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamName(stream)
            .shardId(shard.id);
        if (shard.last != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(shard.last);
        } else if (window.from() != null) {
            request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(window.from());
        } else {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        }
        return kinesis.getShardIterator(request.build()).shardIterator();
    }

    /** A caught-up shard is done unless the window still lies (partly) in the future or the capture follows. */
    private boolean windowOver(CaptureWindow window) {
        Instant now = clock.instant();
        if (window.to() != null) {
            return !now.isBefore(window.to().plus(LATE_ARRIVAL_GRACE));
        }
        return !window.follow();
    }

    private Checkpoint commit(ArchiveWriter writer, Checkpoint checkpoint, Map<String, ShardState> shards,
        long before, Path checkpointFile) throws IOException {
        long length = writer.commit();
        Map<String, Checkpoint.ShardPosition> positions = new LinkedHashMap<>();
        shards.forEach((id, shard) -> positions.put(id, new Checkpoint.ShardPosition(shard.last, shard.done)));
        boolean complete = shards.values().stream().allMatch(shard -> shard.done);
        Checkpoint next = checkpoint.with(length, before + writer.records(), positions, complete, clock.instant());
        next.save(checkpointFile);
        return next;
    }

    private static int open(Map<String, ShardState> shards) {
        return (int) shards.values().stream().filter(shard -> !shard.done).count();
    }

    private record Page(List<Record> records, boolean closed, boolean caughtUp) {
    }

    /** A shard's reading state; only the capture's thread touches it. */
    private static final class ShardState {
        private final String id;
        private String last;
        private boolean done;
        private String iterator;
        private Instant nextCall = Instant.MIN;
        private int failures;

        ShardState(String id, Checkpoint.ShardPosition position) {
            this.id = id;
            this.last = position.lastSequenceNumber();
            this.done = position.done();
        }
    }
}
