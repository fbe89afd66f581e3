package za.co.personalisation.core.offer;

import java.util.Map;

/**
 * The SMS rule an offer's text must meet (POPIA s69(4) and one message's length): with the opt-out line of its
 * language ({@value #OPT_OUT} in English) appended, it fits one {@value #SEGMENT}-character GSM-7 segment. The
 * catalog checks it when an offer is built; the renderer appends the same line.
 */
public final class SmsText {

    /** The English SMS opt-out line, appended to every English SMS. */
    public static final String OPT_OUT = " Reply STOP to opt out.";
    public static final int SEGMENT = 160;

    /** SMS opt-out line by language; a language not listed gets the English one. STOP works in every one. */
    private static final Map<String, String> OPT_OUTS = Map.of(
        "en", OPT_OUT,
        "af", " Antwoord STOP om te onttrek.");

    private static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM7_EXTENDED = "^{}\\[~]|€\f";

    private SmsText() {
    }

    /** The opt-out line an SMS in this language ends with. */
    public static String optOut(String language) {
        return OPT_OUTS.getOrDefault(language, OPT_OUT);
    }

    /** What is wrong with an English SMS template, or {@code null} when it renders in one segment. */
    public static String problem(String text) {
        return problem(text, Offer.DEFAULT_LOCALE);
    }

    /**
     * What is wrong with an SMS template (without the opt-out) for a locale, or {@code null} when it renders, with
     * that locale's opt-out line, in one segment.
     */
    public static String problem(String text, String locale) {
        if (text.isBlank()) {
            return "the SMS text is empty";
        }
        int septets = gsm7Septets(text + optOut(Offer.language(locale)));
        if (septets < 0) {
            return "the SMS text has a character outside the GSM-7 alphabet";
        }
        if (septets > SEGMENT) {
            return "the SMS text with the opt-out is " + septets + " GSM-7 characters; at most " + SEGMENT
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
