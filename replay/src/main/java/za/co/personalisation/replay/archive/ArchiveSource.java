package za.co.personalisation.replay.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * An archive's records in arrival order across shards, each shard's in its own order: a k-way merge of one reader
 * per shard over the same file (a first pass finds the shards and counts the records). Memory stays at one record
 * per shard whatever the archive's size.
 */
public final class ArchiveSource implements Iterator<ArchiveRecord>, AutoCloseable {

    private final List<ArchiveReader> readers = new ArrayList<>();
    private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing((Head head) ->
        head.record().arrival()).thenComparingInt(Head::reader));
    private final long size;

    private ArchiveSource(Path archive, long limit) throws IOException {
        Set<String> shards = new LinkedHashSet<>();
        long count = 0;
        try (ArchiveReader all = ArchiveReader.open(archive, limit, record -> true)) {
            while (all.hasNext()) {
                shards.add(all.next().shardId());
                count++;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        this.size = count;
        int index = 0;
        for (String shard : shards) {
            ArchiveReader reader = ArchiveReader.open(archive, limit, record -> record.shardId().equals(shard));
            readers.add(reader);
            if (reader.hasNext()) {
                heads.add(new Head(reader.next(), index));
            }
            index++;
        }
    }

    /**
     * Opens an archive; when a capture checkpoint lies beside it ({@code <archive>.checkpoint.json}), only the
     * part it has committed is read.
     */
    public static ArchiveSource open(Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException("no archive at " + archive);
        }
        Path checkpoint = checkpointFor(archive);
        long limit = Files.exists(checkpoint) ? Checkpoint.read(checkpoint).archiveBytes() : Files.size(archive);
        return new ArchiveSource(archive, limit);
    }

    /** The checkpoint file a capture keeps beside its archive. */
    public static Path checkpointFor(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".checkpoint.json");
    }

    /** Records in the archive. */
    public long size() {
        return size;
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public ArchiveRecord next() {
        Head head = heads.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        ArchiveReader reader = readers.get(head.reader());
        if (reader.hasNext()) {
            heads.add(new Head(reader.next(), head.reader()));
        }
        return head.record();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ArchiveReader reader : readers) {
            try {
                reader.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private record Head(ArchiveRecord record, int reader) {
    }
}
