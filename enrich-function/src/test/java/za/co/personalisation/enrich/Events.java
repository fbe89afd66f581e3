package za.co.personalisation.enrich;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

/** Stream events for the handler tests, with times as minutes before {@link #NOW}. */
final class Events {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Location CAPE_TOWN = new Location("ZA/WC/cape-town", "Cape Town", true);
    static final Location DURBAN = new Location("ZA/KZN/durban", "Durban", true);
    static final Location GEORGE = new Location("ZA/WC/george", "George", true);

    private Events() {
    }

    static InterestEvent interest(String customerId, String eventId, String interest, Location location,
        long minutesAgo) {
        Instant at = NOW.minusSeconds(minutesAgo * 60);
        return new InterestEvent(eventId, customerId, interest, location, at, at.plusMillis(250),
            "1-67890abc-def012345678901234567890", false);
    }

    static ConsentEvent consent(String customerId, String eventId, Channel channel, Consent.State state,
        long minutesAgo) {
        Instant at = NOW.minusSeconds(minutesAgo * 60);
        return new ConsentEvent(eventId, customerId, channel, state, at, at.plusMillis(250), "", false);
    }

    static ErasureEvent erasure(String customerId, String eventId, long minutesAgo) {
        Instant at = NOW.minusSeconds(minutesAgo * 60);
        return new ErasureEvent(eventId, customerId, at, at.plusMillis(250), "", false);
    }
}
