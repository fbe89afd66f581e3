package za.co.personalisation.notify;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.aws.dynamodb.StreamImages;
import za.co.personalisation.aws.lambda.BatchFailures;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.notify.NotificationPolicy;
import za.co.personalisation.core.notify.SuppressionReason;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.core.offer.OfferMatch;
import za.co.personalisation.core.offer.OfferMatcher;
import za.co.personalisation.core.outcome.Holdout;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.ShadowCustomers;

/**
 * Turns profile changes (DynamoDB Streams, NEW_AND_OLD_IMAGES) into notifications: match offers for meaningful
 * changes, apply the policy (consent per channel, the offer's channel order), claim the ledger entry (the conditional
 * put that makes a notification happen once), publish to SNS in batches of ten for the whole invocation, and
 * confirm the ledger entries as queued.
 *
 * <p>Correct with or without the event source mapping's filter: a change that is not meaningful (a repeated
 * interest below the threshold, a consent change, a removal) matches nothing here either.
 *
 * <p>A record whose notifications could not all be published is reported as a batch item failure (Lambda resumes
 * from the lowest one); on the retry the ledger answers "unconfirmed" for what was claimed but not confirmed, so it
 * is published again, and "duplicate" for what was, so it is not. deliver-function's own claim makes a message
 * published twice go out once. A record whose image does not fit the profile layout cannot succeed on a retry: it
 * goes to the failed-changes queue with its reason and the shard moves on.
 */
final class OfferNotifier {

    private final OfferRepository offers;
    private final OfferMatcher matcher;
    private final NotificationPolicy policy;
    private final NotificationLedger ledger;
    private final SnsNotificationPublisher publisher;
    private final FailedChangesQueue failedChanges;
    private final Holdout holdout;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    OfferNotifier(OfferRepository offers, OfferMatcher matcher, NotificationPolicy policy, NotificationLedger ledger,
        SnsNotificationPublisher publisher, FailedChangesQueue failedChanges, Holdout holdout, Clock clock,
        JsonLog log, Metrics metrics) {
        this.offers = offers;
        this.matcher = matcher;
        this.policy = policy;
        this.ledger = ledger;
        this.publisher = publisher;
        this.failedChanges = failedChanges;
        this.holdout = holdout;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    StreamsEventResponse apply(DynamodbEvent batch) {
        BatchFailures failures = new BatchFailures();
        Metrics.Unit unit = metrics.unit();
        List<Notification> ready = new ArrayList<>();
        List<String> readySequence = new ArrayList<>();
        boolean failedBefore = false;
        for (DynamodbEvent.DynamodbStreamRecord record : batch.getRecords()) {
            String sequence = record.getDynamodb().getSequenceNumber();
            if (failedBefore) {
                // Lambda resumes from the lowest failure; later records will come again, in order.
                failures.fail(sequence);
                continue;
            }
            try {
                for (Notification notification : decide(record, unit)) {
                    ready.add(notification);
                    readySequence.add(sequence);
                }
            } catch (SdkException e) {
                log.warn("profile_change.failed").with("sequenceNumber", sequence).error(e).log();
                failures.fail(sequence);
                failedBefore = true;
            } catch (IllegalArgumentException e) {
                if (!failedChanges.send(record, e.getMessage(), unit)) {
                    failures.fail(sequence);
                    failedBefore = true;
                }
            }
        }
        if (!ready.isEmpty()) {
            publishAndConfirm(ready, readySequence, failures, unit);
        }
        unit.count("ProfileChanges", batch.getRecords().size()).flush();
        return failures.streamsResponse();
    }

    private List<Notification> decide(DynamodbEvent.DynamodbStreamRecord record, Metrics.Unit unit) {
        Map<String, AttributeValue> newImage = StreamImages.toSdk(record.getDynamodb().getNewImage());
        if (newImage == null || newImage.isEmpty()) {
            return List.of();
        }
        Map<String, AttributeValue> oldImage = StreamImages.toSdk(record.getDynamodb().getOldImage());
        Profile after = ProfileItems.fromItem(newImage);
        Profile before = oldImage == null || oldImage.isEmpty() ? null : ProfileItems.fromItem(oldImage);
        Instant now = clock.instant();
        if (matcher.triggers(before, after, now).isEmpty()) {
            unit.count("ProfileChangesIgnored", 1);
            return List.of();
        }
        OfferCatalog catalog = offers.catalog();
        Set<Channel> reachable = policy.reachable(after);
        if (reachable.isEmpty()) {
            // Nothing may be sent; say what would have been, so the decision can be explained.
            for (OfferMatch match : matcher.match(catalog, before, after, now)) {
                unit.count("OffersMatched", 1);
                suppressed(unit, after.customerId(), match, SuppressionReason.NO_CONSENT);
            }
            return List.of();
        }
        List<Notification> notifications = new ArrayList<>();
        for (OfferMatch match : matcher.match(catalog, before, after, now, reachable)) {
            unit.count("OffersMatched", 1);
            NotificationPolicy.Decision decision = policy.decide(after, match.offer());
            if (!decision.send()) {
                suppressed(unit, after.customerId(), match, decision.suppressedBecause());
                continue;
            }
            InterestStat credited = after.interests().get(match.interest());
            Notification notification = new Notification(after.customerId(), match.offer().offerId(),
                decision.channel(), match.causeEventId(), match.interest(), match.locationRule(),
                match.catalogVersion(), match.trigger().wireName(),
                // a shadow customer's notifications are always replayed traffic: sandbox only (docs/replay.md)
                ShadowCustomers.isShadow(after.customerId()) || credited != null && credited.lastEventReplay(), now,
                credited == null ? "" : credited.lastTraceId());
            if (holdout.inControl(after.customerId(), match.offer().offerId(), match.offer().controlShare())) {
                heldOut(unit, notification, match);
                continue;
            }
            NotificationLedger.Claim claim = ledger.claim(notification);
            if (claim == NotificationLedger.Claim.DUPLICATE) {
                suppressed(unit, after.customerId(), match, SuppressionReason.DUPLICATE);
                continue;
            }
            log.info("notification.decided")
                .with("customerId", notification.customerId())
                .with("offerId", notification.offerId())
                .with("channel", notification.channel().wireName())
                .with("eventId", notification.eventId())
                .with("traceId", notification.traceId())
                .with("interest", match.interest())
                .with("interestScore", match.interestScore())
                .with("locationRule", match.locationRule())
                .with("catalogVersion", match.catalogVersion())
                .with("trigger", notification.trigger())
                .with("replay", notification.replay())
                .with("claim", claim.name().toLowerCase(Locale.ROOT))
                .log();
            notifications.add(notification);
        }
        return notifications;
    }

    private void publishAndConfirm(List<Notification> ready, List<String> sequences, BatchFailures failures,
        Metrics.Unit unit) {
        SnsNotificationPublisher.Result result;
        try {
            result = publisher.publish(ready);
        } catch (SdkException e) {
            log.warn("notification.publish_failed").with("notifications", ready.size()).error(e).log();
            failures.fail(sequences.get(0));
            return;
        }
        unit.count("SnsPublishCalls", result.calls());
        String lowestFailed = null;
        for (int i = 0; i < ready.size(); i++) {
            Notification notification = ready.get(i);
            if (result.failed().contains(i)) {
                lowestFailed = lowestFailed == null ? sequences.get(i) : lowestFailed;
                continue;
            }
            unit.dimension("Channel", notification.channel().wireName(), "NotificationsPublished", 1);
            try {
                ledger.transition(notification.customerId(), notification.ledgerKey(),
                    List.of(NotificationLedger.PENDING), NotificationLedger.QUEUED, clock.instant(), Map.of());
            } catch (SdkException e) {
                // Published; deliver-function accepts a pending entry too, so only the status lags.
                log.warn("notification.confirm_failed").with("customerId", notification.customerId())
                    .with("offerId", notification.offerId()).error(e).log();
            }
        }
        if (lowestFailed != null) {
            log.warn("notification.publish_partly_failed").with("failed", result.failed().size()).log();
            failures.fail(lowestFailed);
        }
    }

    /**
     * The customer would have been sent the offer but is in its control group (docs/offers.md, "Holdouts"): the
     * ledger records {@code held_out}, once, and nothing is published.
     */
    private void heldOut(Metrics.Unit unit, Notification notification, OfferMatch match) {
        NotificationLedger.Claim claim = ledger.holdOut(notification);
        if (claim == NotificationLedger.Claim.CLAIMED) {
            unit.count("NotificationsHeldOut", 1);
        }
        log.info("notification.held_out")
            .with("customerId", notification.customerId())
            .with("offerId", notification.offerId())
            .with("channel", notification.channel().wireName())
            .with("eventId", notification.eventId())
            .with("controlShare", match.offer().controlShare())
            .with("replay", notification.replay())
            .with("claim", claim.name().toLowerCase(Locale.ROOT))
            .log();
    }

    private void suppressed(Metrics.Unit unit, String customerId, OfferMatch match, SuppressionReason reason) {
        unit.dimension("Reason", reason.wireName(), "NotificationsSuppressed", 1);
        log.info("notification.suppressed")
            .with("customerId", customerId)
            .with("offerId", match.offer().offerId())
            .with("eventId", match.causeEventId())
            .with("interest", match.interest())
            .with("locationRule", match.locationRule())
            .with("catalogVersion", match.catalogVersion())
            .with("reason", reason.wireName())
            .log();
    }
}
