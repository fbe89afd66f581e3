package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * enrich's time rules on the emulator at fixed instants a year apart and either side of midnight in
 * Africa/Johannesburg: the erasure tombstone's TTL, a tombstone counting as gone once it has expired, record age
 * judged by the record's own receive time, and records from the future refused with a reason. Every time is
 * relative to the instant under test; nothing reads the machine's clock.
 */
@ExtendWith(MotoExtension.class)
class EnrichCalendarIT {

    private static final Location CAPE_TOWN = new Location("ZA/WC/cape-town", "Cape Town", true);
    private static EnrichFixture fixture;

    static List<Instant> instants() {
        return List.of(Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2027-11-25T10:00:00Z"),
            Instant.parse("2026-12-31T21:59:59Z"), Instant.parse("2026-12-31T22:00:00Z"));
    }

    @BeforeAll
    static void createTables(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void erasure_keepsItsTombstoneForNinetyDaysFromWhenItWasApplied_thenLetsTheIdBeUsedAgain(Instant now) {
        String customer = "cal-erase-" + now.getEpochSecond();
        EnrichHandler handler = fixture.handler(Clock.fixed(now, ZoneOffset.UTC));
        handler.handleRequest(EnrichFixture.batch(fixture.records(List.of(
            interest(customer, "e-1", now.minus(Duration.ofMinutes(10))),
            new ErasureEvent("x-1", customer, now.minus(Duration.ofMinutes(5)),
                now.minus(Duration.ofMinutes(5)), "", false)))), null);

        assertThat(fixture.profile(customer)).isNull();
        Map<String, AttributeValue> tombstone = fixture.tombstone(customer);
        assertThat(Long.parseLong(tombstone.get("expiresAt").n()))
            .isEqualTo(now.plus(Duration.ofDays(90)).getEpochSecond());

        // a day before it expires, a new event for the id is still dropped
        Instant dayBefore = now.plus(Duration.ofDays(89));
        fixture.handler(Clock.fixed(dayBefore, ZoneOffset.UTC)).handleRequest(EnrichFixture.batch(
            fixture.records(List.of(interest(customer, "e-2", dayBefore)))), null);
        assertThat(fixture.profile(customer)).isNull();

        // once it has expired (before DynamoDB's TTL sweep removes it) the id may be used again
        Instant after = now.plus(Duration.ofDays(90)).plusSeconds(1);
        fixture.handler(Clock.fixed(after, ZoneOffset.UTC)).handleRequest(EnrichFixture.batch(
            fixture.records(List.of(interest(customer, "e-3", after)))), null);
        Profile profile = fixture.profile(customer);
        assertThat(profile).isNotNull();
        assertThat(profile.interests()).containsOnlyKeys("books");
    }

    @ParameterizedTest(name = "at {0}")
    @MethodSource("instants")
    void recordAge_isJudgedByWhenTheApiReceivedIt_andRecordsFromTheFutureAreDeadLetteredWithTheReason(
        Instant now) {
        String customer = "cal-age-" + now.getEpochSecond();
        EnrichHandler handler = fixture.handler(Clock.fixed(now, ZoneOffset.UTC));
        fixture.failedEvents();
        // received six days ago, occurred a week before that: within the window when it was received
        Instant received = now.minus(Duration.ofDays(6));
        InterestEvent old = new InterestEvent("old-1", customer, "books", CAPE_TOWN,
            received.minus(Duration.ofDays(7)), received, "", false);
        Instant ahead = now.plus(Duration.ofMinutes(6));
        InterestEvent future = new InterestEvent("future-1", customer, "garden", CAPE_TOWN, ahead, ahead, "", false);

        StreamsEventResponse response = handler.handleRequest(EnrichFixture.batch(fixture.records(
            List.of(old, future))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile(customer).interests()).containsOnlyKeys("books");
        assertThat(fixture.failedEvents()).singleElement().satisfies(failed -> {
            assertThat(failed.path("reason").asText()).isEqualTo("receivedAt " + ahead
                + " lies more than PT5M after the function's clock");
            assertThat(failed.path("failedAt").asText()).isEqualTo(now.toString());
            assertThat(new String(Base64.getDecoder().decode(failed.path("rawRecordBase64").asText()),
                StandardCharsets.UTF_8)).contains("\"eventId\":\"future-1\"");
        });
    }

    private static InterestEvent interest(String customer, String eventId, Instant at) {
        return new InterestEvent(eventId, customer, "books", CAPE_TOWN, at, at.plusMillis(250), "", false);
    }
}
