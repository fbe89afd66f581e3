package za.co.personalisation.core.notify;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When direct marketing may reach a customer, by the regulations under South Africa's Consumer Protection Act
 * (regulation 4(1)): never on a Sunday or a public holiday ({@link PublicHolidays}), on a Saturday only from 09:00
 * to 13:00, on any other day only from 08:00 to 20:00, in the customer's own time zone. A message that falls outside
 * is deferred to the next instant that is inside, never dropped.
 *
 * <p>These hours are the law, not a setting: a deployed stage cannot switch them off. {@link #NONE} exists for the
 * local runtime only, so that the demo stack can be tried at any hour (see docs/privacy.md).
 */
public final class QuietHours {

    static final LocalTime WEEKDAY_START = LocalTime.of(8, 0);
    static final LocalTime WEEKDAY_END = LocalTime.of(20, 0);
    static final LocalTime SATURDAY_START = LocalTime.of(9, 0);
    static final LocalTime SATURDAY_END = LocalTime.of(13, 0);
    /** A public holiday can follow a Sunday and a Saturday window is short; two weeks always hold a window. */
    private static final int SEARCH_DAYS = 14;

    /** No quiet hours at all: only the local runtime uses this. */
    public static final QuietHours NONE = new QuietHours(null);

    private final PublicHolidays holidays;

    private QuietHours(PublicHolidays holidays) {
        this.holidays = holidays;
    }

    /** The Consumer Protection Act's hours with these public holidays. */
    public static QuietHours consumerProtectionAct(PublicHolidays holidays) {
        return new QuietHours(Objects.requireNonNull(holidays, "holidays"));
    }

    /** True for {@link #NONE}. */
    public boolean isOff() {
        return holidays == null;
    }

    /**
     * The instant sending is allowed again for a customer in {@code zone}, or {@code null} when it is allowed at
     * {@code now}: the start of the next permitted window (the same day's, when {@code now} is before it).
     */
    public Instant deferUntil(Instant now, ZoneId zone) {
        if (isOff()) {
            return null;
        }
        ZonedDateTime local = now.atZone(zone);
        LocalDate date = local.toLocalDate();
        for (int day = 0; day <= SEARCH_DAYS; day++, date = date.plusDays(1)) {
            LocalTime start = start(date);
            if (start == null) {
                continue;
            }
            ZonedDateTime opens = date.atTime(start).atZone(zone);
            ZonedDateTime closes = date.atTime(end(date)).atZone(zone);
            if (day == 0 && !local.isBefore(opens) && local.isBefore(closes)) {
                return null;
            }
            if (local.isBefore(opens)) {
                return opens.toInstant();
            }
        }
        throw new IllegalStateException("no permitted window within " + SEARCH_DAYS + " days of " + local);
    }

    /** When the permitted window of a date opens, or {@code null} when the date has none. */
    LocalTime start(LocalDate date) {
        if (date.getDayOfWeek() == DayOfWeek.SUNDAY || holidays.isHoliday(date)) {
            return null;
        }
        return date.getDayOfWeek() == DayOfWeek.SATURDAY ? SATURDAY_START : WEEKDAY_START;
    }

    private static LocalTime end(LocalDate date) {
        return date.getDayOfWeek() == DayOfWeek.SATURDAY ? SATURDAY_END : WEEKDAY_END;
    }

    @Override
    public String toString() {
        return isOff() ? "off (local runtime)"
            : "Consumer Protection Act: Mon-Fri 08:00-20:00, Sat 09:00-13:00, none on Sundays and public holidays";
    }
}
