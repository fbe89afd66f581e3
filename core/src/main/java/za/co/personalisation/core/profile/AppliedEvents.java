package za.co.personalisation.core.profile;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 *
 * <p>Kept as arrays in key order (as the item stores them), so a merge adds a batch's few events and drops the
 * lowest keys by one merge of sorted runs, without hashing or sorting the window.
 */
public final class AppliedEvents {

    /** Nothing applied yet. */
    public static final AppliedEvents NONE = new AppliedEvents(new long[0], new String[0], Long.MIN_VALUE, "");

    private final long[] millis;
    private final String[] ids;
    private final int[] hashes;
    private final long horizonMillis;
    private final String horizonEventId;

    /** @param millis and ids in ascending key order, owned by this instance from now on */
    private AppliedEvents(long[] millis, String[] ids, long horizonMillis, String horizonEventId) {
        this.millis = millis;
        this.ids = ids;
        this.hashes = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            hashes[i] = ids[i].hashCode();
        }
        this.horizonMillis = horizonMillis;
        this.horizonEventId = horizonEventId;
    }

    /**
     * @param eventIds        applied event ids
     * @param occurredAtMillis each one's occurredAt in epoch milliseconds, in the same order; the two lists may
     *                        come in any order (they are put in key order)
     * @param horizonAt       occurredAt of the highest forgotten event, or {@code null} when none was
     * @param horizonEventId  that event's id ({@code ""} when none was)
     * @throws IllegalArgumentException when the lists differ in length
     */
    public static AppliedEvents of(List<String> eventIds, List<Long> occurredAtMillis, Instant horizonAt,
        String horizonEventId) {
        Objects.requireNonNull(horizonEventId, "horizonEventId");
        if (eventIds.size() != occurredAtMillis.size()) {
            throw new IllegalArgumentException("applied event ids and times differ in number: " + eventIds.size()
                + " and " + occurredAtMillis.size());
        }
        if (eventIds.isEmpty() && horizonAt == null) {
            return NONE;
        }
        int n = eventIds.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> compare(occurredAtMillis.get(a), eventIds.get(a), occurredAtMillis.get(b),
            eventIds.get(b)));
        long[] millis = new long[n];
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            millis[i] = occurredAtMillis.get(order[i]);
            ids[i] = Objects.requireNonNull(eventIds.get(order[i]), "event id");
        }
        return new AppliedEvents(millis, ids, horizonAt == null ? Long.MIN_VALUE : horizonAt.toEpochMilli(),
            horizonAt == null ? "" : horizonEventId);
    }

    /**
     * Ids remembered without their occurredAt (the item layout before occurredAt was kept): they count as the
     * oldest, so they are the first to be forgotten, and forgetting them does not raise the horizon above 1970.
     */
    public static AppliedEvents legacy(List<String> eventIds) {
        Long[] zeros = new Long[eventIds.size()];
        Arrays.fill(zeros, 0L);
        return of(eventIds, Arrays.asList(zeros), null, "");
    }

    public boolean contains(String eventId) {
        int hash = eventId.hashCode();
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == hash && ids[i].equals(eventId)) {
                return true;
            }
        }
        return false;
    }

    /** True when an event with this key is at or below the horizon: it was forgotten, or is too late to apply. */
    public boolean isAtOrBelowHorizon(Instant occurredAt, String eventId) {
        return compare(occurredAt.toEpochMilli(), eventId, horizonMillis, horizonEventId) <= 0;
    }

    /** How many event ids are remembered. */
    public int size() {
        return ids.length;
    }

    /** The {@code i}-th remembered event id, in ascending key order. */
    public String eventIdAt(int i) {
        return ids[i];
    }

    /** The {@code i}-th remembered event's occurredAt in epoch milliseconds, in ascending key order. */
    public long occurredAtMillisAt(int i) {
        return millis[i];
    }

    /** Applied event ids with their occurredAt in epoch milliseconds, in ascending key order. */
    public Map<String, Long> occurredAtMillisById() {
        Map<String, Long> byId = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            byId.put(ids[i], millis[i]);
        }
        return byId;
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
            && horizonEventId.equals(that.horizonEventId) && Arrays.equals(millis, that.millis)
            && Arrays.equals(ids, that.ids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(millis), Arrays.hashCode(ids), horizonMillis, horizonEventId);
    }

    @Override
    public String toString() {
        return "AppliedEvents[" + ids.length + " ids, horizon=" + horizonAt() + "/" + horizonEventId + "]";
    }

    /** A copy being added to during one merge; {@link #build} forgets what exceeds the limit. */
    static final class Builder {

        private final AppliedEvents base;
        private long[] addedMillis = new long[0];
        private String[] addedIds = new String[0];
        private int added;

        private Builder(AppliedEvents base) {
            this.base = base;
        }

        boolean contains(String eventId) {
            if (base.contains(eventId)) {
                return true;
            }
            for (int i = 0; i < added; i++) {
                if (addedIds[i].equals(eventId)) {
                    return true;
                }
            }
            return false;
        }

        boolean isAtOrBelowHorizon(Instant occurredAt, String eventId) {
            return base.isAtOrBelowHorizon(occurredAt, eventId);
        }

        /** Adds an event not yet remembered (the caller checked {@link #contains}). */
        void add(String eventId, Instant occurredAt) {
            if (added == addedIds.length) {
                int capacity = Math.max(4, added * 2);
                addedIds = Arrays.copyOf(addedIds, capacity);
                addedMillis = Arrays.copyOf(addedMillis, capacity);
            }
            long at = occurredAt.toEpochMilli();
            // insertion into the sorted run of added events: a batch adds a few per customer
            int i = added - 1;
            while (i >= 0 && compare(addedMillis[i], addedIds[i], at, eventId) > 0) {
                addedMillis[i + 1] = addedMillis[i];
                addedIds[i + 1] = addedIds[i];
                i--;
            }
            addedMillis[i + 1] = at;
            addedIds[i + 1] = eventId;
            added++;
        }

        AppliedEvents build(int limit) {
            if (added == 0) {
                return base;
            }
            int total = base.ids.length + added;
            int dropped = Math.max(0, total - limit);
            long[] millis = new long[total - dropped];
            String[] ids = new String[total - dropped];
            long horizon = base.horizonMillis;
            String horizonId = base.horizonEventId;
            int b = 0;
            int a = 0;
            for (int k = 0; k < total; k++) {
                boolean fromBase = a >= added || (b < base.ids.length
                    && compare(base.millis[b], base.ids[b], addedMillis[a], addedIds[a]) < 0);
                long at = fromBase ? base.millis[b] : addedMillis[a];
                String id = fromBase ? base.ids[b++] : addedIds[a++];
                if (k < dropped) {
                    if (compare(at, id, horizon, horizonId) > 0) {
                        horizon = at;
                        horizonId = id;
                    }
                } else {
                    millis[k - dropped] = at;
                    ids[k - dropped] = id;
                }
            }
            return new AppliedEvents(millis, ids, horizon, horizonId);
        }
    }
}
