package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Consumer Protection Act's hours at fixed instants, written as local times in Africa/Johannesburg (UTC+2, no
 * daylight saving). 2026-11-25 is a Wednesday, 2026-11-28 a Saturday, 2026-11-29 a Sunday.
 */
class QuietHoursTest {

    private static final ZoneId JOHANNESBURG = ZoneId.of("Africa/Johannesburg");
    private static final QuietHours CPA = QuietHours.consumerProtectionAct(PublicHolidays.southAfrica());

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // weekdays: 08:00-20:00
        "2026-11-25T07:59:59, 2026-11-25T08:00",
        "2026-11-25T08:00:00, ",
        "2026-11-25T19:59:59, ",
        "2026-11-25T20:00:00, 2026-11-26T08:00",
        "2026-11-25T23:30:00, 2026-11-26T08:00",
        // Friday evening: the next window is Saturday's, at 09:00
        "2026-11-27T20:00:00, 2026-11-28T09:00",
        // Saturday: 09:00-13:00 only; after 13:00 the next window is Monday's (Sunday has none)
        "2026-11-28T08:00:00, 2026-11-28T09:00",
        "2026-11-28T09:00:00, ",
        "2026-11-28T12:59:59, ",
        "2026-11-28T13:00:00, 2026-11-30T08:00",
        // Sunday: none at all
        "2026-11-29T00:00:00, 2026-11-30T08:00",
        "2026-11-29T10:00:00, 2026-11-30T08:00",
        // Easter 2027 (28 March): Good Friday 26 March and Family Day 29 March are holidays
        "2027-03-25T20:30:00, 2027-03-27T09:00",
        "2027-03-27T13:00:00, 2027-03-30T08:00",
        // National Women's Day 2026 is a Sunday: Monday 10 August is a public holiday too
        "2026-08-07T20:00:00, 2026-08-08T09:00",
        "2026-08-08T13:00:00, 2026-08-11T08:00",
        // Christmas 2026 (Friday) and the Day of Goodwill (Saturday): nothing from Thursday evening to Monday
        "2026-12-24T20:00:00, 2026-12-28T08:00",
        // Christmas 2033 on a Sunday, the Day of Goodwill on the Monday: Tuesday is kept free too
        "2033-12-23T20:00:00, 2033-12-24T09:00",
        "2033-12-24T13:00:00, 2033-12-28T08:00",
        // New Year's Day 2027 (Friday): Saturday's window is the first
        "2026-12-31T20:00:00, 2027-01-02T09:00",
        // a declared day: the elections of 29 May 2024 (Wednesday)
        "2024-05-28T20:00:00, 2024-05-30T08:00",
    })
    void deferUntil_isNullInsideAWindow_andOtherwiseTheNextWindowsStart(String local, String expected) {
        Instant now = LocalDateTime.parse(local).atZone(JOHANNESBURG).toInstant();

        Instant deferred = CPA.deferUntil(now, JOHANNESBURG);

        if (expected == null) {
            assertThat(deferred).isNull();
        } else {
            assertThat(deferred).isEqualTo(LocalDateTime.parse(expected).atZone(JOHANNESBURG).toInstant());
        }
    }

    @org.junit.jupiter.api.Test
    void deferUntil_usesTheCustomersOwnTimeZone() {
        Instant instant = Instant.parse("2026-11-25T19:00:00Z");

        assertThat(CPA.deferUntil(instant, JOHANNESBURG)).isEqualTo(Instant.parse("2026-11-26T06:00:00Z"));
        assertThat(CPA.deferUntil(instant, ZoneId.of("America/Sao_Paulo"))).isNull();
    }

    @org.junit.jupiter.api.Test
    void deferredInstants_areAlwaysInsideAWindow_forEveryHourOfTwoYears() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (Instant now = start; now.isBefore(start.plusSeconds(2L * 366 * 24 * 3600)); now = now.plusSeconds(3600)) {
            Instant allowed = CPA.deferUntil(now, JOHANNESBURG);
            if (allowed != null) {
                assertThat(allowed).isAfter(now);
                assertThat(CPA.deferUntil(allowed, JOHANNESBURG)).as("deferred to %s from %s", allowed, now).isNull();
                assertThat(CPA.deferUntil(allowed.minusSeconds(1), JOHANNESBURG)).isNotNull();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void none_isOff_andNeverDefers() {
        assertThat(QuietHours.NONE.isOff()).isTrue();
        assertThat(CPA.isOff()).isFalse();
        for (String local : List.of("2026-11-29T10:00:00", "2026-12-25T23:00:00")) {
            assertThat(QuietHours.NONE.deferUntil(LocalDateTime.parse(local).atZone(JOHANNESBURG).toInstant(),
                JOHANNESBURG)).isNull();
        }
    }
}
