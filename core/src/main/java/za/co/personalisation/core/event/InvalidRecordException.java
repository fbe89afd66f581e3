package za.co.personalisation.core.event;

/** A stream record that can never be applied; it goes to the failed-events queue with this reason. */
public final class InvalidRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String reason) {
        super(reason);
    }
}
