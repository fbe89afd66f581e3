package za.co.personalisation.core.notify;

import java.util.Locale;

/**
 * Why a matched offer was not sent. The wire names appear in the {@code NotificationsSuppressed} metric's
 * {@code Reason} dimension, in the ledger's {@code reason} attribute and in the logs.
 */
public enum SuppressionReason {
    /** No consent for any of the offer's channels (notify), or consent withdrawn before sending (deliver). */
    NO_CONSENT,
    /** This customer × offer × channel was already notified within the ledger's retention. */
    DUPLICATE,
    /** The customer's daily or weekly cap for the channel was reached. */
    CAPPED,
    /** The profile is gone: the customer was erased. */
    NO_PROFILE,
    /** No contact details (or none for this channel): nothing to send to. */
    NO_CONTACT,
    /** The offer left the catalog between matching and sending. */
    OFFER_WITHDRAWN,
    /** The offer's validity window closed between matching and sending. */
    OFFER_EXPIRED,
    /** Replayed traffic reached a real channel queue: never sent to a customer. */
    REPLAYED_TRAFFIC,
    /** The email address hard-bounced or complained before: suppressed, as SES's account-level list would. */
    ADDRESS_SUPPRESSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
