package za.co.personalisation.enrich;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

/**
 * A reproducible stream of realistic shape: customers drawn with a skew (a few busy, many occasional), several
 * interests and places, occurredAt spread over the six days before {@link Events#NOW} at second precision (so
 * some share an instant), about one event in ten a consent decision, and a few erasures.
 */
final class SyntheticEvents {

    private static final String[] INTERESTS = {"electronics", "books", "fashion", "sports", "home & garden",
        "groceries", "toys", "travel"};
    private static final Location[] PLACES = {Events.CAPE_TOWN, Events.DURBAN, Events.GEORGE,
        new Location("ZA/GP/johannesburg", "Johannesburg", true), new Location("ZA/WC", "Western Cape", true),
        Location.unknown("Atlantis")};

    private SyntheticEvents() {
    }

    static List<StreamEvent> generate(int count, int customers, long seed) {
        Random random = new Random(seed);
        List<StreamEvent> events = new ArrayList<>(count);
        long window = Duration.ofDays(6).toSeconds();
        for (int i = 0; i < count; i++) {
            // squaring a uniform draw favours low customer numbers: a skewed, Zipf-like population
            double u = random.nextDouble();
            String customerId = "cust-" + (int) (u * u * customers);
            Instant occurredAt = Events.NOW.minusSeconds(1 + random.nextLong(window));
            Instant receivedAt = occurredAt.plusMillis(random.nextInt(2_000));
            String eventId = "evt-" + seed + "-" + i;
            int kind = random.nextInt(100);
            if (kind < 10) {
                events.add(new ConsentEvent(eventId, customerId, random.nextBoolean() ? Channel.SMS : Channel.EMAIL,
                    random.nextInt(3) == 0 ? Consent.State.REVOKED : Consent.State.GRANTED, occurredAt, receivedAt,
                    "", false));
            } else if (kind == 10 && i % 3 == 0) {
                events.add(new ErasureEvent(eventId, customerId, occurredAt, receivedAt, "", false));
            } else {
                events.add(new InterestEvent(eventId, customerId, INTERESTS[random.nextInt(INTERESTS.length)],
                    PLACES[random.nextInt(PLACES.length)], occurredAt, receivedAt, "", random.nextInt(20) == 0));
            }
        }
        return events;
    }
}
