package za.co.personalisation.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.core.notify.FrequencyCaps;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.aws.testing.NotificationStack;

/**
 * The notifications table's time rules on the emulator at fixed instants a year apart and either side of
 * midnight in Africa/Johannesburg: a ledger entry lives 90 days from when it was created, cap counters count in
 * the customer's local day and ISO week and expire a day after their window, and a message one second after local
 * midnight counts in the new day. Every expectation is derived from the instant under test.
 */
@ExtendWith(MotoExtension.class)
class LedgerCalendarIT {

    private static final ZoneId JOHANNESBURG = ZoneId.of("Africa/Johannesburg");
    private static final FrequencyCaps CAPS = new FrequencyCaps(Map.of(Channel.SMS, 1), Map.of(Channel.SMS, 3));
    private static NotificationStack stack;
    private static NotificationLedger ledger;

    static List<Instant> instants() {
        return List.of(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2027-11-25T10:00:00Z"),
            Instant.parse("2026-12-31T21:59:59Z"), Instant.parse("2026-12-31T22:00:00Z"),
            Instant.parse("2028-02-28T22:00:00Z"));
    }

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = NotificationStack.create(emulator);
        ledger = stack.ledger();
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void entry_expiresNinetyDaysAfterItWasCreated(Instant now) {
        String customer = "cal-ttl-" + now.getEpochSecond();
        Notification notification = new Notification(customer, "BOOK-ZA-01", Channel.SMS, "ev-1", "books", "ZA",
            "v1", "new_interest", false, now, "");

        assertThat(ledger.claim(notification)).isEqualTo(NotificationLedger.Claim.CLAIMED);

        Map<String, AttributeValue> entry = ledger.get(customer, notification.ledgerKey());
        assertThat(entry.get("createdAt").s()).isEqualTo(now.toString());
        assertThat(Long.parseLong(entry.get("expiresAt").n())).isEqualTo(now.plus(Duration.ofDays(90))
            .getEpochSecond());
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void capCounters_countInTheLocalDayAndWeek_andExpireADayAfterTheirWindow(Instant now) {
        String customer = "cal-cap-" + now.getEpochSecond();
        List<FrequencyCaps.Window> windows = CAPS.windows(Channel.SMS, now, JOHANNESBURG);
        LocalDate today = now.atZone(JOHANNESBURG).toLocalDate();
        // a reservation is for a notification being sent (its entry is checked in the same transaction)
        stack.sending(customer, "A#sms");
        stack.sending(customer, "B#sms");

        assertThat(ledger.reserve(customer, "A#sms", windows)).isNull();
        FrequencyCaps.Window full = ledger.reserve(customer, "B#sms", windows);

        assertThat(full).isNotNull();
        assertThat(full.key()).isEqualTo("cap#sms#day#" + today);
        for (FrequencyCaps.Window window : windows) {
            Map<String, AttributeValue> counter = ledger.get(customer, window.key());
            assertThat(counter.get("keys").ss()).as(window.key()).containsExactly("A#sms");
            assertThat(Long.parseLong(counter.get("expiresAt").n())).as(window.key())
                .isEqualTo(window.endsAt().plus(Duration.ofDays(1)).getEpochSecond())
                .isGreaterThan(now.getEpochSecond());
        }
        // tomorrow, locally, is a new day in the same or the next week
        Instant tomorrow = today.plusDays(1).atTime(12, 0).atZone(JOHANNESBURG).toInstant();
        assertThat(ledger.reserve(customer, "B#sms", CAPS.windows(Channel.SMS, tomorrow, JOHANNESBURG))).isNull();
    }

    @Test
    void aMessageOneSecondAfterMidnightInJohannesburg_countsInTheNewDay_whileStill31DecemberInUtc() {
        Instant beforeMidnight = Instant.parse("2026-12-31T21:59:59Z");
        Instant afterMidnight = Instant.parse("2026-12-31T22:00:00Z");
        String customer = "cal-midnight";
        stack.sending(customer, "A#sms");
        stack.sending(customer, "B#sms");

        assertThat(ledger.reserve(customer, "A#sms", CAPS.windows(Channel.SMS, beforeMidnight, JOHANNESBURG)))
            .isNull();
        assertThat(ledger.reserve(customer, "B#sms", CAPS.windows(Channel.SMS, beforeMidnight, JOHANNESBURG)))
            .extracting(FrequencyCaps.Window::key).isEqualTo("cap#sms#day#2026-12-31");
        assertThat(ledger.reserve(customer, "B#sms", CAPS.windows(Channel.SMS, afterMidnight, JOHANNESBURG)))
            .isNull();
        assertThat(ledger.counted(customer, CAPS.windows(Channel.SMS, afterMidnight, JOHANNESBURG).get(1)))
            .as("both days are in ISO week 2026-W53").isEqualTo(2);
    }
}
