package za.co.personalisation.core.outcome;

import java.util.Set;

/**
 * How a ledger entry's {@code status} counts in the offer report and in attribution (docs/offers.md): the one place
 * that maps the ledger's states to "sent", "delivered", "bounced", "opted out" and "held out".
 *
 * <p><b>Delivered, for now, is "accepted by the provider"</b> ({@code sent}): until delivery receipts are recorded on
 * the ledger (issue 17, section 1), a message the provider accepted is taken as delivered. When the ledger learns a
 * {@code delivered} state, {@link #DELIVERED} becomes {@code Set.of("delivered")}: attribution and the report follow
 * from that one line.
 */
public final class DeliveryStates {

    /** Nothing sent: the customer is in the offer's control group. */
    public static final String HELD_OUT = "held_out";
    /** Reached the customer: the stand-in is "accepted by the provider" (see the class comment). */
    public static final Set<String> DELIVERED = Set.of("sent");
    /** Handed to the provider, whatever happened after. */
    public static final Set<String> SENT = Set.of("sent", "delivered", "bounced", "complained", "opted_out",
        "undelivered");
    /** The provider could not deliver it (a bounce, an SMS that failed on the network). */
    public static final Set<String> BOUNCED = Set.of("bounced", "undelivered");
    /** The customer opted out in answer to it (STOP, a complaint, the unsubscribe link). */
    public static final Set<String> OPTED_OUT = Set.of("opted_out", "complained");

    private DeliveryStates() {
    }

    public static boolean delivered(String status) {
        return DELIVERED.contains(status);
    }
}
