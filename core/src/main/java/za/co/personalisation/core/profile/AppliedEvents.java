package za.co.personalisation.core.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bookkeeping that makes re-applying an event a no-op: the ids of the events applied to a profile, each with
 * its key time and its receivedAt, bounded in number, and a horizon below which everything has been forgotten.
 *
 * <p>Events are ordered by their key {@code (keyTime, eventId)}, where the key time is the event's occurredAt, or
 * its receivedAt when the client dated it later than that (a future-dated event counts as of its receipt). When
 * more than the limit are remembered, the ones with the lowest keys are forgotten, the horizon rises to the highest
 * key forgotten and the horizon's receipt to the latest receivedAt forgotten. The rule that keeps re-application a
 * no-op even for forgotten events:
 *
 * <ul>
 *   <li>an event whose id is remembered is a duplicate;</li>
 *   <li>an interest event whose key is at or below the horizon and that was received no later than the horizon's
 *       receipt is not applied (it is counted as too late): {@link #mayBeForgotten}.</li>
 * </ul>
 *
 * <p>Why it is sound: an applied event is either still remembered, or it was forgotten, and then the horizon was
 * raised to at least its key and the horizon's receipt to at least its receivedAt; neither ever falls, and an
 * event's key and receivedAt travel with it in the stream record, so the event is refused either way. What it
 * costs: a first-time event is refused only if its key is at or below the horizon and it was received before some
 * forgotten event (in practice: written to the stream after events the API received later). Clamping the key to
 * the receipt means a client cannot push the horizon past its own receive time, and the receipt condition means
 * that no event received after the forgotten ones is refused (docs/privacy.md, "3."). See docs/profiles.md
 * ("Idempotency").
 *
 * <p>Kept as arrays in key order (as the item stores them), so a merge adds a batch's few events and drops the
 * lowest keys by one merge of sorted runs, without hashing or sorting the window.
 */
public final class AppliedEvents {

    /**
     * How much later than its key an event may have been received, at most, for entries stored without their
     * receive time: ingest refuses an occurredAt more than 7 days before the receipt, enrich 5 minutes more.
     */
    public static final Duration UNKNOWN_RECEIPT_SLACK = Duration.ofDays(7).plusMinutes(5);

    /** Nothing applied yet. */
    public static final AppliedEvents NONE = new AppliedEvents(new long[0], new String[0], new long[0],
        Long.MIN_VALUE, "", Long.MIN_VALUE);

    private final long[] millis;
    private final String[] ids;
    private final long[] receivedMillis;
    private final int[] hashes;
    private final long horizonMillis;
    private final String horizonEventId;
    private final long horizonReceivedMillis;

    /** @param millis, ids and receivedMillis in ascending key order, owned by this instance from now on */
    private AppliedEvents(long[] millis, String[] ids, long[] receivedMillis, long horizonMillis,
        String horizonEventId, long horizonReceivedMillis) {
        this.millis = millis;
        this.ids = ids;
        this.receivedMillis = receivedMillis;
        this.horizonReceivedMillis = horizonReceivedMillis;
        this.hashes = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            hashes[i] = ids[i].hashCode();
        }
        this.horizonMillis = horizonMillis;
        this.horizonEventId = horizonEventId;
    }

    /**
     * Entries stored without their receive time (the layout before it was kept): each one counts as received as
     * late as it can have been ({@link #UNKNOWN_RECEIPT_SLACK} after its key), and so does the horizon, which keeps
     * the refusal of forgotten events sound.
     *
     * @param eventIds        applied event ids
     * @param occurredAtMillis each one's key time in epoch milliseconds, in the same order; the two lists may
     *                        come in any order (they are put in key order)
     * @param horizonAt       key time of the highest forgotten event, or {@code null} when none was
     * @param horizonEventId  that event's id ({@code ""} when none was)
     * @throws IllegalArgumentException when the lists differ in length
     */
    public static AppliedEvents of(List<String> eventIds, List<Long> occurredAtMillis, Instant horizonAt,
        String horizonEventId) {
        List<Long> received = new ArrayList<>(occurredAtMillis.size());
        occurredAtMillis.forEach(at -> received.add(at == null ? null : at + UNKNOWN_RECEIPT_SLACK.toMillis()));
        return of(eventIds, occurredAtMillis, received, horizonAt, horizonEventId,
            horizonAt == null ? null : horizonAt.plus(UNKNOWN_RECEIPT_SLACK));
    }

    /**
     * @param eventIds          applied event ids
     * @param keyMillis         each one's key time (its occurredAt, or its receipt if that was earlier) in epoch
     *                          milliseconds, in the same order
     * @param receivedMillis    each one's receivedAt in epoch milliseconds, in the same order
     * @param horizonAt         key time of the highest forgotten event, or {@code null} when none was
     * @param horizonEventId    that event's id ({@code ""} when none was)
     * @param horizonReceivedAt the latest receivedAt of any forgotten event, or {@code null} when none was
     * @throws IllegalArgumentException when the lists differ in length
     */
    public static AppliedEvents of(List<String> eventIds, List<Long> keyMillis, List<Long> receivedMillis,
        Instant horizonAt, String horizonEventId, Instant horizonReceivedAt) {
        Objects.requireNonNull(horizonEventId, "horizonEventId");
        if (eventIds.size() != keyMillis.size() || eventIds.size() != receivedMillis.size()) {
            throw new IllegalArgumentException("applied event ids and times differ in number: " + eventIds.size()
                + ", " + keyMillis.size() + " and " + receivedMillis.size());
        }
        if (eventIds.isEmpty() && horizonAt == null) {
            return NONE;
        }
        int n = eventIds.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> compare(keyMillis.get(a), eventIds.get(a), keyMillis.get(b),
            eventIds.get(b)));
        long[] millis = new long[n];
        String[] ids = new String[n];
        long[] received = new long[n];
        for (int i = 0; i < n; i++) {
            millis[i] = keyMillis.get(order[i]);
            ids[i] = Objects.requireNonNull(eventIds.get(order[i]), "event id");
            received[i] = receivedMillis.get(order[i]);
        }
        return new AppliedEvents(millis, ids, received, horizonAt == null ? Long.MIN_VALUE : horizonAt.toEpochMilli(),
            horizonAt == null ? "" : horizonEventId, horizonAt == null ? Long.MIN_VALUE
                : horizonReceivedAt == null ? horizonAt.plus(UNKNOWN_RECEIPT_SLACK).toEpochMilli()
                    : horizonReceivedAt.toEpochMilli());
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

    /** True when an event with this key is at or below the horizon, whenever it was received. */
    public boolean isAtOrBelowHorizon(Instant key, String eventId) {
        return compare(key.toEpochMilli(), eventId, horizonMillis, horizonEventId) <= 0;
    }

    /**
     * True when an event may have been forgotten, and is therefore not applied: its key is at or below the horizon
     * and it was received no later than the latest-received forgotten event. An event received after every
     * forgotten event cannot be one of them, so it is applied whatever its key: a client that dates events ahead
     * (or floods a customer with current ones) cannot make events received after them disappear.
     */
    public boolean mayBeForgotten(Instant key, Instant receivedAt, String eventId) {
        return isAtOrBelowHorizon(key, eventId) && receivedAt.toEpochMilli() <= horizonReceivedMillis;
    }

    /** The latest receivedAt of any forgotten event, or {@code null} when nothing was forgotten. */
    public Instant horizonReceivedAt() {
        return horizonReceivedMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(horizonReceivedMillis);
    }

    /** The {@code i}-th remembered event's receivedAt in epoch milliseconds, in ascending key order. */
    public long receivedMillisAt(int i) {
        return receivedMillis[i];
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
            && horizonEventId.equals(that.horizonEventId) && horizonReceivedMillis == that.horizonReceivedMillis
            && Arrays.equals(millis, that.millis) && Arrays.equals(ids, that.ids)
            && Arrays.equals(receivedMillis, that.receivedMillis);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(millis), Arrays.hashCode(ids), Arrays.hashCode(receivedMillis),
            horizonMillis, horizonEventId, horizonReceivedMillis);
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
        private long[] addedReceived = new long[0];
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

        boolean isAtOrBelowHorizon(Instant key, String eventId) {
            return base.isAtOrBelowHorizon(key, eventId);
        }

        boolean mayBeForgotten(Instant key, Instant receivedAt, String eventId) {
            return base.mayBeForgotten(key, receivedAt, eventId);
        }

        /** Adds an event received when it occurred (tests). */
        void add(String eventId, Instant occurredAt) {
            add(eventId, occurredAt, occurredAt);
        }

        /** Adds an event not yet remembered (the caller checked {@link #contains}). */
        void add(String eventId, Instant key, Instant receivedAt) {
            if (added == addedIds.length) {
                int capacity = Math.max(4, added * 2);
                addedIds = Arrays.copyOf(addedIds, capacity);
                addedMillis = Arrays.copyOf(addedMillis, capacity);
                addedReceived = Arrays.copyOf(addedReceived, capacity);
            }
            long at = key.toEpochMilli();
            // insertion into the sorted run of added events: a batch adds a few per customer
            int i = added - 1;
            while (i >= 0 && compare(addedMillis[i], addedIds[i], at, eventId) > 0) {
                addedMillis[i + 1] = addedMillis[i];
                addedIds[i + 1] = addedIds[i];
                addedReceived[i + 1] = addedReceived[i];
                i--;
            }
            addedMillis[i + 1] = at;
            addedIds[i + 1] = eventId;
            addedReceived[i + 1] = receivedAt.toEpochMilli();
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
            long[] received = new long[total - dropped];
            long horizon = base.horizonMillis;
            String horizonId = base.horizonEventId;
            long horizonReceived = base.horizonReceivedMillis;
            int b = 0;
            int a = 0;
            for (int k = 0; k < total; k++) {
                boolean fromBase = a >= added || (b < base.ids.length
                    && compare(base.millis[b], base.ids[b], addedMillis[a], addedIds[a]) < 0);
                long at = fromBase ? base.millis[b] : addedMillis[a];
                long receivedAt = fromBase ? base.receivedMillis[b] : addedReceived[a];
                String id = fromBase ? base.ids[b++] : addedIds[a++];
                if (k < dropped) {
                    if (compare(at, id, horizon, horizonId) > 0) {
                        horizon = at;
                        horizonId = id;
                    }
                    horizonReceived = Math.max(horizonReceived, receivedAt);
                } else {
                    millis[k - dropped] = at;
                    ids[k - dropped] = id;
                    received[k - dropped] = receivedAt;
                }
            }
            return new AppliedEvents(millis, ids, received, horizon, horizonId, horizonReceived);
        }
    }
}
