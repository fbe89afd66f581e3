package za.co.personalisation.core.notify;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import za.co.personalisation.core.profile.Channel;

/**
 * How many messages a customer may receive per channel per calendar day and per ISO week (Monday to Sunday), both
 * in the customer's time zone. A limit of 0 means no cap for that period. Pure: the counting is done by the store
 * (one counter per window, conditional on the limit, idempotent per notification).
 */
public final class FrequencyCaps {

    /** The two periods a cap counts over. */
    public enum Period {
        DAY,
        WEEK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One counting window: a customer may get at most {@code limit} messages on {@code channel} in it.
     *
     * @param key    stable id of the window, e.g. {@code cap#sms#day#2026-11-26} or {@code cap#sms#week#2026-W48}
     * @param endsAt when the window closes (its counter can expire after that)
     */
    public record Window(Channel channel, Period period, String key, int limit, Instant endsAt) {
    }

    private final Map<Channel, Integer> perDay;
    private final Map<Channel, Integer> perWeek;

    public FrequencyCaps(Map<Channel, Integer> perDay, Map<Channel, Integer> perWeek) {
        this.perDay = copy(perDay);
        this.perWeek = copy(perWeek);
    }

    /** No caps at all. */
    public static FrequencyCaps none() {
        return new FrequencyCaps(Map.of(), Map.of());
    }

    private static Map<Channel, Integer> copy(Map<Channel, Integer> limits) {
        Map<Channel, Integer> copy = new EnumMap<>(Channel.class);
        limits.forEach((channel, limit) -> {
            Objects.requireNonNull(limit, "limit");
            if (limit < 0) {
                throw new IllegalArgumentException("a frequency cap cannot be negative: " + channel + " " + limit);
            }
            if (limit > 0) {
                copy.put(channel, limit);
            }
        });
        return copy;
    }

    /** The windows a message on {@code channel} sent at {@code now} counts in; empty when the channel is uncapped. */
    public List<Window> windows(Channel channel, Instant now, ZoneId zone) {
        List<Window> windows = new ArrayList<>(2);
        LocalDate day = now.atZone(zone).toLocalDate();
        Integer daily = perDay.get(channel);
        if (daily != null) {
            windows.add(new Window(channel, Period.DAY, "cap#" + channel.wireName() + "#day#" + day, daily,
                day.plusDays(1).atStartOfDay(zone).toInstant()));
        }
        Integer weekly = perWeek.get(channel);
        if (weekly != null) {
            String week = String.format(Locale.ROOT, "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
                day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            LocalDate nextMonday = day.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
            windows.add(new Window(channel, Period.WEEK, "cap#" + channel.wireName() + "#week#" + week, weekly,
                nextMonday.atStartOfDay(zone).toInstant()));
        }
        return windows;
    }

    @Override
    public String toString() {
        return "FrequencyCaps[perDay=" + perDay + ", perWeek=" + perWeek + "]";
    }
}
