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
    boolean lastEventReplay) {

    public InterestStat {
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(lastEventId, "lastEventId");
        if (count < 1 || score <= 0) {
            throw new IllegalArgumentException("an interest has at least one event and a positive score");
        }
    }

    /** A stat whose credited event was live traffic. */
    public InterestStat(double score, long count, Instant firstSeen, Instant lastSeen, String lastEventId) {
        this(score, count, firstSeen, lastSeen, lastEventId, false);
    }

    public static InterestStat first(Instant occurredAt, String eventId) {
        return first(occurredAt, eventId, false);
    }

    /** @param replay the event is replayed traffic: offers it triggers go to the sandbox only */
    public static InterestStat first(Instant occurredAt, String eventId, boolean replay) {
        return new InterestStat(1.0, 1, occurredAt, occurredAt, eventId, replay);
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
        Instant first = occurredAt.isBefore(firstSeen) ? occurredAt : firstSeen;
        if (occurredAt.isAfter(lastSeen) || (occurredAt.equals(lastSeen) && eventId.compareTo(lastEventId) > 0)) {
            double carried = score * decay(Duration.between(lastSeen, occurredAt), halfLife);
            return new InterestStat(carried + 1.0, count + 1, first, occurredAt, eventId, replay);
        }
        double late = decay(Duration.between(occurredAt, lastSeen), halfLife);
        return new InterestStat(score + late, count + 1, first, lastSeen, lastEventId, lastEventReplay);
    }

    /** The score as of {@code now}, decayed since {@code lastSeen}. */
    public double scoreAt(Instant now, Duration halfLife) {
        return now.isAfter(lastSeen) ? score * decay(Duration.between(lastSeen, now), halfLife) : score;
    }

    static double decay(Duration age, Duration halfLife) {
        return Math.pow(0.5, (double) age.toMillis() / halfLife.toMillis());
    }
}
