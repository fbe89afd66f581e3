package za.co.personalisation.core.notify;

import java.util.Locale;

/**
 * What became of a message after the provider accepted it, as its delivery events tell (SES event publishing for
 * email, SMS delivery receipts, a STOP reply). Recorded on the notification's ledger entry ({@code delivery}).
 *
 * <p>Events arrive at least once and in any order; each outcome has a rank and an entry only ever moves to a higher
 * rank, so a repeated or late event changes nothing: a {@code delivered} receipt arriving after the complaint about
 * the same email leaves {@code complained}.
 */
public enum DeliveryOutcome {
    /** The provider handed the message to the recipient's mail server or handset. */
    DELIVERED(1, true),
    /** A permanent (hard) bounce: the address does not exist or refuses mail. Stops email to the address. */
    BOUNCED(2, false),
    /** The provider refused to send it (SES reject: e.g. a virus in the content). */
    REJECTED(2, false),
    /** The SMS could not be delivered for good (unreachable handset, invalid number, carrier block). */
    FAILED(2, false),
    /** The recipient marked the email as spam. It was delivered. Stops email to the address. */
    COMPLAINED(3, true),
    /** The recipient answered the SMS with STOP. It was delivered. SMS consent is revoked. */
    OPTED_OUT(3, true);

    private final int rank;
    private final boolean delivered;

    DeliveryOutcome(int rank, boolean delivered) {
        this.rank = rank;
        this.delivered = delivered;
    }

    /** Higher replaces lower; equal or lower is a repeat or an out-of-order event and changes nothing. */
    public int rank() {
        return rank;
    }

    /** Whether the message reached the customer (counts as delivered in reports and for attribution). */
    public boolean delivered() {
        return delivered;
    }

    /** Whether this outcome stops email to the address, as SES's account-level suppression list would. */
    public boolean suppressesEmail() {
        return this == BOUNCED || this == COMPLAINED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of a wire name, or {@code null} when it is not one. */
    public static DeliveryOutcome fromWire(String wire) {
        if (wire == null) {
            return null;
        }
        for (DeliveryOutcome outcome : values()) {
            if (outcome.wireName().equals(wire)) {
                return outcome;
            }
        }
        return null;
    }
}
