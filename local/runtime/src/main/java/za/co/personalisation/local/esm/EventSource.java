package za.co.personalisation.local.esm;

/** A running event source mapping: polls its source and invokes its function until stopped. */
public interface EventSource extends AutoCloseable {

    /** Starts polling on threads of its own. */
    void start();

    /** A one-line description for the console: function, source, records handled. */
    String describe();

    /** Records (or messages) handed to the function so far. */
    long delivered();

    @Override
    void close();
}
