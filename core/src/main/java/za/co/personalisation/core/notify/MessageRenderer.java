package za.co.personalisation.core.notify;

import java.util.Objects;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferMessage;
import za.co.personalisation.core.profile.Channel;

/**
 * Renders an offer for a channel and locale. Every message carries an opt-out (POPIA s69(4)): SMS ends with
 * {@value #SMS_OPT_OUT} and fits one 160-character GSM-7 segment; email ends with an unsubscribe link.
 */
public final class MessageRenderer {

    public static final String SMS_OPT_OUT = " Reply STOP to opt out.";
    public static final int SMS_SEGMENT = 160;

    private static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM7_EXTENDED = "^{}\\[~]|€\f";

    /** A rendered message; {@code subject} is empty for SMS. */
    public record Rendered(Channel channel, String subject, String body) {
    }

    private final String unsubscribeBaseUrl;

    /** @param unsubscribeBaseUrl the customer's id is appended to it, e.g. {@code https://example/unsubscribe/} */
    public MessageRenderer(String unsubscribeBaseUrl) {
        this.unsubscribeBaseUrl = Objects.requireNonNull(unsubscribeBaseUrl, "unsubscribeBaseUrl");
    }

    public Rendered render(Offer offer, Channel channel, String locale, String customerId) {
        OfferMessage message = offer.messageFor(locale);
        if (channel == Channel.SMS) {
            return new Rendered(channel, "", message.sms() + SMS_OPT_OUT);
        }
        String link = unsubscribeBaseUrl + customerId;
        return new Rendered(channel, message.emailSubject(), message.emailBody()
            + "\n\n--\nYou receive this because you agreed to offers by email. Unsubscribe: " + link);
    }

    /** What is wrong with an SMS template (without the opt-out), or {@code null} when it renders in one segment. */
    public static String smsProblem(String text) {
        int septets = gsm7Septets(text + SMS_OPT_OUT);
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
    static int gsm7Septets(String text) {
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
