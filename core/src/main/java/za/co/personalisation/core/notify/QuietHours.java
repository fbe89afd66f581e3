package za.co.personalisation.core.notify;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The hours in the customer's own time zone when no marketing message is sent (default 20:00–08:00, the window
 * South Africa's Consumer Protection Act regulations allow for direct marketing on weekdays). A message that falls
 * inside is deferred to the window's end, never dropped. A window may wrap midnight; {@code start == end} means no
 * quiet hours.
 */
public record QuietHours(LocalTime start, LocalTime end) {

    public static final QuietHours DEFAULT = new QuietHours(LocalTime.of(20, 0), LocalTime.of(8, 0));
    public static final QuietHours NONE = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    public QuietHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /**
     * Parses {@code HH:mm-HH:mm} (e.g. {@code 20:00-08:00}) or {@code off}.
     *
     * @throws IllegalArgumentException saying what format is expected
     */
    public static QuietHours parse(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("none")) {
            return NONE;
        }
        String[] parts = value.split("-", -1);
        try {
            if (parts.length == 2) {
                return new QuietHours(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()));
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("quiet hours must look like 20:00-08:00 (local start-end) or off, not '"
            + text + "'");
    }

    public boolean isQuiet(LocalTime time) {
        if (start.equals(end)) {
            return false;
        }
        if (start.isBefore(end)) {
            return !time.isBefore(start) && time.isBefore(end);
        }
        return !time.isBefore(start) || time.isBefore(end);
    }

    /** The instant sending is allowed again in {@code zone}, or {@code null} when it is allowed at {@code now}. */
    public Instant deferUntil(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        if (!isQuiet(local.toLocalTime())) {
            return null;
        }
        ZonedDateTime allowed = local.with(end);
        if (!allowed.isAfter(local)) {
            allowed = local.toLocalDate().plusDays(1).atTime(end).atZone(zone);
        }
        return allowed.toInstant();
    }

    @Override
    public String toString() {
        return start.equals(end) ? "off" : start + "-" + end;
    }
}
