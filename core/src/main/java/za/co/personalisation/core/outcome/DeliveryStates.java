package za.co.personalisation.core.outcome;

import za.co.personalisation.core.notify.DeliveryOutcome;

/**
 * How a ledger entry counts in the offer report and in attribution (docs/offers.md): the one place that maps an
 * entry's sending {@code status} and its delivery {@link DeliveryOutcome} (issue 17, section 1: written by the
 * delivery feedback on the entry) to "sent", "delivered", "bounced", "opted out" and "held out".
 *
 * <p><b>Delivered</b> means confirmed: the provider accepted it and a delivery event says it reached the customer
 * ({@link DeliveryOutcome#delivered()}). <b>Attributable</b> is what a conversion may be credited to: sent and not
 * known to have failed. Receipts can come up to 72 hours late, so a conversion recorded before its message's receipt
 * still finds the message, while a bounced, rejected or failed one never earns credit. The report's sent group (its
 * customers, rates and uplift) is the attributable one, so numerator and denominator agree.
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

    /** Confirmed as reached by a delivery event (a receipt, a delivery notice, a complaint or a STOP reply). */
    public static boolean delivered(String status, DeliveryOutcome outcome) {
        return sent(status) && outcome != null && outcome.delivered();
    }

    /** Sent and not known to have failed: confirmed delivered, or still waiting for its receipt. */
    public static boolean attributable(String status, DeliveryOutcome outcome) {
        return sent(status) && (outcome == null || outcome.delivered());
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
