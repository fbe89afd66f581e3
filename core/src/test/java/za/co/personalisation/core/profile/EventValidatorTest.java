package za.co.personalisation.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.core.profile.TestEvents.CAPE_TOWN;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Location;

class EventValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final EventValidator validator = new EventValidator(EventLimits.defaults());

    @Test
    void violation_forAnEventIngestWouldWrite_isNone() {
        assertThat(validator.violation(event("e-1", "c-1", "home & garden", CAPE_TOWN, NOW.minusSeconds(60), NOW),
            NOW)).isNull();
        assertThat(validator.violation(event("e-1", "c-1", "books", Location.unknown("Atlantis"),
            NOW.minus(Duration.ofDays(7)), NOW), NOW)).isNull();
    }

    @Test
    void violation_namesTheFieldThatIsTooLongOrBlank() {
        assertThat(validator.violation(event("e-1", "c-1", "x".repeat(65), CAPE_TOWN, NOW, NOW), NOW))
            .isEqualTo("interest is longer than 64 characters");
        assertThat(validator.violation(event("e".repeat(65), "c-1", "books", CAPE_TOWN, NOW, NOW), NOW))
            .isEqualTo("eventId is longer than 64 characters");
        assertThat(validator.violation(event("e-1", " ", "books", CAPE_TOWN, NOW, NOW), NOW))
            .isEqualTo("customerId is blank");
        assertThat(validator.violation(event("e-1", "c-1", "books", Location.unknown("x".repeat(101)), NOW, NOW),
            NOW)).isEqualTo("location.name is longer than 100 characters");
    }

    @Test
    void violation_forAControlCharacter_namesTheField() {
        assertThat(validator.violation(event("e-1", "c-1", "bo\u0000oks", CAPE_TOWN, NOW, NOW), NOW))
            .isEqualTo("interest holds a control character");
    }

    @Test
    void violation_forTimesOutsideWhatIngestAccepts_saysWhich() {
        assertThat(validator.violation(event("e-1", "c-1", "books", CAPE_TOWN, NOW.plusSeconds(301), NOW), NOW))
            .startsWith("occurredAt lies more than PT5M after receivedAt");
        assertThat(validator.violation(event("e-1", "c-1", "books", CAPE_TOWN, NOW.minus(Duration.ofDays(8)), NOW),
            NOW)).startsWith("occurredAt lies more than PT168H before receivedAt");
        assertThat(validator.violation(event("e-1", "c-1", "books", CAPE_TOWN, NOW.plusSeconds(3600),
            NOW.plusSeconds(3600)), NOW)).startsWith("receivedAt");
    }

    @Test
    void violation_forAConsentEvent_checksIdsAndTimes() {
        ConsentEvent ok = new ConsentEvent("k-1", "c-1", Channel.SMS, Consent.State.GRANTED, NOW, NOW, "", false);
        ConsentEvent future = new ConsentEvent("k-1", "c-1", Channel.SMS, Consent.State.GRANTED,
            NOW.plusSeconds(3600), NOW, "", false);

        assertThat(validator.violation(ok, NOW)).isNull();
        assertThat(validator.violation(future, NOW)).startsWith("occurredAt");
    }

    private static InterestEvent event(String eventId, String customerId, String interest, Location location,
        Instant occurredAt, Instant receivedAt) {
        return new InterestEvent(eventId, customerId, interest, location, occurredAt, receivedAt, "", false);
    }
}
