package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.profile.Channel;

class FrequencyCapsTest {

    private static final ZoneId JOHANNESBURG = ZoneId.of("Africa/Johannesburg");
    private final FrequencyCaps caps = new FrequencyCaps(Map.of(Channel.SMS, 2, Channel.EMAIL, 0),
        Map.of(Channel.SMS, 5, Channel.EMAIL, 10));

    @Test
    void windows_areTheCustomersLocalDayAndIsoWeek() {
        // 23:30 UTC on Sunday 29 November is already Monday 30 November in Johannesburg: a new day and week.
        Instant instant = Instant.parse("2026-11-29T23:30:00Z");

        assertThat(caps.windows(Channel.SMS, instant, JOHANNESBURG)).containsExactly(
            new FrequencyCaps.Window(Channel.SMS, FrequencyCaps.Period.DAY, "cap#sms#day#2026-11-30", 2,
                Instant.parse("2026-11-30T22:00:00Z")),
            new FrequencyCaps.Window(Channel.SMS, FrequencyCaps.Period.WEEK, "cap#sms#week#2026-W49", 5,
                Instant.parse("2026-12-06T22:00:00Z")));
        assertThat(caps.windows(Channel.SMS, instant, ZoneId.of("UTC"))).extracting(FrequencyCaps.Window::key)
            .containsExactly("cap#sms#day#2026-11-29", "cap#sms#week#2026-W48");
    }

    @Test
    void windows_useTheWeekBasedYearAtNewYear_andLeaveOutAPeriodWithoutACap() {
        assertThat(caps.windows(Channel.EMAIL, Instant.parse("2027-01-01T10:00:00Z"), JOHANNESBURG))
            .extracting(FrequencyCaps.Window::key).containsExactly("cap#email#week#2026-W53");
        assertThat(FrequencyCaps.none().windows(Channel.SMS, Instant.EPOCH, JOHANNESBURG)).isEmpty();
    }
}
