package za.co.personalisation.core.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bookkeeping that makes re-applying an event a no-op: the ids of the events applied to a profile, each with
 * its {@code occurredAt}, bounded in number, and a horizon below which everything has been forgotten.
 *
 * <p>Events are ordered by their key {@code (occurredAt, eventId)}. When more than the limit are remembered, the
 * ones with the lowest keys are forgotten and the horizon rises to the highest key forgotten. The rule that keeps
 * re-application a no-op even for forgotten events:
 *
 * <ul>
 *   <li>an event whose id is remembered is a duplicate;</li>
 *   <li>an interest event whose key is at or below the horizon is not applied (it is counted as too late).</li>
 * </ul>
 *
 * <p>Why it is sound: an applied event is either still remembered, or it was forgotten, and then the horizon was
 * raised to at least its key; the horizon never falls, so the event is refused either way. What it costs: a
 * first-time event older than the newest {@code limit} events of the customer is refused too, and counted. See
 * docs/profiles.md ("Idempotency").
 */
public final class AppliedEvents {

    /** Nothing applied yet. */
    public static final AppliedEvents NONE = new AppliedEvents(Map.of(), Long.MIN_VALUE, "");

    private final Map<String, Long> occurredAtById;
    private final long horizonMillis;
    private final String horizonEventId;

    private AppliedEvents(Map<String, Long> occurredAtById, long horizonMillis, String horizonEventId) {
        this.occurredAtById = occurredAtById;
        this.horizonMillis = horizonMillis;
        this.horizonEventId = horizonEventId;
    }

    /**
     * @param occurredAtMillisById applied event ids with their occurredAt in epoch milliseconds
     * @param horizonAt            occurredAt of the highest forgotten event, or {@code null} when none was
     * @param horizonEventId       that event's id ({@code ""} when none was)
     */
    public static AppliedEvents of(Map<String, Long> occurredAtMillisById, Instant horizonAt, String horizonEventId) {
        Objects.requireNonNull(horizonEventId, "horizonEventId");
        if (occurredAtMillisById.isEmpty() && horizonAt == null) {
            return NONE;
        }
        return new AppliedEvents(Collections.unmodifiableMap(new HashMap<>(occurredAtMillisById)),
            horizonAt == null ? Long.MIN_VALUE : horizonAt.toEpochMilli(), horizonAt == null ? "" : horizonEventId);
    }

    /**
     * Ids remembered without their occurredAt (the item layout before occurredAt was kept): they count as the
     * oldest, so they are the first to be forgotten, and forgetting them does not raise the horizon above 1970.
     */
    public static AppliedEvents legacy(List<String> eventIds) {
        Map<String, Long> byId = new HashMap<>();
        eventIds.forEach(id -> byId.put(id, 0L));
        return of(byId, null, "");
    }

    public boolean contains(String eventId) {
        return occurredAtById.containsKey(eventId);
    }

    /** True when an event with this key is at or below the horizon: it was forgotten, or is too late to apply. */
    public boolean isAtOrBelowHorizon(Instant occurredAt, String eventId) {
        return compare(occurredAt.toEpochMilli(), eventId, horizonMillis, horizonEventId) <= 0;
    }

    public int size() {
        return occurredAtById.size();
    }

    /** Applied event ids with their occurredAt in epoch milliseconds. */
    public Map<String, Long> occurredAtMillisById() {
        return occurredAtById;
    }

    /** occurredAt of the highest forgotten event, or {@code null} when nothing was forgotten. */
    public Instant horizonAt() {
        return horizonMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(horizonMillis);
    }

    /** The highest forgotten event's id, {@code ""} when nothing was forgotten. */
    public String horizonEventId() {
        return horizonEventId;
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    static int compare(long millis, String eventId, long otherMillis, String otherEventId) {
        int byTime = Long.compare(millis, otherMillis);
        return byTime != 0 ? byTime : eventId.compareTo(otherEventId);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AppliedEvents that && horizonMillis == that.horizonMillis
            && horizonEventId.equals(that.horizonEventId) && occurredAtById.equals(that.occurredAtById);
    }

    @Override
    public int hashCode() {
        return Objects.hash(occurredAtById, horizonMillis, horizonEventId);
    }

    @Override
    public String toString() {
        return "AppliedEvents[" + occurredAtById.size() + " ids, horizon=" + horizonAt() + "/" + horizonEventId + "]";
    }

    /** A copy being added to during one merge; {@link #build} forgets what exceeds the limit. */
    static final class Builder {

        /** Up to this many ids to forget, scanning for each beats sorting the window. */
        private static final int SCAN_LIMIT = 16;

        private final AppliedEvents base;
        private Map<String, Long> added;

        private Builder(AppliedEvents base) {
            this.base = base;
        }

        boolean contains(String eventId) {
            return base.contains(eventId) || (added != null && added.containsKey(eventId));
        }

        boolean isAtOrBelowHorizon(Instant occurredAt, String eventId) {
            return base.isAtOrBelowHorizon(occurredAt, eventId);
        }

        void add(String eventId, Instant occurredAt) {
            if (added == null) {
                added = new HashMap<>();
            }
            added.put(eventId, occurredAt.toEpochMilli());
        }

        AppliedEvents build(int limit) {
            if (added == null) {
                return base;
            }
            Map<String, Long> all = new HashMap<>((base.occurredAtById.size() + added.size()) * 4 / 3 + 1);
            all.putAll(base.occurredAtById);
            all.putAll(added);
            long horizon = base.horizonMillis;
            String horizonId = base.horizonEventId;
            int excess = all.size() - limit;
            if (excess > SCAN_LIMIT) {
                // many to forget at once (a long batch for one customer): sort the window once
                List<Map.Entry<String, Long>> oldestFirst = new ArrayList<>(all.entrySet());
                oldestFirst.sort((a, b) -> compare(a.getValue(), a.getKey(), b.getValue(), b.getKey()));
                Map.Entry<String, Long> highest = oldestFirst.get(excess - 1);
                if (compare(highest.getValue(), highest.getKey(), horizon, horizonId) > 0) {
                    horizon = highest.getValue();
                    horizonId = highest.getKey();
                }
                Map<String, Long> kept = new HashMap<>(limit * 4 / 3 + 1);
                for (Map.Entry<String, Long> entry : oldestFirst.subList(excess, oldestFirst.size())) {
                    kept.put(entry.getKey(), entry.getValue());
                }
                return new AppliedEvents(Collections.unmodifiableMap(kept), horizon, horizonId);
            }
            // the usual case, a batch adding a few events to a full window: find the lowest keys by a scan each
            for (; excess > 0; excess--) {
                String lowestId = null;
                long lowest = 0;
                for (Map.Entry<String, Long> entry : all.entrySet()) {
                    long millis = entry.getValue();
                    if (lowestId == null || compare(millis, entry.getKey(), lowest, lowestId) < 0) {
                        lowestId = entry.getKey();
                        lowest = millis;
                    }
                }
                all.remove(lowestId);
                if (compare(lowest, lowestId, horizon, horizonId) > 0) {
                    horizon = lowest;
                    horizonId = lowestId;
                }
            }
            return new AppliedEvents(Collections.unmodifiableMap(all), horizon, horizonId);
        }
    }
}
