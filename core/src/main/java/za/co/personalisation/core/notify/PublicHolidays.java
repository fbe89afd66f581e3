package za.co.personalisation.core.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public holidays of South Africa (Public Holidays Act 36 of 1994), on which no direct marketing is sent.
 *
 * <p>Statutory, computed for any year: New Year's Day (1 January), Human Rights Day (21 March), Good Friday and
 * Family Day (the Friday before and the Monday after Easter Sunday, by the Gregorian computus), Freedom Day
 * (27 April), Workers' Day (1 May), Youth Day (16 June), National Women's Day (9 August), Heritage Day
 * (24 September), Day of Reconciliation (16 December), Christmas Day (25 December) and the Day of Goodwill
 * (26 December). Section 2(1): when one falls on a Sunday, the Monday after it is a public holiday. When that Monday
 * is a holiday already (Christmas on a Sunday, the Day of Goodwill on the Monday), the next day that is not one is
 * treated as the holiday: the cautious reading, which costs a marketer at most one day.
 *
 * <p>Declared days (section 2A: elections, a day the President declares) cannot be computed: they are listed in the
 * resource {@code declared-holidays-za.txt} beside this class, and more can be given at start-up ({@link #with}),
 * so that a day declared at short notice needs a configuration change, not a release.
 */
public final class PublicHolidays {

    private static final String DECLARED = "declared-holidays-za.txt";

    private final Set<LocalDate> declared;
    private final ConcurrentHashMap<Integer, Set<LocalDate>> byYear = new ConcurrentHashMap<>();

    private PublicHolidays(Set<LocalDate> declared) {
        this.declared = Set.copyOf(declared);
    }

    /** The statutory holidays and the declared days of the bundled list. */
    public static PublicHolidays southAfrica() {
        return new PublicHolidays(readDeclared());
    }

    /** These holidays and the {@code extra} declared days. */
    public PublicHolidays with(Collection<LocalDate> extra) {
        Set<LocalDate> all = new HashSet<>(declared);
        all.addAll(extra);
        return new PublicHolidays(all);
    }

    /**
     * Parses a comma-separated list of ISO dates ({@code 2026-05-27,2026-12-28}); blank means none.
     *
     * @throws IllegalArgumentException naming the entry that is not a date
     */
    public static Set<LocalDate> parseDates(String text) {
        Set<LocalDate> dates = new TreeSet<>();
        for (String part : text.split(",", -1)) {
            String value = part.trim();
            if (value.isEmpty()) {
                continue;
            }
            try {
                dates.add(LocalDate.parse(value));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("a public holiday must be an ISO date such as 2026-12-28, not '"
                    + value + "'");
            }
        }
        return dates;
    }

    public boolean isHoliday(LocalDate date) {
        return declared.contains(date) || byYear.computeIfAbsent(date.getYear(), PublicHolidays::statutory)
            .contains(date);
    }

    /** Every public holiday of a year, statutory and declared, in order. */
    public Set<LocalDate> of(int year) {
        Set<LocalDate> all = new TreeSet<>(byYear.computeIfAbsent(year, PublicHolidays::statutory));
        declared.stream().filter(date -> date.getYear() == year).forEach(all::add);
        return all;
    }

    /** Easter Sunday of a year of the Gregorian calendar (the anonymous Gregorian algorithm). */
    public static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }

    private static Set<LocalDate> statutory(int year) {
        LocalDate easter = easterSunday(year);
        Set<LocalDate> days = new TreeSet<>(Set.of(
            LocalDate.of(year, Month.JANUARY, 1),
            LocalDate.of(year, Month.MARCH, 21),
            easter.minusDays(2),
            easter.plusDays(1),
            LocalDate.of(year, Month.APRIL, 27),
            LocalDate.of(year, Month.MAY, 1),
            LocalDate.of(year, Month.JUNE, 16),
            LocalDate.of(year, Month.AUGUST, 9),
            LocalDate.of(year, Month.SEPTEMBER, 24),
            LocalDate.of(year, Month.DECEMBER, 16),
            LocalDate.of(year, Month.DECEMBER, 25),
            LocalDate.of(year, Month.DECEMBER, 26)));
        Set<LocalDate> substitutes = new TreeSet<>();
        for (LocalDate day : days) {
            if (day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                LocalDate substitute = day.plusDays(1);
                while (days.contains(substitute) || substitutes.contains(substitute)) {
                    substitute = substitute.plusDays(1);
                }
                substitutes.add(substitute);
            }
        }
        days.addAll(substitutes);
        return Set.copyOf(days);
    }

    private static Set<LocalDate> readDeclared() {
        Set<LocalDate> dates = new HashSet<>();
        try (InputStream in = PublicHolidays.class.getResourceAsStream(DECLARED)) {
            if (in == null) {
                throw new IllegalStateException(DECLARED + " is missing from the core jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String date = text.split("\\s+", 2)[0];
                try {
                    dates.add(LocalDate.parse(date));
                } catch (DateTimeParseException e) {
                    throw new IllegalStateException(DECLARED + " line " + number + ": '" + date
                        + "' is not an ISO date", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dates;
    }
}
