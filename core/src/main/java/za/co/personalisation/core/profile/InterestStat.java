package za.co.personalisation.core.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a profile knows about one interest.
 *
 * <p>The score is a sum of decaying contributions, one per event: an event that occurred at {@code t} contributes
 * {@code 0.5^((lastSeen - t) / halfLife)} at {@code lastSeen}. Kept as "score at lastSeen", it can absorb late
 * events correctly and the result does not depend on the order events arrive in.
 *
 * @param score       the score as of {@code lastSeen}
 * @param count       events applied for this interest
 * @param firstSeen   earliest occurredAt
 * @param lastSeen    latest occurredAt
 * @param lastEventId the event with the latest occurredAt: the one credited when this interest triggers an offer
 */
public record InterestStat(double score, long count, Instant firstSeen, Instant lastSeen, String lastEventId,
    boolean lastEventReplay, String lastTraceId) {

    public InterestStat {
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(lastEventId, "lastEventId");
        Objects.requireNonNull(lastTraceId, "lastTraceId");
        if (count < 1 || score <= 0) {
            throw new IllegalArgumentException("an interest has at least one event and a positive score");
        }
    }

    /** A stat whose credited event was live traffic. */
    public InterestStat(double score, long count, Instant firstSeen, Instant lastSeen, String lastEventId) {
        this(score, count, firstSeen, lastSeen, lastEventId, false, "");
    }

    /** A stat whose credited event carried no trace id. */
    public InterestStat(double score, long count, Instant firstSeen, Instant lastSeen, String lastEventId,
        boolean lastEventReplay) {
        this(score, count, firstSeen, lastSeen, lastEventId, lastEventReplay, "");
    }

    public static InterestStat first(Instant occurredAt, String eventId) {
        return first(occurredAt, eventId, false);
    }

    /** @param replay the event is replayed traffic: offers it triggers go to the sandbox only */
    public static InterestStat first(Instant occurredAt, String eventId, boolean replay) {
        return first(occurredAt, eventId, replay, "");
    }

    /** @param traceId the X-Ray trace id of the ingest request that carried the event, empty when untraced */
    public static InterestStat first(Instant occurredAt, String eventId, boolean replay, String traceId) {
        return new InterestStat(1.0, 1, occurredAt, occurredAt, eventId, replay, traceId);
    }

    /** This stat with one more event that occurred at {@code occurredAt}. */
    public InterestStat plus(Instant occurredAt, String eventId, Duration halfLife) {
        return plus(occurredAt, eventId, false, halfLife);
    }

    /**
     * This stat with one more event. The event with the latest occurredAt is credited ({@code lastEventId}), and
     * its replay flag travels with it, so that notify can tell replayed traffic from live traffic.
     */
    public InterestStat plus(Instant occurredAt, String eventId, boolean replay, Duration halfLife) {
        return plus(occurredAt, eventId, replay, "", halfLife);
    }

    /**
     * As {@link #plus(Instant, String, boolean, Duration)}, with the trace id of the event, which travels with
     * the credited event so that the notification it triggers joins the same trace.
     */
    public InterestStat plus(Instant occurredAt, String eventId, boolean replay, String traceId, Duration halfLife) {
        Instant first = occurredAt.isBefore(firstSeen) ? occurredAt : firstSeen;
        if (occurredAt.isAfter(lastSeen) || (occurredAt.equals(lastSeen) && eventId.compareTo(lastEventId) > 0)) {
            double carried = score * decay(Duration.between(lastSeen, occurredAt), halfLife);
            return new InterestStat(carried + 1.0, count + 1, first, occurredAt, eventId, replay, traceId);
        }
        double late = decay(Duration.between(occurredAt, lastSeen), halfLife);
        return new InterestStat(score + late, count + 1, first, lastSeen, lastEventId, lastEventReplay, lastTraceId);
    }

    /** The score as of {@code now}, decayed since {@code lastSeen}. */
    public double scoreAt(Instant now, Duration halfLife) {
        return now.isAfter(lastSeen) ? score * decay(Duration.between(lastSeen, now), halfLife) : score;
    }

    static double decay(Duration age, Duration halfLife) {
        return Math.pow(0.5, (double) age.toMillis() / halfLife.toMillis());
    }
}
