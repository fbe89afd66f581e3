package za.co.personalisation.aws.log;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that takes phone numbers and email addresses out of free text before it leaves the process: log
 * lines ({@link JsonLog}), dead-letter reasons and the exceptions the AWS SDK raises (so X-Ray subsegments and
 * anything that logs them see the scrubbed text; see {@code clients.ScrubbingInterceptor}).
 *
 * <p>Providers name the recipient in their errors: SNS's {@code AuthorizationError} ends "on resource:
 * +27821234567", SES's {@code MessageRejected} says "Email address not verified a@b.co". Such text is personal data
 * under POPIA wherever it lands, so every error text is scrubbed, not only the fields we name.
 *
 * <p>What counts as a phone number: a {@code +} and 8 to 15 digits (E.164, with spaces, dashes, dots or brackets
 * between them); a South African national number ({@code 0} and 9 digits, e.g. {@code 082 123 4567}); or a bare run
 * of 10 to 15 digits (an international number without its {@code +}). Digits inside a word, an ARN
 * ({@code :123456789012:}), a UUID or a longer run (a Kinesis sequence number) are left alone. The rule errs on the
 * side of scrubbing: an epoch-millisecond time inside an error text is scrubbed too.
 */
public final class PersonalData {

    /** What replaces a phone number. */
    public static final String PHONE = "[phone]";
    /** What replaces an email address. */
    public static final String EMAIL = "[email]";

    private static final Pattern EMAIL_ADDRESS = Pattern.compile(
        "[^\\s<>()\\[\\]{}\"',;:@]+@[^\\s<>()\\[\\]{}\"',;:@]+\\.[^\\s<>()\\[\\]{}\"',;:@.]{2,}");
    private static final Pattern PHONE_NUMBER = Pattern.compile(
        // E.164, possibly formatted: +27 82 123 4567, +27-82-123-4567, +1 (555) 010-9999
        "(?<![\\w+])\\+[1-9](?:[ ().-]{0,2}\\d){7,14}(?!\\d)"
            // South African national format: 0821234567, 082 123 4567, 082-123-4567
            + "|(?<![\\w:/.+-])0\\d{2}(?:[ -]?\\d){7}(?![\\w-]|\\.\\d)"
            // an international number without its plus: 27821234567
            + "|(?<![\\w:/.+-])\\d{10,15}(?![\\w:/-]|\\.\\d)");

    private PersonalData() {
    }

    /** {@code text} with every phone number and email address replaced; {@code null} stays {@code null}. */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String withoutEmail = replace(EMAIL_ADDRESS, text, EMAIL);
        return replace(PHONE_NUMBER, withoutEmail, PHONE);
    }

    /** True when {@link #scrub} would change {@code text}. */
    public static boolean contains(String text) {
        return text != null && (EMAIL_ADDRESS.matcher(text).find() || PHONE_NUMBER.matcher(text).find());
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.replaceAll(Matcher.quoteReplacement(replacement)) : text;
    }
}
