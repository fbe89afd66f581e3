package za.co.personalisation.feedback;

import java.time.Instant;
import java.util.List;
import za.co.personalisation.core.notify.DeliveryOutcome;
import za.co.personalisation.core.profile.Channel;

/** One message of the feedback queue, as {@link FeedbackEvents} reads it. */
sealed interface FeedbackEvent {

    /**
     * What the provider says became of a message it accepted: an SES event (email) or an SMS delivery receipt.
     *
     * @param type       the provider's event type, for metrics and logs (e.g. {@code Bounce}, {@code TEXT_DELIVERED})
     * @param outcome    what it means for the ledger, or {@code null} when it changes nothing (a transient bounce,
     *                   an open, a "queued" receipt)
     * @param detail     the provider's classification, never an address (e.g. {@code Permanent/General})
     * @param recipients the addresses the event is about (bounced or complained recipients); personal data, used
     *                   only to hash them for the suppression list and never logged
     */
    record ProviderEvent(Channel channel, String providerMessageId, String type, DeliveryOutcome outcome,
        Instant occurredAt, String detail, List<String> recipients) implements FeedbackEvent {

        @Override
        public String toString() {
            return "ProviderEvent[" + channel + ", " + providerMessageId + ", " + type + ", " + outcome + "]";
        }
    }

    /**
     * A reply to one of our SMS (End User Messaging two-way SMS).
     *
     * @param from                     the sender's number (E.164): personal data, hashed to find the customer and
     *                                 never logged
     * @param previousPublishedMessageId the id of the message it answers, when the provider knows it, else empty
     */
    record InboundSms(String from, String text, String inboundMessageId, String previousPublishedMessageId)
        implements FeedbackEvent {

        @Override
        public String toString() {
            return "InboundSms[" + inboundMessageId + "]";
        }
    }
}
