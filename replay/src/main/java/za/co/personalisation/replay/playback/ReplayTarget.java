package za.co.personalisation.replay.playback;

/** Where replayed records go: a Kinesis stream or the event API. Used by one thread. */
public interface ReplayTarget {

    /** Takes a record; may wait to respect the target's limits, and may send a batch. */
    void send(EnvelopeRewriter.Rewritten record) throws InterruptedException;

    /** Sends whatever is held back. */
    void flush() throws InterruptedException;

    /** What it is, for messages: "stream interest-events-local (2 shards)". */
    String describe();
}
