package za.co.personalisation.core.event;

import java.util.Objects;

/**
 * A customer's contact details from {@code PUT /customers/{id}/contact}: personal data. It goes to the contacts
 * table only, never onto the stream, into a log, a metric or a trace; {@link #toString()} masks it.
 *
 * @param phone    E.164, or {@code null}
 * @param email    or {@code null}; at least one of phone and email is set
 * @param locale   BCP 47 tag, e.g. {@code en-ZA}
 * @param timeZone IANA zone, e.g. {@code Africa/Johannesburg}
 */
public record ContactDetails(String customerId, String phone, String email, String locale, String timeZone) {

    public ContactDetails {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(timeZone, "timeZone");
        if (phone == null && email == null) {
            throw new IllegalArgumentException("a contact needs a phone number, an email address or both");
        }
    }

    @Override
    public String toString() {
        return "ContactDetails[customerId=" + customerId + ", phone=" + (phone == null ? "none" : "***")
            + ", email=" + (email == null ? "none" : "***") + ", locale=" + locale + ", timeZone=" + timeZone + "]";
    }
}
