package za.co.personalisation.core.notify;

import java.util.Locale;
import java.util.Set;

/**
 * Which inbound SMS texts are opt-outs: the words the messages advertise
 * ({@link za.co.personalisation.core.offer.SmsText#optOut}: "Reply STOP to opt out.", "Antwoord STOP om te
 * onttrek.") and the ones carriers and AWS End User Messaging treat as
 * opt-out keywords by default. A reply is an opt-out when, ignoring case, surrounding space and closing punctuation,
 * it is one of these words and nothing else: "stop!" is, "don't stop" is not.
 */
public final class OptOutReplies {

    /** Every word an SMS advertises must be in here (OptOutRepliesTest checks each language's line). */
    public static final Set<String> KEYWORDS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
        "OPTOUT", "OPT-OUT");

    private OptOutReplies() {
    }

    /** Whether an inbound text opts out. */
    public static boolean isOptOut(String text) {
        if (text == null) {
            return false;
        }
        String word = text.strip().toUpperCase(Locale.ROOT);
        while (!word.isEmpty() && ".!?,;".indexOf(word.charAt(word.length() - 1)) >= 0) {
            word = word.substring(0, word.length() - 1).strip();
        }
        return KEYWORDS.contains(word);
    }

    /** The word an opt-out line advertises: the upper-case word after "Reply"/"Antwoord", or {@code null}. */
    public static String advertised(String optOutLine) {
        for (String word : optOutLine.strip().split("\\s+")) {
            String bare = word.replaceAll("[^A-Za-z-]", "");
            if (bare.length() > 1 && bare.equals(bare.toUpperCase(Locale.ROOT))) {
                return bare;
            }
        }
        return null;
    }
}
