package za.co.personalisation.replay.archive;

import java.time.Instant;

/**
 * Which records a capture takes from each shard: from the oldest one kept ({@code from == null}, TRIM_HORIZON) or
 * from the first that arrived at or after {@code from} (AT_TIMESTAMP), up to the last that arrived before
 * {@code to} ({@code null}: up to the end of the stream as it is when the capture catches up). {@code follow} keeps
 * reading new records until interrupted, or until {@code to} has passed.
 */
public record CaptureWindow(Instant from, Instant to, boolean follow) {

    public CaptureWindow {
        if (from != null && to != null && !to.isAfter(from)) {
            throw new IllegalArgumentException("the window ends (" + to + ") before it starts (" + from + ")");
        }
    }

    public static CaptureWindow trimHorizon() {
        return new CaptureWindow(null, null, false);
    }

    /** As stored in the checkpoint: a resumed capture must ask for the same window. */
    public String describe() {
        return (from == null ? "TRIM_HORIZON" : "AT_TIMESTAMP " + from) + " .. " + (to == null ? "end" : to)
            + (follow ? " (follow)" : "");
    }

    public boolean includes(Instant arrival) {
        return (from == null || !arrival.isBefore(from)) && (to == null || arrival.isBefore(to));
    }
}
