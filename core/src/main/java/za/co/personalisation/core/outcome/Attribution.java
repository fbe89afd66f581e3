package za.co.personalisation.core.outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.notify.DeliveryOutcome;

/**
 * Which notification a conversion is credited to (docs/offers.md, "Attribution"): the customer's most recent
 * notification that reached them, or that was held out, whose offer matches, no earlier than the attribution window
 * before the conversion and not after it. An offer matches when it is the offer the conversion names, or when the
 * notification was for the interest the conversion bought. A held-out entry counts as the control group's
 * "notification" at the moment it would have been sent, so that both groups are measured the same way.
 *
 * <p>Replayed notifications ({@code replay#} ledger keys) never take part: only live ones are given to it.
 */
public final class Attribution {

    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

    /** The experiment group of a credited entry. */
    public enum Group {
        /** The customer was sent the offer. */
        SENT("sent"),
        /** The customer was held out of the offer. */
        CONTROL("control"),
        /** Nothing matched: the conversion is recorded but credited to no offer. */
        NONE("none");

        private final String wireName;

        Group(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Group fromWire(String name) {
            for (Group group : values()) {
                if (group.wireName.equals(name)) {
                    return group;
                }
            }
            throw new IllegalArgumentException("unknown attribution group '" + name + "'");
        }
    }

    /**
     * A live ledger entry of the customer, as attribution needs it.
     *
     * @param ledgerKey the entry's key ({@code offerId#channel})
     * @param status    its sending status
     * @param outcome   what the delivery events said, or {@code null}
     * @param interest  the interest it was matched on
     * @param at        when it was sent ({@code sentAt}), or when it was held out ({@code createdAt})
     */
    public record Candidate(String ledgerKey, String offerId, String status, DeliveryOutcome outcome, String interest,
        Instant at) {

        public Candidate {
            Objects.requireNonNull(ledgerKey, "ledgerKey");
            Objects.requireNonNull(offerId, "offerId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(interest, "interest");
        }
    }

    /** The credit: an entry and its group, or {@link #NONE}. */
    public record Credit(String ledgerKey, String offerId, Group group) {

        public static final Credit NONE = new Credit("", "", Group.NONE);
    }

    private final Duration window;

    public Attribution(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the attribution window must be positive, not " + window);
        }
        this.window = window;
    }

    public Duration window() {
        return window;
    }

    /** The entry the conversion is credited to, or {@link Credit#NONE}. */
    public Credit credit(ConversionEvent conversion, Collection<Candidate> entries) {
        Instant from = conversion.occurredAt().minus(window);
        Candidate best = null;
        Group bestGroup = Group.NONE;
        for (Candidate entry : entries) {
            Group group = DeliveryStates.delivered(entry.status(), entry.outcome()) ? Group.SENT
                : DeliveryStates.HELD_OUT.equals(entry.status()) ? Group.CONTROL : Group.NONE;
            if (group == Group.NONE || entry.at() == null || entry.at().isBefore(from)
                || entry.at().isAfter(conversion.occurredAt()) || !matches(conversion, entry)) {
                continue;
            }
            if (best == null || entry.at().isAfter(best.at())
                || entry.at().equals(best.at()) && entry.ledgerKey().compareTo(best.ledgerKey()) < 0) {
                best = entry;
                bestGroup = group;
            }
        }
        return best == null ? Credit.NONE : new Credit(best.ledgerKey(), best.offerId(), bestGroup);
    }

    private static boolean matches(ConversionEvent conversion, Candidate entry) {
        return !conversion.offerId().isEmpty() && conversion.offerId().equals(entry.offerId())
            || conversion.interest().equals(entry.interest());
    }
}
