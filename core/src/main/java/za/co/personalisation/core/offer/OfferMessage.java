package za.co.personalisation.core.offer;

import java.util.Objects;

/**
 * An offer's text in one locale. The SMS text excludes the opt-out line, which rendering appends.
 */
public record OfferMessage(String sms, String emailSubject, String emailBody) {

    public OfferMessage {
        Objects.requireNonNull(sms, "sms");
        Objects.requireNonNull(emailSubject, "emailSubject");
        Objects.requireNonNull(emailBody, "emailBody");
    }
}
