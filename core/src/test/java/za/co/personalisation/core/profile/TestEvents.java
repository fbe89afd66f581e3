package za.co.personalisation.core.profile;

import java.time.Instant;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Location;

/** Stream events for merge tests: one customer unless said otherwise, times as offsets from {@link #T0}. */
final class TestEvents {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final Location CAPE_TOWN = new Location("ZA/WC/cape-town", "Cape Town", true);
    static final Location DURBAN = new Location("ZA/KZN/durban", "Durban", true);

    private TestEvents() {
    }

    static InterestEvent interest(String eventId, String interest, Location location, long minutes) {
        return interest("c-1", eventId, interest, location, minutes);
    }

    static InterestEvent interest(String customerId, String eventId, String interest, Location location,
        long minutes) {
        Instant at = T0.plusSeconds(minutes * 60);
        return new InterestEvent(eventId, customerId, interest, location, at, at.plusSeconds(1), "", false);
    }

    static ConsentEvent consent(String eventId, Channel channel, Consent.State state, long minutes) {
        Instant at = T0.plusSeconds(minutes * 60);
        return new ConsentEvent(eventId, "c-1", channel, state, at, at.plusSeconds(1), "", false);
    }

    static ErasureEvent erasure(String eventId, long minutes) {
        Instant at = T0.plusSeconds(minutes * 60);
        return new ErasureEvent(eventId, "c-1", at, at.plusSeconds(1), "", false);
    }
}
