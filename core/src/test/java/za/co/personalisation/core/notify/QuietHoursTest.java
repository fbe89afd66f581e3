package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

    private static final ZoneId JOHANNESBURG = ZoneId.of("Africa/Johannesburg");

    @Test
    void deferUntil_isNullInTheDay_andTheNextEightOClockInTheEveningOrAfterMidnight() {
        QuietHours quiet = QuietHours.DEFAULT;

        assertThat(quiet.deferUntil(Instant.parse("2026-11-25T10:00:00Z"), JOHANNESBURG)).isNull();
        assertThat(quiet.deferUntil(Instant.parse("2026-11-25T17:59:59Z"), JOHANNESBURG)).isNull();
        assertThat(quiet.deferUntil(Instant.parse("2026-11-25T18:00:00Z"), JOHANNESBURG))
            .isEqualTo(Instant.parse("2026-11-26T06:00:00Z"));
        assertThat(quiet.deferUntil(Instant.parse("2026-11-25T23:30:00Z"), JOHANNESBURG))
            .isEqualTo(Instant.parse("2026-11-26T06:00:00Z"));
        assertThat(quiet.deferUntil(Instant.parse("2026-11-26T05:59:59Z"), JOHANNESBURG))
            .isEqualTo(Instant.parse("2026-11-26T06:00:00Z"));
        assertThat(quiet.deferUntil(Instant.parse("2026-11-26T06:00:00Z"), JOHANNESBURG)).isNull();
    }

    @Test
    void deferUntil_usesTheCustomersOwnTimeZone() {
        Instant instant = Instant.parse("2026-11-25T19:00:00Z");

        assertThat(QuietHours.DEFAULT.deferUntil(instant, JOHANNESBURG)).isNotNull();
        assertThat(QuietHours.DEFAULT.deferUntil(instant, ZoneId.of("America/Sao_Paulo"))).isNull();
    }

    @Test
    void aWindowThatDoesNotWrapMidnight_andOff_work() {
        QuietHours lunch = QuietHours.parse("12:00-13:30");

        assertThat(lunch.isQuiet(LocalTime.of(12, 0))).isTrue();
        assertThat(lunch.isQuiet(LocalTime.of(13, 30))).isFalse();
        assertThat(lunch.isQuiet(LocalTime.of(23, 0))).isFalse();
        assertThat(QuietHours.parse("off").deferUntil(Instant.parse("2026-11-25T23:00:00Z"), JOHANNESBURG))
            .isNull();
        assertThat(QuietHours.parse(" 20:00 - 08:00 ")).isEqualTo(QuietHours.DEFAULT);
        assertThat(QuietHours.DEFAULT.toString()).isEqualTo("20:00-08:00");
    }

    @Test
    void parse_explainsTheExpectedFormat() {
        assertThatThrownBy(() -> QuietHours.parse("8pm to 8am"))
            .hasMessage("quiet hours must look like 20:00-08:00 (local start-end) or off, not '8pm to 8am'");
    }
}
