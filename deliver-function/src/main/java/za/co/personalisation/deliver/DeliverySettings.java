package za.co.personalisation.deliver;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.retry.Backoff;
import za.co.personalisation.core.notify.FrequencyCaps;
import za.co.personalisation.core.notify.PublicHolidays;
import za.co.personalisation.core.notify.QuietHours;
import za.co.personalisation.core.profile.Channel;

/**
 * deliver-function's policy and plumbing settings, from the environment template.yaml declares.
 *
 * @param quietHours      the Consumer Protection Act's hours (no setting can switch them off); messages outside them
 *                        are deferred to the next permitted instant
 * @param caps            per customer, channel, day and week
 * @param defaultZone     for a contact without a valid time zone
 * @param lease           how long a claimed notification stays with the invocation that claimed it; longer than
 *                        the function's timeout, so that only a crashed attempt's claim is ever taken over
 * @param maxDelay        the longest SQS DelaySeconds used when re-queueing (SQS allows 15 minutes)
 * @param throttleBackoff the first back-off after the provider throttles; doubled per throttled attempt
 * @param maxReceives     a message failing transiently this many times goes to the dead-letter queue with its
 *                        reason (before the queue's own redrive, which cannot say why)
 * @param queueUrls       the channel queues, to re-queue deferred and throttled messages
 * @param deadLetterQueueUrl where poison messages go, with their reason
 * @param timeReserve     the invocation time a message needs to be sent and its outcome recorded: when less is
 *                        left, the rest of the batch is handed back to SQS instead of being started (a send cut off
 *                        by the function's timeout would have an unknown outcome)
 */
record DeliverySettings(QuietHours quietHours, FrequencyCaps caps, ZoneId defaultZone, Duration lease,
    Duration maxDelay, Duration throttleBackoff, int maxReceives, Map<Channel, String> queueUrls,
    String deadLetterQueueUrl, Duration timeReserve) {

    static final Duration SQS_MAX_DELAY = Duration.ofMinutes(15);

    DeliverySettings {
        Objects.requireNonNull(quietHours, "quietHours");
        Objects.requireNonNull(caps, "caps");
        queueUrls = Map.copyOf(queueUrls);
        if (maxDelay.isNegative() || maxDelay.compareTo(SQS_MAX_DELAY) > 0) {
            throw new IllegalArgumentException("the re-queue delay must be between 0 and 15 minutes: " + maxDelay);
        }
        if (timeReserve.isNegative()) {
            throw new IllegalArgumentException("DELIVERY_TIME_RESERVE cannot be negative: " + timeReserve);
        }
        if (maxReceives < 1) {
            throw new IllegalArgumentException("DELIVERY_MAX_RECEIVES must be at least 1");
        }
    }

    /**
     * How long a message waits before its next try after its channel's provider throttled {@code throttles} times:
     * full jitter, uniform in [0, min({@link #maxDelay}, {@link #throttleBackoff} × 2<sup>throttles</sup>)], so that
     * the re-queued messages of a batch spread out instead of returning together.
     */
    Duration throttleDelay(int throttles, RandomGenerator random) {
        return new Backoff(throttleBackoff, maxDelay).delay(throttles, random);
    }

    /** Settings that used to shape or switch off the quiet hours; set now, they stop the function at start-up. */
    static final List<String> RETIRED = List.of("QUIET_HOURS", "QUIET_HOURS_EXEMPT_STAGES");

    /** The deployed function's settings: the quiet hours are the Consumer Protection Act's, whatever the stage. */
    static DeliverySettings from(Settings settings) {
        for (String retired : RETIRED) {
            if (settings.has(retired)) {
                throw new IllegalStateException("deliver-function settings are invalid: " + retired + " is set, but"
                    + " the quiet hours are the Consumer Protection Act's and no stage may change or switch them off;"
                    + " remove it (public holidays declared at short notice go in EXTRA_PUBLIC_HOLIDAYS)");
            }
        }
        PublicHolidays holidays;
        try {
            holidays = PublicHolidays.southAfrica().with(PublicHolidays.parseDates(
                settings.get("EXTRA_PUBLIC_HOLIDAYS", "")));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("deliver-function settings are invalid: EXTRA_PUBLIC_HOLIDAYS: "
                + e.getMessage(), e);
        }
        return from(settings, QuietHours.consumerProtectionAct(holidays));
    }

    /** With other quiet hours: only the local runtime calls this (with {@link QuietHours#NONE}). */
    static DeliverySettings from(Settings settings, QuietHours quiet) {
        Map<Channel, Integer> perDay = new EnumMap<>(Channel.class);
        perDay.put(Channel.SMS, settings.getInt("SMS_CAP_PER_DAY", 2));
        perDay.put(Channel.EMAIL, settings.getInt("EMAIL_CAP_PER_DAY", 3));
        Map<Channel, Integer> perWeek = new EnumMap<>(Channel.class);
        perWeek.put(Channel.SMS, settings.getInt("SMS_CAP_PER_WEEK", 5));
        perWeek.put(Channel.EMAIL, settings.getInt("EMAIL_CAP_PER_WEEK", 10));
        Map<Channel, String> queues = new EnumMap<>(Channel.class);
        queues.put(Channel.SMS, settings.require("SMS_QUEUE_URL"));
        queues.put(Channel.EMAIL, settings.require("EMAIL_QUEUE_URL"));
        String zone = settings.get("DEFAULT_TIME_ZONE", "Africa/Johannesburg");
        try {
            return new DeliverySettings(quiet, new FrequencyCaps(perDay, perWeek), ZoneId.of(zone),
                settings.getDuration("DELIVERY_LEASE", Duration.ofMinutes(2)),
                settings.getDuration("REQUEUE_MAX_DELAY", SQS_MAX_DELAY),
                settings.getDuration("THROTTLE_BACKOFF", Duration.ofSeconds(2)),
                settings.getInt("DELIVERY_MAX_RECEIVES", 4),
                queues,
                settings.require("DELIVERY_DLQ_URL"),
                settings.getDuration("DELIVERY_TIME_RESERVE", Duration.ofSeconds(10)));
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new IllegalStateException("deliver-function settings are invalid: " + e.getMessage(), e);
        }
    }
}
