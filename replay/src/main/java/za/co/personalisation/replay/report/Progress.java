package za.co.personalisation.replay.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A live progress line on stderr: a bar, counts, the achieved rate and an ETA. On a terminal the line is redrawn
 * in place; when stderr is a file or a pipe a plain line is written every few seconds instead.
 */
public final class Progress {

    private static final int WIDTH = 28;
    private static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private final PrintStream out;
    private final boolean terminal;
    private long lastPlainNanos;
    private int lastLength;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Draws the line (or, off a terminal, writes it when enough time has passed since the last). */
    public synchronized void show(String phase, long done, long total, double ratePerSecond, Duration eta,
        String details) {
        long now = System.nanoTime();
        if (!terminal && now - lastPlainNanos < PLAIN_EVERY.toNanos() && done < total) {
            return;
        }
        lastPlainNanos = now;
        String line = line(phase, done, total, ratePerSecond, eta, details);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the in-place line, so that what follows starts on a line of its own. */
    public synchronized void done() {
        if (terminal && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }

    static String line(String phase, long done, long total, double ratePerSecond, Duration eta, String details) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        return String.format(Locale.ROOT, "%-8s [%s%s] %,d/%,d %3.0f%% | %,.0f/s | ETA %s%s", phase,
            "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, fraction * 100, ratePerSecond,
            eta == null ? "--:--" : clock(eta), details.isEmpty() ? "" : " | " + details);
    }

    static String clock(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
            seconds % 60) : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
