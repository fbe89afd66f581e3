package za.co.personalisation.core.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.location.Location;

/**
 * Applies a customer's interest and consent events to their profile. Pure: no I/O, time passed in. Erasure is not
 * a merge (the store deletes the profile), so erasure events are refused here.
 *
 * <p>The result depends only on the set of distinct events applied, not on the order or the number of times
 * they arrive (docs/profiles.md):
 * <ul>
 *   <li>interest counts add up, first and last seen are a minimum and a maximum, and a score is a sum of decayed
 *       contributions ({@link InterestStat});</li>
 *   <li>the location is that of the event with the highest {@code (occurredAt, eventId)}: a late event never rolls
 *       it back;</li>
 *   <li>consent per channel is the decision the API received last ({@link Consent#isSupersededBy}): the client's
 *       occurredAt plays no part;</li>
 *   <li>an event already applied changes nothing ({@link AppliedEvents}).</li>
 * </ul>
 */
public final class ProfileMerger {

    /** The default {@code MAX_INTERESTS}: distinct interests a profile keeps. */
    public static final int DEFAULT_MAX_INTERESTS = 100;

    private final Duration halfLife;
    private final int rememberedEvents;
    private final int maxInterests;

    /** A merger keeping at most {@link #DEFAULT_MAX_INTERESTS} interests. */
    public ProfileMerger(Duration halfLife, int rememberedEvents) {
        this(halfLife, rememberedEvents, DEFAULT_MAX_INTERESTS);
    }

    /**
     * @param halfLife         an interest's score halves over this long without new events
     * @param rememberedEvents how many applied event ids a profile keeps for de-duplication
     * @param maxInterests     how many distinct interests a profile keeps; beyond it the lowest-scoring are
     *                         evicted ({@link #evict})
     */
    public ProfileMerger(Duration halfLife, int rememberedEvents, int maxInterests) {
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("the score half-life must be positive: " + halfLife);
        }
        if (rememberedEvents < 1) {
            throw new IllegalArgumentException("a profile must remember at least one event id");
        }
        if (maxInterests < 1) {
            throw new IllegalArgumentException("a profile must keep at least one interest");
        }
        this.halfLife = halfLife;
        this.rememberedEvents = rememberedEvents;
        this.maxInterests = maxInterests;
    }

    public int maxInterests() {
        return maxInterests;
    }

    public Duration halfLife() {
        return halfLife;
    }

    public int rememberedEvents() {
        return rememberedEvents;
    }

    /**
     * Applies the customer's events in the order given.
     *
     * @return the merged profile (the same instance when nothing was applied) and what happened to the events
     * @throws IllegalArgumentException for an event of another customer, or an erasure event
     */
    public Result apply(Profile profile, List<? extends StreamEvent> events, Instant now) {
        Map<String, InterestStat> interests = null;
        Map<Channel, Consent> consent = null;
        AppliedEvents.Builder applied = profile.applied().toBuilder();
        Location location = profile.location();
        Instant locationAt = profile.locationAt();
        String locationEventId = profile.locationEventId();
        List<StreamEvent> appliedEvents = null;
        List<String> tooLate = null;
        int duplicates = 0;
        for (StreamEvent event : events) {
            if (!event.customerId().equals(profile.customerId())) {
                throw new IllegalArgumentException("event " + event.eventId() + " belongs to another customer");
            }
            if (applied.contains(event.eventId())) {
                duplicates++;
                continue;
            }
            if (event instanceof InterestEvent interest) {
                Instant key = keyTime(interest);
                if (applied.mayBeForgotten(key, interest.receivedAt(), interest.eventId())) {
                    if (tooLate == null) {
                        tooLate = new ArrayList<>();
                    }
                    tooLate.add(interest.eventId());
                    continue;
                }
                if (interests == null) {
                    interests = new HashMap<>(profile.interests());
                }
                InterestStat stat = interests.get(interest.interest());
                // the event counts as of its key time: a client's date is never later than the API's receipt, so
                // events dated ahead cannot hold the location or outscore the customer's real interests
                interests.put(interest.interest(), stat == null
                    ? InterestStat.first(key, interest.eventId(), interest.replay(), interest.traceId())
                    : stat.plus(key, interest.eventId(), interest.replay(), interest.traceId(), halfLife));
                if (location == null || isAfter(key, interest.eventId(), locationAt, locationEventId)) {
                    location = interest.location();
                    locationAt = key;
                    locationEventId = interest.eventId();
                }
                applied.add(interest.eventId(), key, interest.receivedAt());
            } else if (event instanceof ConsentEvent decision) {
                // A consent decision is last-writer-wins, idempotent by itself: it is never refused as too late and
                // not remembered in the applied-events window; one that changes nothing counts as a duplicate.
                if (consent == null) {
                    consent = new EnumMap<>(Channel.class);
                    consent.putAll(profile.consent());
                }
                if (!decide(consent, decision)) {
                    duplicates++;
                    continue;
                }
            } else if (event instanceof ErasureEvent) {
                throw new IllegalArgumentException("event " + event.eventId() + " is an erasure: the store deletes"
                    + " the profile, there is nothing to merge");
            }
            if (appliedEvents == null) {
                appliedEvents = new ArrayList<>(events.size());
            }
            appliedEvents.add(event);
        }
        if (tooLate == null) {
            tooLate = List.of();
        }
        if (appliedEvents == null) {
            return new Result(profile, List.of(), duplicates, tooLate, 0);
        }
        int evicted = interests == null ? 0 : evict(interests);
        Profile merged = new Profile(profile.customerId(), profile.version(),
            interests == null ? profile.interests() : interests, location, locationAt, locationEventId,
            consent == null ? profile.consent() : consent, applied.build(rememberedEvents), now);
        return new Result(merged, appliedEvents, duplicates, tooLate, evicted);
    }

    /**
     * Keeps at most {@code maxInterests} interests, whatever any client sends (docs/profiles.md, "Bounds"): evicts
     * those with the lowest score decayed to the profile's latest lastSeen (a time taken from the profile, not the
     * clock, so the same events give the same profile); of equal scores the one seen least recently, then the
     * greater name, goes first. An evicted interest that comes back starts again from its next event.
     *
     * @return how many were evicted
     */
    private int evict(Map<String, InterestStat> interests) {
        int excess = interests.size() - maxInterests;
        if (excess <= 0) {
            return 0;
        }
        Instant reference = Instant.EPOCH;
        for (InterestStat stat : interests.values()) {
            reference = stat.lastSeen().isAfter(reference) ? stat.lastSeen() : reference;
        }
        Instant at = reference;
        List<Map.Entry<String, InterestStat>> order = new ArrayList<>(interests.entrySet());
        order.sort(Comparator.<Map.Entry<String, InterestStat>>comparingDouble(
                entry -> entry.getValue().scoreAt(at, halfLife))
            .thenComparing(entry -> entry.getValue().lastSeen())
            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()));
        for (int i = 0; i < excess; i++) {
            interests.remove(order.get(i).getKey());
        }
        return excess;
    }

    /**
     * Applies the customer's consent decisions, and only those, to their consent: the path enrich takes apart from
     * interest data, so that a consent change never shares the fate of an interest write (docs/privacy.md). A
     * decision is last-writer-wins ({@link Consent#isSupersededBy}), idempotent by itself; it is not remembered in
     * the applied-events window.
     *
     * @return the profile with the new consent (the same instance when no decision changed it); the decisions that
     *     changed it are the applied events, the others (repeats, or older than the stored decision) count as
     *     duplicates
     * @throws IllegalArgumentException for an event of another customer
     */
    public Result applyConsent(Profile profile, List<ConsentEvent> decisions, Instant now) {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        consent.putAll(profile.consent());
        List<StreamEvent> changed = new ArrayList<>(decisions.size());
        int unchanged = 0;
        for (ConsentEvent decision : decisions) {
            if (!decision.customerId().equals(profile.customerId())) {
                throw new IllegalArgumentException("event " + decision.eventId() + " belongs to another customer");
            }
            if (decide(consent, decision)) {
                changed.add(decision);
            } else {
                unchanged++;
            }
        }
        if (changed.isEmpty()) {
            return new Result(profile, List.of(), unchanged, List.of(), 0);
        }
        Profile merged = new Profile(profile.customerId(), profile.version(), profile.interests(), profile.location(),
            profile.locationAt(), profile.locationEventId(), consent, profile.applied(), now);
        return new Result(merged, changed, unchanged, List.of(), 0);
    }

    /**
     * Applies one decision to {@code consent}: last-writer-wins by the API's receive time, never by the client's
     * occurredAt ({@link Consent#isSupersededBy}).
     *
     * @return whether it changed the channel's consent
     */
    private static boolean decide(Map<Channel, Consent> consent, ConsentEvent decision) {
        Consent current = consent.getOrDefault(decision.channel(), Consent.UNKNOWN);
        if (!current.isSupersededBy(decision.state(), decision.receivedAt())) {
            return false;
        }
        consent.put(decision.channel(), new Consent(decision.state(), decision.occurredAt(), decision.receivedAt()));
        return true;
    }

    /**
     * The time an event is remembered under: its occurredAt, or its receipt when the client dated it later, so that
     * no client can raise the horizon past the time the API received its events (docs/privacy.md, "3.").
     */
    static Instant keyTime(StreamEvent event) {
        return event.occurredAt().isAfter(event.receivedAt()) ? event.receivedAt() : event.occurredAt();
    }

    private static boolean isAfter(Instant at, String eventId, Instant otherAt, String otherEventId) {
        int byTime = at.compareTo(otherAt);
        return byTime > 0 || (byTime == 0 && eventId.compareTo(otherEventId) > 0);
    }

    /**
     * The merged profile and what happened to the events.
     *
     * @param appliedEvents   events that took effect (interest and consent), in order
     * @param duplicates      events applied before (their id is remembered): skipped
     * @param tooLateEventIds interest events at or below the horizon of forgotten events: not applied
     * @param evicted         interests dropped to keep the profile within its maximum
     */
    public record Result(Profile profile, List<StreamEvent> appliedEvents, int duplicates,
        List<String> tooLateEventIds, int evicted) {

        public Result {
            appliedEvents = List.copyOf(appliedEvents);
            tooLateEventIds = List.copyOf(tooLateEventIds);
        }

        public int applied() {
            return appliedEvents.size();
        }

        public int tooLate() {
            return tooLateEventIds.size();
        }

        public boolean changed() {
            return !appliedEvents.isEmpty();
        }
    }
}
