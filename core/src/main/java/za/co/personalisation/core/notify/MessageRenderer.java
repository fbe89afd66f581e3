package za.co.personalisation.core.notify;

import java.util.Map;
import java.util.Objects;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferMessage;
import za.co.personalisation.core.offer.SmsText;
import za.co.personalisation.core.profile.Channel;

/**
 * Renders an offer for a channel and locale. Every message carries an opt-out (POPIA s69(4)): an SMS ends with the
 * opt-out line of its language and fits one GSM-7 segment ({@link SmsText}); an
 * email ends with an unsubscribe link.
 */
public final class MessageRenderer {

    /** Email footer by language; {@code %s} is the unsubscribe link. Each keeps the word "Unsubscribe". */
    private static final Map<String, String> EMAIL_FOOTERS = Map.of(
        "en", "\n\n--\nYou receive this because you agreed to offers by email. Unsubscribe: %s",
        "af", "\n\n--\nJy ontvang dit omdat jy ingestem het tot aanbiedinge per e-pos. Teken uit / Unsubscribe: %s");

    /**
     * A rendered message; {@code subject} is empty for SMS.
     *
     * @param locale   the locale of the template used (the customer's, or the fallback)
     * @param listUnsubscribe the unsubscribe link for the email's List-Unsubscribe header, empty for SMS
     */
    public record Rendered(Channel channel, String subject, String body, String locale, String listUnsubscribe) {
    }

    private final String unsubscribeBaseUrl;

    /** @param unsubscribeBaseUrl the customer's id is appended to it, e.g. {@code https://example/unsubscribe/} */
    public MessageRenderer(String unsubscribeBaseUrl) {
        this.unsubscribeBaseUrl = Objects.requireNonNull(unsubscribeBaseUrl, "unsubscribeBaseUrl");
    }

    public Rendered render(Offer offer, Channel channel, String locale, String customerId) {
        String used = offer.localeFor(locale);
        OfferMessage message = offer.messages().get(used);
        String language = Offer.language(used);
        if (channel == Channel.SMS) {
            return new Rendered(channel, "", message.sms() + SmsText.optOut(language), used, "");
        }
        String link = unsubscribeBaseUrl + customerId;
        String footer = EMAIL_FOOTERS.getOrDefault(language, EMAIL_FOOTERS.get("en"));
        return new Rendered(channel, message.emailSubject(), message.emailBody() + String.format(footer, link), used,
            link);
    }
}
