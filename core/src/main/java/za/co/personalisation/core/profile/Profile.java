package za.co.personalisation.core.profile;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import za.co.personalisation.core.location.Location;

/**
 * A customer's pseudonymous profile: interests, current place and marketing consent. It holds no phone number,
 * email address or name; those live in the contacts table that only deliver-function reads.
 *
 * @param customerId      the key
 * @param version         incremented by every write; the store's optimistic lock
 * @param interests       by case-folded interest
 * @param location        the place of the latest event by {@code (occurredAt, eventId)}, or {@code null} before the
 *                        first event
 * @param locationAt      occurredAt of that event ({@link Instant#EPOCH} when there is no location)
 * @param locationEventId that event's id ({@code ""} when there is no location, or in items written before it was
 *                        kept): breaks ties between events that occurred at the same instant, so the result does not
 *                        depend on arrival order
 * @param consent         per channel; a channel that is absent is {@link Consent#UNKNOWN}
 * @param applied         the events applied so far, for de-duplication ({@link AppliedEvents})
 * @param updatedAt       server time of the last change
 */
public record Profile(
    String customerId,
    long version,
    Map<String, InterestStat> interests,
    Location location,
    Instant locationAt,
    String locationEventId,
    Map<Channel, Consent> consent,
    AppliedEvents applied,
    Instant updatedAt) {

    public Profile {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(locationAt, "locationAt");
        Objects.requireNonNull(locationEventId, "locationEventId");
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(updatedAt, "updatedAt");
        interests = Map.copyOf(interests);
        consent = consent.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(consent));
    }

    /**
     * A profile without applied-event bookkeeping beyond plain ids (seed data, and items written before
     * occurredAt was kept with each id).
     */
    public Profile(String customerId, long version, Map<String, InterestStat> interests, Location location,
        Instant locationAt, Map<Channel, Consent> consent, List<String> recentEventIds, Instant updatedAt) {
        this(customerId, version, interests, location, locationAt, "", consent, AppliedEvents.legacy(recentEventIds),
            updatedAt);
    }

    public static Profile empty(String customerId) {
        return new Profile(customerId, 0, Map.of(), null, Instant.EPOCH, "", Map.of(), AppliedEvents.NONE,
            Instant.EPOCH);
    }

    public Consent consentFor(Channel channel) {
        return consent.getOrDefault(channel, Consent.UNKNOWN);
    }

    public boolean isNew() {
        return version == 0;
    }

    public Profile withVersion(long newVersion) {
        return new Profile(customerId, newVersion, interests, location, locationAt, locationEventId, consent, applied,
            updatedAt);
    }

    public Profile withConsent(Channel channel, Consent value, Instant now) {
        Map<Channel, Consent> updated = new EnumMap<>(Channel.class);
        updated.putAll(consent);
        updated.put(channel, value);
        return new Profile(customerId, version, interests, location, locationAt, locationEventId, updated, applied,
            now);
    }
}
