package za.co.personalisation.core.notify;

import java.time.Instant;
import java.util.Objects;
import za.co.personalisation.core.profile.Channel;

/**
 * One offer to one customer on one channel: the message notify-function publishes and deliver-function sends.
 * Ids and reasons only; the recipient's address is looked up at send time by deliver-function.
 *
 * @param customerId     who
 * @param offerId        what
 * @param channel        how
 * @param eventId        the interest event credited with triggering it
 * @param interest       the interest that matched
 * @param locationRule   the offer's location rule that matched
 * @param catalogVersion the catalog version matched against
 * @param trigger        the kind of change that triggered matching ({@code new_interest}, {@code score_threshold},
 *                       {@code location_change}), empty when unknown
 * @param replay         replayed traffic: routed to the sandbox queue, never to a customer
 * @param createdAt      when notify-function decided
 * @param traceId        X-Ray trace id carried from ingest, empty when there was none
 */
public record Notification(
    String customerId,
    String offerId,
    Channel channel,
    String eventId,
    String interest,
    String locationRule,
    String catalogVersion,
    String trigger,
    boolean replay,
    Instant createdAt,
    String traceId) {

    /** Prefix of the ledger keys of replayed traffic, which never take a real notification's place. */
    public static final String REPLAY_KEY_PREFIX = "replay#";

    public Notification {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(interest, "interest");
        Objects.requireNonNull(locationRule, "locationRule");
        Objects.requireNonNull(catalogVersion, "catalogVersion");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(traceId, "traceId");
    }

    /**
     * The ledger's sort key: one notification per customer × offer × channel ({@code offerId#channel}). Replayed
     * traffic has its own keys ({@code replay#offerId#channel}), so a replay is de-duplicated against itself but
     * never stops the real notification.
     */
    public String ledgerKey() {
        return replay ? REPLAY_KEY_PREFIX + ledgerKey(offerId, channel) : ledgerKey(offerId, channel);
    }

    public static String ledgerKey(String offerId, Channel channel) {
        return offerId + "#" + channel.wireName();
    }
}
