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
 * @param customerId     the key
 * @param version        incremented by every write; the store's optimistic lock
 * @param interests      by case-folded interest
 * @param location       the place of the latest event by occurredAt, or {@code null} before the first event
 * @param locationAt     occurredAt of that event ({@link Instant#EPOCH} when there is no location)
 * @param consent        per channel; a channel that is absent is {@link Consent#UNKNOWN}
 * @param recentEventIds the most recent applied event ids, oldest first, bounded: re-applying one is a no-op
 * @param updatedAt      server time of the last change
 */
public record Profile(
    String customerId,
    long version,
    Map<String, InterestStat> interests,
    Location location,
    Instant locationAt,
    Map<Channel, Consent> consent,
    List<String> recentEventIds,
    Instant updatedAt) {

    public Profile {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(locationAt, "locationAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        interests = Map.copyOf(interests);
        consent = consent.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(consent));
        recentEventIds = List.copyOf(recentEventIds);
    }

    public static Profile empty(String customerId) {
        return new Profile(customerId, 0, Map.of(), null, Instant.EPOCH, Map.of(), List.of(), Instant.EPOCH);
    }

    public Consent consentFor(Channel channel) {
        return consent.getOrDefault(channel, Consent.UNKNOWN);
    }

    public boolean isNew() {
        return version == 0;
    }

    public Profile withVersion(long newVersion) {
        return new Profile(customerId, newVersion, interests, location, locationAt, consent, recentEventIds,
            updatedAt);
    }

    public Profile withConsent(Channel channel, Consent value, Instant now) {
        Map<Channel, Consent> updated = new EnumMap<>(Channel.class);
        updated.putAll(consent);
        updated.put(channel, value);
        return new Profile(customerId, version, interests, location, locationAt, updated, recentEventIds, now);
    }
}
