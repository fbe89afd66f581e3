package za.co.personalisation.aws.log;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where structured log and EMF lines go. In Lambda that is standard output, which the runtime ships to CloudWatch
 * Logs; the local runtime installs its own sink to collect the lines and turn EMF into metrics.
 */
public interface LogSink {

    /** Writes one complete line (without the newline). Must be safe to call from several threads. */
    void line(String json);

    /** Whatever sink {@link JsonLog#setDefaultSink} installed last (standard output unless replaced). */
    static LogSink delegating() {
        return line -> JsonLog.defaultSink().line(line);
    }

    /** Standard output, one line at a time. */
    static LogSink stdout() {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);
        return line -> {
            synchronized (out) {
                out.println(line);
            }
        };
    }
}
