package za.co.personalisation.core.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.ConversionEvent;

class AttributionTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private final Attribution attribution = new Attribution(Duration.ofDays(7));

    private static ConversionEvent conversion(String interest, String offerId, Instant at) {
        return new ConversionEvent("c-1", "12345", interest, offerId, new BigDecimal("100.00"), "ZAR", at, at, "",
            false);
    }

    private static Attribution.Candidate entry(String offerId, String status, String interest, Instant at) {
        return new Attribution.Candidate(offerId + "#sms", offerId, status, null, interest, at);
    }

    @Test
    void credit_goesToTheMostRecentDeliveredMatchingNotification_withinTheWindow() {
        List<Attribution.Candidate> entries = List.of(
            entry("ELEC-1", "sent", "electronics", T.minus(Duration.ofDays(3))),
            entry("ELEC-2", "sent", "electronics", T.minus(Duration.ofDays(1))),
            entry("BOOK-1", "sent", "books", T.minus(Duration.ofHours(1))));

        Attribution.Credit credit = attribution.credit(conversion("electronics", "", T), entries);

        assertThat(credit).isEqualTo(new Attribution.Credit("ELEC-2#sms", "ELEC-2", Attribution.Group.SENT));
    }

    @Test
    void credit_matchesTheNamedOffer_evenForAnotherInterest() {
        Attribution.Credit credit = attribution.credit(conversion("laptops", "ELEC-1", T),
            List.of(entry("ELEC-1", "sent", "electronics", T.minus(Duration.ofDays(2)))));

        assertThat(credit.offerId()).isEqualTo("ELEC-1");
    }

    @Test
    void credit_outsideTheWindow_orBeforeTheNotification_isNone() {
        List<Attribution.Candidate> entries = List.of(
            entry("ELEC-1", "sent", "electronics", T.minus(Duration.ofDays(7)).minusSeconds(1)),
            entry("ELEC-2", "sent", "electronics", T.plusSeconds(1)));

        assertThat(attribution.credit(conversion("electronics", "", T), entries)).isEqualTo(Attribution.Credit.NONE);
    }

    @Test
    void credit_atTheWindowsEdge_counts() {
        Attribution.Credit credit = attribution.credit(conversion("electronics", "", T),
            List.of(entry("ELEC-1", "sent", "electronics", T.minus(Duration.ofDays(7)))));

        assertThat(credit.group()).isEqualTo(Attribution.Group.SENT);
    }

    @Test
    void credit_ofAHeldOutCustomer_countsAgainstControl() {
        Attribution.Credit credit = attribution.credit(conversion("electronics", "", T),
            List.of(entry("ELEC-1", "held_out", "electronics", T.minus(Duration.ofDays(2)))));

        assertThat(credit).isEqualTo(new Attribution.Credit("ELEC-1#sms", "ELEC-1", Attribution.Group.CONTROL));
    }

    @Test
    void credit_neverGoesToANotificationThatDidNotReachTheCustomer() {
        List<Attribution.Candidate> entries = List.of(
            entry("ELEC-1", "queued", "electronics", T.minus(Duration.ofDays(1))),
            entry("ELEC-2", "suppressed", "electronics", T.minus(Duration.ofDays(1))),
            entry("ELEC-3", "unknown", "electronics", T.minus(Duration.ofDays(1))),
            entry("ELEC-4", "failed", "electronics", T.minus(Duration.ofDays(1))));

        assertThat(attribution.credit(conversion("electronics", "", T), entries)).isEqualTo(Attribution.Credit.NONE);
    }
}
