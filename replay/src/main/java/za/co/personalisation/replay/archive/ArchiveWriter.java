package za.co.personalisation.replay.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/**
 * Appends records to a gzip-compressed NDJSON archive, in a way that survives being killed at any moment.
 *
 * <p>The file is a sequence of complete gzip members (gzip readers, {@link java.util.zip.GZIPInputStream}
 * included, read concatenated members as one stream). {@link #commit()} ends the current member, forces it to
 * disk and returns the file's length: everything up to that length is a valid archive. A resumed capture opens
 * the file at its last committed length, cutting off whatever was written after the last commit, so no record
 * is ever in the archive twice and none is missing.
 */
public final class ArchiveWriter implements AutoCloseable {

    private final FileChannel channel;
    private final CountingStream file;
    private GZIPOutputStream member;
    private long committed;
    private long records;

    private ArchiveWriter(FileChannel channel, long length) {
        this.channel = channel;
        this.file = new CountingStream(Channels.newOutputStream(channel), length);
        this.committed = length;
    }

    /**
     * Opens {@code path} for appending after its first {@code committedLength} bytes (0 = a new archive), cutting
     * off anything beyond them.
     */
    public static ArchiveWriter open(Path path, long committedLength) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long size = channel.size();
        if (size < committedLength) {
            channel.close();
            throw new IOException(path + " is shorter (" + size + " bytes) than its checkpoint says ("
                + committedLength + "); it was changed since: start again with a new --out");
        }
        channel.truncate(committedLength);
        channel.position(committedLength);
        return new ArchiveWriter(channel, committedLength);
    }

    public void write(ArchiveRecord record) throws IOException {
        if (member == null) {
            member = new GZIPOutputStream(file, 64 * 1024);
        }
        member.write(record.toLine().getBytes(StandardCharsets.UTF_8));
        member.write('\n');
        records++;
    }

    /** Ends the current gzip member and forces the file to disk; returns the committed length. */
    public long commit() throws IOException {
        if (member != null) {
            member.close(); // writes the member's trailer and frees its deflater; the file stays open
            member = null;
        }
        file.flush();
        channel.force(false);
        committed = file.count();
        return committed;
    }

    /** Records written by this writer (since it was opened). */
    public long records() {
        return records;
    }

    public long committedLength() {
        return committed;
    }

    @Override
    public void close() throws IOException {
        try {
            commit();
        } finally {
            channel.close();
        }
    }

    /** Counts bytes so that the committed length is known without asking the file system. */
    private static final class CountingStream extends FilterOutputStream {

        private long count;

        CountingStream(OutputStream out, long start) {
            super(out);
            this.count = start;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }

        long count() {
            return count;
        }

        @Override
        public void close() {
            // the channel is closed by the writer
        }
    }
}
