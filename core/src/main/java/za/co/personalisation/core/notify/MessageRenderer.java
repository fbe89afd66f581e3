package za.co.personalisation.core.notify;

import java.util.Map;
import java.util.Objects;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferMessage;
import za.co.personalisation.core.profile.Channel;

/**
 * Renders an offer for a channel and locale. Every message carries an opt-out (POPIA s69(4)): an SMS ends with the
 * opt-out line of its language ({@value #SMS_OPT_OUT} in English) and fits one 160-character GSM-7 segment; an
 * email ends with an unsubscribe link.
 */
public final class MessageRenderer {

    /** The English SMS opt-out line, appended to every English SMS. */
    public static final String SMS_OPT_OUT = " Reply STOP to opt out.";
    public static final int SMS_SEGMENT = 160;

    /** SMS opt-out line by language; a language not listed gets the English one. STOP works in every one. */
    private static final Map<String, String> SMS_OPT_OUTS = Map.of(
        "en", SMS_OPT_OUT,
        "af", " Antwoord STOP om te onttrek.");

    /** Email footer by language; {@code %s} is the unsubscribe link. Each keeps the word "Unsubscribe". */
    private static final Map<String, String> EMAIL_FOOTERS = Map.of(
        "en", "\n\n--\nYou receive this because you agreed to offers by email. Unsubscribe: %s",
        "af", "\n\n--\nJy ontvang dit omdat jy ingestem het tot aanbiedinge per e-pos. Teken uit / Unsubscribe: %s");

    private static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM7_EXTENDED = "^{}\\[~]|€\f";

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
            return new Rendered(channel, "", message.sms() + smsOptOut(language), used, "");
        }
        String link = unsubscribeBaseUrl + customerId;
        String footer = EMAIL_FOOTERS.getOrDefault(language, EMAIL_FOOTERS.get("en"));
        return new Rendered(channel, message.emailSubject(), message.emailBody() + String.format(footer, link), used,
            link);
    }

    /** The opt-out line an SMS in this language ends with. */
    public static String smsOptOut(String language) {
        return SMS_OPT_OUTS.getOrDefault(language, SMS_OPT_OUT);
    }

    /** What is wrong with an English SMS template, or {@code null} when it renders in one segment. */
    public static String smsProblem(String text) {
        return smsProblem(text, Offer.DEFAULT_LOCALE);
    }

    /**
     * What is wrong with an SMS template (without the opt-out) for a locale, or {@code null} when it renders, with
     * that locale's opt-out line, in one segment.
     */
    public static String smsProblem(String text, String locale) {
        if (text.isBlank()) {
            return "the SMS text is empty";
        }
        int septets = gsm7Septets(text + smsOptOut(Offer.language(locale)));
        if (septets < 0) {
            return "the SMS text has a character outside the GSM-7 alphabet";
        }
        if (septets > SMS_SEGMENT) {
            return "the SMS text with the opt-out is " + septets + " GSM-7 characters; at most " + SMS_SEGMENT
                + " fit one message";
        }
        return null;
    }

    /** Septets needed to encode {@code text} in GSM-7, or -1 when a character is not in the alphabet. */
    public static int gsm7Septets(String text) {
        int septets = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (GSM7_BASIC.indexOf(c) >= 0) {
                septets++;
            } else if (GSM7_EXTENDED.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return -1;
            }
        }
        return septets;
    }
}
