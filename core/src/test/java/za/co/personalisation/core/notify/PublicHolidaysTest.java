package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicHolidaysTest {

    private static final PublicHolidays ZA = PublicHolidays.southAfrica();

    @ParameterizedTest
    @CsvSource({"2000, 2000-04-23", "2019, 2019-04-21", "2024, 2024-03-31", "2025, 2025-04-20", "2026, 2026-04-05",
        "2027, 2027-03-28", "2038, 2038-04-25", "2285, 2285-03-22"})
    void easterSunday_matchesTheGregorianCalendar(int year, String easter) {
        assertThat(PublicHolidays.easterSunday(year)).isEqualTo(LocalDate.parse(easter));
    }

    @Test
    void of2026_isTheGazettedList_withTheMondayAfterWomensDay() {
        assertThat(ZA.of(2026)).containsExactly(
            LocalDate.parse("2026-01-01"), LocalDate.parse("2026-03-21"), LocalDate.parse("2026-04-03"),
            LocalDate.parse("2026-04-06"), LocalDate.parse("2026-04-27"), LocalDate.parse("2026-05-01"),
            LocalDate.parse("2026-06-16"), LocalDate.parse("2026-08-09"), LocalDate.parse("2026-08-10"),
            LocalDate.parse("2026-09-24"), LocalDate.parse("2026-12-16"), LocalDate.parse("2026-12-25"),
            LocalDate.parse("2026-12-26"));
    }

    @Test
    void of2023_holdsTheSundaySubstitutes_andTheDeclaredRugbyDay() {
        // New Year's Day 2023 was a Sunday: the Monday after it was a holiday; 15 December was declared one
        assertThat(ZA.of(2023)).contains(LocalDate.parse("2023-01-02"), LocalDate.parse("2023-12-15"))
            .doesNotContain(LocalDate.parse("2023-12-14"));
        assertThat(ZA.isHoliday(LocalDate.parse("2024-05-29"))).isTrue();
    }

    @Test
    void with_addsDaysDeclaredAtShortNotice() {
        PublicHolidays more = ZA.with(PublicHolidays.parseDates(" 2026-11-30 , ,2026-12-28"));

        assertThat(more.isHoliday(LocalDate.parse("2026-11-30"))).isTrue();
        assertThat(more.isHoliday(LocalDate.parse("2026-12-28"))).isTrue();
        assertThat(ZA.isHoliday(LocalDate.parse("2026-11-30"))).isFalse();
        assertThat(PublicHolidays.parseDates("")).isEmpty();
        assertThatThrownBy(() -> PublicHolidays.parseDates("2026-11-30,30/11/2026"))
            .hasMessage("a public holiday must be an ISO date such as 2026-12-28, not '30/11/2026'");
    }

    @Test
    void everyYear_hasTwelveStatutoryDays_plusOneForEachOnASunday() {
        for (int year = 2020; year <= 2040; year++) {
            Set<LocalDate> days = ZA.of(year);
            long declared = List.of(2016, 2019, 2021, 2023, 2024).contains(year) ? 1 : 0;
            long sundays = days.stream().filter(d -> d.getDayOfWeek() == java.time.DayOfWeek.SUNDAY).count();
            assertThat(days).as("%d", year).hasSize((int) (12 + sundays + declared));
        }
    }
}
