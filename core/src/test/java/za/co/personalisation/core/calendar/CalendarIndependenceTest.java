package za.co.personalisation.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.EventRequest;
import za.co.personalisation.core.event.EventRequestParser;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.InvalidRequestException;
import za.co.personalisation.core.event.Violation;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.notify.FrequencyCaps;
import za.co.personalisation.core.notify.PublicHolidays;
import za.co.personalisation.core.notify.QuietHours;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.EventValidator;
import za.co.personalisation.core.profile.InterestStat;

/**
 * Every rule that reads the calendar, run at fixed instants: a Wednesday, the same date a year later, the last
 * second of a year and the first of the next in Africa/Johannesburg (a day, week-day and year boundary there while
 * it is still 31 December in UTC), and the first second of a leap day there. Each expectation is derived from the
 * instant under test, so the rules are shown to hold on any date, not on the one a test happened to be written on.
 * None of this reads the machine's clock or time zone.
 */
class CalendarIndependenceTest {

    private static final ZoneId JOHANNESBURG = ZoneId.of("Africa/Johannesburg");
    private static final EventLimits LIMITS = EventLimits.defaults();

    static List<Instant> instants() {
        return List.of(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2027-11-25T10:00:00Z"),
            Instant.parse("2026-12-31T21:59:59Z"), Instant.parse("2026-12-31T22:00:00Z"),
            Instant.parse("2028-02-28T22:00:00Z"));
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void validationWindow_acceptsTheLastSevenDaysAndFiveMinutesAhead_andNothingBeyond(Instant now) {

        assertThat(accepted(now.minus(Duration.ofDays(7)), now)).isTrue();
        assertThat(accepted(now.minus(Duration.ofDays(7)).minusSeconds(1), now)).isFalse();
        assertThat(accepted(now.plus(Duration.ofMinutes(5)), now)).isTrue();
        assertThat(accepted(now.plus(Duration.ofMinutes(5)).plusSeconds(1), now)).isFalse();
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void recordAge_isJudgedAgainstTheRecordsOwnReceiveTimeAndTheFunctionsClock(Instant now) {
        EventValidator validator = new EventValidator(LIMITS);

        assertThat(validator.violation(event(now.minus(Duration.ofDays(7)), now), now)).isNull();
        assertThat(validator.violation(event(now.minus(Duration.ofDays(8)), now), now))
            .contains("before receivedAt");
        Instant received = now.plus(Duration.ofMinutes(6));
        assertThat(validator.violation(event(received, received), now)).contains("after the function's clock");
        // a record that waited on the stream for days is judged by when the API received it, not by now
        Instant late = now.plus(Duration.ofDays(6));
        assertThat(validator.violation(event(now.minus(Duration.ofDays(1)), now), late)).isNull();
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void dailyAndWeeklyCaps_countInTheCustomersCalendarDayAndIsoWeek(Instant now) {
        ZonedDateTime local = now.atZone(JOHANNESBURG);
        LocalDate day = local.toLocalDate();
        List<FrequencyCaps.Window> windows = new FrequencyCaps(Map.of(Channel.SMS, 2), Map.of(Channel.SMS, 5))
            .windows(Channel.SMS, now, JOHANNESBURG);

        FrequencyCaps.Window daily = windows.get(0);
        assertThat(daily.key()).isEqualTo("cap#sms#day#" + day);
        assertThat(daily.endsAt()).isEqualTo(day.plusDays(1).atStartOfDay(JOHANNESBURG).toInstant());
        assertThat(Duration.between(now, daily.endsAt())).isPositive().isLessThanOrEqualTo(Duration.ofDays(1));

        FrequencyCaps.Window weekly = windows.get(1);
        assertThat(weekly.key()).isEqualTo(String.format("cap#sms#week#%d-W%02d",
            day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        ZonedDateTime weekEnds = weekly.endsAt().atZone(JOHANNESBURG);
        assertThat(weekEnds.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
        assertThat(weekEnds.toLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(Duration.between(now, weekly.endsAt())).isPositive().isLessThanOrEqualTo(Duration.ofDays(7));

        // one second earlier is the previous day's window exactly when the instant is a local midnight
        FrequencyCaps.Window before = new FrequencyCaps(Map.of(Channel.SMS, 2), Map.of())
            .windows(Channel.SMS, now.minusSeconds(1), JOHANNESBURG).get(0);
        boolean midnight = local.toLocalTime().equals(LocalTime.MIDNIGHT);
        assertThat(before.key().equals(daily.key())).isEqualTo(!midnight);
        if (midnight) {
            assertThat(before.endsAt()).isEqualTo(now);
        }
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void quietHours_deferToTheNextPermittedOpeningLocally_andNeverDropOrSendOutside(Instant now) {
        QuietHours cpa = QuietHours.consumerProtectionAct(PublicHolidays.southAfrica());
        ZonedDateTime local = now.atZone(JOHANNESBURG);
        Instant until = cpa.deferUntil(now, JOHANNESBURG);

        if (permitted(local)) {
            assertThat(until).isNull();
            return;
        }
        ZonedDateTime opening = until.atZone(JOHANNESBURG);
        assertThat(permitted(opening)).isTrue();
        assertThat(permitted(opening.minusSeconds(1))).isFalse();
        assertThat(opening.toLocalTime()).isIn(LocalTime.of(8, 0), LocalTime.of(9, 0));
        assertThat(Duration.between(now, until)).isPositive().isLessThanOrEqualTo(Duration.ofDays(5));
        assertThat(cpa.deferUntil(until, JOHANNESBURG)).isNull();
        for (ZonedDateTime t = local; t.isBefore(opening); t = t.plusMinutes(30)) {
            assertThat(permitted(t)).as("nothing permitted before the opening, at %s", t).isFalse();
        }
    }

    /** The regulation, restated here from the instant alone: weekdays 08-20, Saturdays 09-13, else nothing. */
    private static boolean permitted(ZonedDateTime local) {
        if (local.getDayOfWeek() == DayOfWeek.SUNDAY || PublicHolidays.southAfrica().isHoliday(local.toLocalDate())) {
            return false;
        }
        LocalTime time = local.toLocalTime();
        return local.getDayOfWeek() == DayOfWeek.SATURDAY
            ? !time.isBefore(LocalTime.of(9, 0)) && time.isBefore(LocalTime.of(13, 0))
            : !time.isBefore(LocalTime.of(8, 0)) && time.isBefore(LocalTime.of(20, 0));
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void interestScore_halvesEveryHalfLife_fromWhenTheEventOccurred(Instant now) {
        Duration halfLife = Duration.ofDays(7);
        InterestStat stat = InterestStat.first(now, "e-1");

        assertThat(stat.scoreAt(now, halfLife)).isEqualTo(1.0);
        assertThat(stat.scoreAt(now.plus(halfLife), halfLife)).isCloseTo(0.5, within(1e-9));
        assertThat(stat.plus(now.minus(halfLife), "e-0", halfLife).scoreAt(now, halfLife))
            .isCloseTo(1.5, within(1e-9));
    }

    private static boolean accepted(Instant occurredAt, Instant receivedAt) {
        // written as a client in Johannesburg would: with its +02:00 offset
        String body = "{\"customerId\":\"c-1\",\"interest\":\"books\",\"location\":\"Cape Town\",\"occurredAt\":\""
            + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(occurredAt.atZone(JOHANNESBURG).toOffsetDateTime())
            + "\"}";
        AtomicInteger ids = new AtomicInteger();
        EventRequest request;
        try {
            request = new EventRequestParser(Gazetteer.bundled(), LIMITS, () -> "gen-" + ids.incrementAndGet())
                .parse(body.getBytes(StandardCharsets.UTF_8), receivedAt, "");
        } catch (InvalidRequestException e) {
            assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/occurredAt");
            return false;
        }
        assertThat(request.accepted().get(0).occurredAt()).isEqualTo(occurredAt);
        assertThat(request.accepted().get(0).receivedAt()).isEqualTo(receivedAt);
        return true;
    }

    private static InterestEvent event(Instant occurredAt, Instant receivedAt) {
        return new InterestEvent("e-1", "c-1", "books", new Location("ZA/WC/cape-town", "Cape Town", true),
            occurredAt, receivedAt, "", false);
    }
}
