package za.co.personalisation.local.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An event's journey read from function log lines in the shape the functions and the local gateway write them. */
class JourneysTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path logs;

    @Test
    void of_ordersTheStagesWithTimesSinceAcceptance_andEndsDeliveredOnDeliverySent() throws Exception {
        Path log = write(
            line("0.000", "api-gateway", "api.request", "\"eventIds\":\"e-1,e-2\",\"status\":202,\"latencyMs\":12"),
            line("0.900", "enrich", "event.applied", "\"eventId\":\"e-1\",\"interest\":\"electronics\""),
            line("0.950", "enrich", "event.applied", "\"eventId\":\"other\",\"interest\":\"books\""),
            line("2.100", "notify", "notification.decided", "\"eventId\":\"e-1\",\"offerId\":\"ELEC-CPT-01\","
                + "\"channel\":\"sms\""),
            "not json at all",
            line("3.250", "deliver", "delivery.sent", "\"eventId\":\"e-1\",\"offerId\":\"ELEC-CPT-01\","
                + "\"reason\":\"\""));

        Journeys.Journey journey = journeys(log, T0.plusSeconds(5)).of("e-1");

        assertThat(journey.outcome()).isEqualTo("delivered");
        assertThat(journey.stages()).extracting(Journeys.Stage::stage)
            .containsExactly("accepted", "profile updated", "offer matched", "delivered");
        assertThat(journey.stages()).extracting(Journeys.Stage::sinceAcceptedMs)
            .containsExactly(0L, 900L, 2100L, 3250L);
        assertThat(journey.stages().get(2).detail()).containsEntry("offerId", "ELEC-CPT-01")
            .containsEntry("channel", "sms");
        assertThat(journey.stages().get(3).detail()).doesNotContainKey("reason");
    }

    @Test
    void of_readsLinesAppendedLater_andReportsSuppressionsWithTheirReason() throws Exception {
        Path log = write(line("0.000", "api-gateway", "api.request", "\"eventIds\":\"e-9\",\"status\":202"));
        Journeys journeys = journeys(log, T0.plusSeconds(1));
        assertThat(journeys.of("e-9").outcome()).isEqualTo("pending");

        Files.writeString(log, line("1.000", "notify", "notification.suppressed", "\"eventId\":\"e-9\","
            + "\"reason\":\"no_consent\"") + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Journeys.Journey journey = journeys.of("e-9");
        assertThat(journey.outcome()).isEqualTo("suppressed");
        assertThat(journey.stages()).last().satisfies(stage -> {
            assertThat(stage.stage()).isEqualTo("not notified");
            assertThat(stage.detail()).containsEntry("reason", "no_consent");
        });
    }

    @Test
    void of_whenNotifyStaysQuietAfterTheProfileUpdate_saysNoOffer_butOnlyAfterTheQuietPeriod() throws Exception {
        Path log = write(
            line("0.000", "api-gateway", "api.request", "\"eventIds\":\"e-5\",\"status\":202"),
            line("1.000", "enrich", "event.applied", "\"eventId\":\"e-5\""));

        assertThat(journeys(log, T0.plusSeconds(1 + Journeys.QUIET_SECONDS - 1)).of("e-5").outcome())
            .isEqualTo("pending");
        assertThat(journeys(log, T0.plusSeconds(1 + Journeys.QUIET_SECONDS + 1)).of("e-5").outcome())
            .isEqualTo("no offer");
    }

    @Test
    void of_unknownEvent_isAnEmptyPendingJourney() throws Exception {
        assertThat(journeys(write(), T0).of("missing").stages()).isEmpty();
        assertThat(journeys(logs.resolve("absent.log"), T0).of("missing").outcome()).isEqualTo("pending");
    }

    private Journeys journeys(Path log, Instant now) {
        return new Journeys(log, null, "notifications", Clock.fixed(now, ZoneOffset.UTC));
    }

    private Path write(String... lines) throws Exception {
        Path log = logs.resolve("functions.log");
        Files.write(log, List.of(lines), StandardCharsets.UTF_8);
        return log;
    }

    private static String line(String seconds, String function, String message, String fields) {
        Instant at = T0.plusMillis(Math.round(Double.parseDouble(seconds) * 1000));
        return "{\"time\":\"" + at + "\",\"level\":\"INFO\",\"function\":\"" + function + "\",\"message\":\""
            + message + "\"," + fields + "}";
    }
}
