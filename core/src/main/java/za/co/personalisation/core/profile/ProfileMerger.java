package za.co.personalisation.core.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Location;

/**
 * Applies interest events to a profile. Pure: no I/O, time passed in.
 *
 * <p>Idempotent: an event whose id is among the profile's recent event ids changes nothing. Order-tolerant: a late
 * event (older than the profile's latest) adds to counts and scores but never rolls the location back.
 */
public final class ProfileMerger {

    private final Duration halfLife;
    private final int rememberedEvents;

    /**
     * @param halfLife         an interest's score halves over this long without new events
     * @param rememberedEvents how many recent event ids a profile keeps for de-duplication
     */
    public ProfileMerger(Duration halfLife, int rememberedEvents) {
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("the score half-life must be positive: " + halfLife);
        }
        if (rememberedEvents < 1) {
            throw new IllegalArgumentException("a profile must remember at least one event id");
        }
        this.halfLife = halfLife;
        this.rememberedEvents = rememberedEvents;
    }

    public Duration halfLife() {
        return halfLife;
    }

    /** Applies events in the order given; returns the profile unchanged when every event was applied before. */
    public Result apply(Profile profile, List<InterestEvent> events, Instant now) {
        Map<String, InterestStat> interests = null;
        List<String> recent = null;
        Location location = profile.location();
        Instant locationAt = profile.locationAt();
        int applied = 0;
        int duplicates = 0;
        for (InterestEvent event : events) {
            if (!event.customerId().equals(profile.customerId())) {
                throw new IllegalArgumentException("event " + event.eventId() + " belongs to another customer");
            }
            if ((recent != null ? recent : profile.recentEventIds()).contains(event.eventId())) {
                duplicates++;
                continue;
            }
            if (interests == null) {
                interests = new HashMap<>(profile.interests());
                recent = new ArrayList<>(profile.recentEventIds());
            }
            InterestStat stat = interests.get(event.interest());
            interests.put(event.interest(), stat == null ? InterestStat.first(event.occurredAt(), event.eventId())
                : stat.plus(event.occurredAt(), event.eventId(), halfLife));
            if (location == null || !event.occurredAt().isBefore(locationAt)) {
                location = event.location();
                locationAt = event.occurredAt();
            }
            recent.add(event.eventId());
            applied++;
        }
        if (applied == 0) {
            return new Result(profile, 0, duplicates);
        }
        if (recent.size() > rememberedEvents) {
            recent = recent.subList(recent.size() - rememberedEvents, recent.size());
        }
        Profile merged = new Profile(profile.customerId(), profile.version(), interests, location, locationAt,
            profile.consent(), recent, now);
        return new Result(merged, applied, duplicates);
    }

    /** The merged profile and what happened to each event. */
    public record Result(Profile profile, int applied, int duplicates) {

        public boolean changed() {
            return applied > 0;
        }
    }
}
