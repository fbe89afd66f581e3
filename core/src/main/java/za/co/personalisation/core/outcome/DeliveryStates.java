package za.co.personalisation.core.outcome;

import za.co.personalisation.core.notify.DeliveryOutcome;

/**
 * How a ledger entry counts in the offer report and in attribution (docs/offers.md): the one place that maps an
 * entry's sending {@code status} and its delivery {@link DeliveryOutcome} (issue 17, section 1: written by the
 * delivery feedback on the entry) to "sent", "delivered", "bounced", "opted out" and "held out".
 *
 * <p><b>Delivered, for now, is "accepted by the provider"</b> ({@code status = sent}): until delivery receipts
 * reach the ledger on every stack, a message the provider accepted is taken as delivered. When they do,
 * {@link #delivered} returns {@code outcome != null && outcome.delivered()} instead (the commented line below):
 * attribution and the report follow from that one line.
 */
public final class DeliveryStates {

    /** Nothing sent: the customer is in the offer's control group. */
    public static final String HELD_OUT = "held_out";
    /** The provider accepted the message. */
    public static final String SENT = "sent";

    private DeliveryStates() {
    }

    /** Handed to the provider, whatever happened after. */
    public static boolean sent(String status) {
        return SENT.equals(status);
    }

    /** Reached the customer; the stand-in is "accepted by the provider" (see the class comment). */
    public static boolean delivered(String status, DeliveryOutcome outcome) {
        return sent(status); // with delivery receipts: return outcome != null && outcome.delivered();
    }

    /** The message could not be delivered: a hard bounce, a provider reject, an SMS that failed for good. */
    public static boolean bounced(DeliveryOutcome outcome) {
        return outcome != null && !outcome.delivered();
    }

    /** The customer opted out in answer to it: a STOP reply or a spam complaint. */
    public static boolean optedOut(DeliveryOutcome outcome) {
        return outcome == DeliveryOutcome.OPTED_OUT || outcome == DeliveryOutcome.COMPLAINED;
    }
}
