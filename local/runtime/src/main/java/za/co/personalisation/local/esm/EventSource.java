package za.co.personalisation.local.esm;

/** A running event source mapping: polls its source and invokes its function until stopped. */
public interface EventSource extends AutoCloseable {

    /** Starts polling on threads of its own. */
    void start();

    /** A one-line description for the console: function, source, records handled. */
    String describe();

    /** The function this mapping invokes (its logical id in template.yaml). */
    default String functionId() {
        return describe().split(" ", 2)[0];
    }

    /** Records (or messages) handed to the function so far. */
    long delivered();

    /** Records (or messages) FilterCriteria dropped so far. */
    default long filtered() {
        return 0;
    }

    /** Records read from the source and not yet done with (buffered or in an invocation). */
    default long inFlight() {
        return 0;
    }

    @Override
    void close();
}
