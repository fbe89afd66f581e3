package za.co.personalisation.core.notify;

import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Profile;

/**
 * Decides whether, and on which channel, an offer may go to a customer. Pure.
 *
 * <p>POPIA s69: direct marketing by SMS or email only with the customer's consent for that channel. The first of
 * the offer's channels (its order is the preference) with consent granted is chosen; with none, the offer is
 * suppressed for lack of consent.
 */
public final class NotificationPolicy {

    /** The outcome: a channel to send on, or a suppression reason. */
    public record Decision(Channel channel, SuppressionReason suppressedBecause) {

        public boolean send() {
            return channel != null;
        }
    }

    /** Why a matched offer was not sent; the wire names appear in metrics and in the ledger. */
    public enum SuppressionReason {
        NO_CONSENT,
        DUPLICATE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Decision decide(Profile profile, Offer offer) {
        for (Channel channel : offer.channels()) {
            if (profile.consentFor(channel).granted()) {
                return new Decision(channel, null);
            }
        }
        return new Decision(null, SuppressionReason.NO_CONSENT);
    }
}
