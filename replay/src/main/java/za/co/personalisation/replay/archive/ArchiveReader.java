package za.co.personalisation.replay.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads an archive's records in file order, optionally only those of some shards. Only the first {@code limit}
 * bytes are read: a capture that is still incomplete has committed that much (its checkpoint says how much), and
 * anything after it may be a half-written part.
 */
public final class ArchiveReader implements Iterator<ArchiveRecord>, AutoCloseable {

    private final Path path;
    private final BufferedReader lines;
    private final Predicate<ArchiveRecord> filter;
    private ArchiveRecord next;
    private long lineNumber;

    private ArchiveReader(Path path, InputStream in, Predicate<ArchiveRecord> filter) throws IOException {
        this.path = path;
        this.lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 64 * 1024),
            StandardCharsets.UTF_8), 64 * 1024);
        this.filter = filter;
        advance();
    }

    /** Every record of the archive's first {@code limit} bytes that {@code filter} accepts. */
    public static ArchiveReader open(Path path, long limit, Predicate<ArchiveRecord> filter) throws IOException {
        InputStream in = new BufferedInputStream(new LimitedStream(Files.newInputStream(path), limit), 64 * 1024);
        try {
            return new ArchiveReader(path, in, filter);
        } catch (EOFException e) {
            in.close();
            return empty(path);
        } catch (IOException e) {
            in.close();
            throw new IOException(path + " is not a gzip archive: " + e.getMessage(), e);
        }
    }

    public static ArchiveReader open(Path path) throws IOException {
        return open(path, Files.size(path), record -> true);
    }

    private static ArchiveReader empty(Path path) throws IOException {
        return new ArchiveReader(path, emptyGzip(), record -> true);
    }

    private void advance() throws IOException {
        next = null;
        String line;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            ArchiveRecord record;
            try {
                record = ArchiveRecord.fromLine(line);
            } catch (IllegalArgumentException e) {
                throw new IOException(path + " line " + lineNumber + ": " + e.getMessage(), e);
            }
            if (filter.test(record)) {
                next = record;
                return;
            }
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public ArchiveRecord next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        ArchiveRecord current = next;
        try {
            advance();
        } catch (EOFException e) {
            throw new UncheckedIOException(path + " ends in the middle of a record: the capture was interrupted;"
                + " run it again to resume (it cuts the file back to its last checkpoint)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return current;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    private static InputStream emptyGzip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new GZIPOutputStream(bytes).close();
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    /** Ends the stream after {@code limit} bytes. */
    private static final class LimitedStream extends FilterInputStream {

        private long remaining;

        LimitedStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
