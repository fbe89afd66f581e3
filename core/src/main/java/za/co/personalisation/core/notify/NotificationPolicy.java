package za.co.personalisation.core.notify;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Profile;

/**
 * Decides whether, and on which channel, an offer may go to a customer. Pure.
 *
 * <p>POPIA s69: direct marketing by SMS or email only with the customer's consent for that channel. Among the
 * offer's channels with consent granted, a preference order given by the caller wins (no profile attribute holds
 * one today: the unwritten {@code channelPreference} was removed in issue 16); otherwise the offer's order (the
 * marketer's preference). With no consented channel the offer is suppressed for
 * lack of consent.
 */
public final class NotificationPolicy {

    /** The outcome: a channel to send on, or a suppression reason. */
    public record Decision(Channel channel, SuppressionReason suppressedBecause) {

        public boolean send() {
            return channel != null;
        }
    }

    /** The channels the customer agreed to be marketed on. */
    public Set<Channel> reachable(Profile profile) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (Channel channel : Channel.values()) {
            if (profile.consentFor(channel).granted()) {
                channels.add(channel);
            }
        }
        return channels;
    }

    public Decision decide(Profile profile, Offer offer) {
        return decide(profile, offer, List.of());
    }

    /**
     * @param preference the customer's channels in order of preference, empty when unknown; channels it leaves
     *                   out follow in the offer's order
     */
    public Decision decide(Profile profile, Offer offer, List<Channel> preference) {
        for (Channel channel : preference) {
            if (offer.channels().contains(channel) && profile.consentFor(channel).granted()) {
                return new Decision(channel, null);
            }
        }
        for (Channel channel : offer.channels()) {
            if (profile.consentFor(channel).granted()) {
                return new Decision(channel, null);
            }
        }
        return new Decision(null, SuppressionReason.NO_CONSENT);
    }
}
