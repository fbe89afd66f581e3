package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CAPE_TOWN;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.DURBAN;
import static za.co.personalisation.enrich.Events.NOW;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.AppliedEvents;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Issue 12, item 3: events dated in the future by a client cannot poison the applied-events horizon, so one client's
 * events never make another's real events disappear. Against the emulator with the real SDK and the default window
 * of 200 remembered events; asserts the stored profile.
 */
@ExtendWith(MotoExtension.class)
class AppliedHorizonIT {

    private EnrichFixture fixture;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
    }

    @Test
    void realEvent_receivedAfterAFloodDatedMinutesAhead_isApplied() {
        EnrichHandler handler = fixture.handler(CLOCK);
        Instant floodReceived = NOW.minus(Duration.ofSeconds(60));
        List<StreamEvent> flood = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            // any client may post events for any customer id, dated up to 5 minutes ahead
            flood.add(event(String.format("flood-%03d", i), "junk", floodReceived.plus(Duration.ofMinutes(4)),
                floodReceived.plusMillis(i)));
        }
        handler.handleRequest(batch(fixture.records(flood.subList(0, 125))), null);
        handler.handleRequest(batch(fixture.records(flood.subList(125, 250))), null);

        // the customer's own event: it happened before the flood was received (a phone that sends in batches),
        // and reached the API after it
        handler.handleRequest(batch(fixture.records(List.of(event("real-1", "books",
            NOW.minus(Duration.ofSeconds(90)), NOW.minus(Duration.ofSeconds(30)))))), null);

        Profile profile = fixture.profile("c-1");
        assertThat(profile.interests()).containsKey("books");
        assertThat(fixture.logs("event.too_late")).isEmpty();
        assertThat(fixture.metric("TooLate")).isZero();
    }

    @Test
    void forgottenEvent_redeliveredAfterTheFlood_isStillNotAppliedTwice() {
        EnrichHandler handler = fixture.handler(CLOCK);
        InterestEvent first = event("real-0", "books", NOW.minus(Duration.ofMinutes(10)),
            NOW.minus(Duration.ofMinutes(10)).plusMillis(250));
        handler.handleRequest(batch(fixture.records(List.of(first))), null);
        List<StreamEvent> flood = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            Instant received = NOW.minus(Duration.ofMinutes(5)).plusMillis(i);
            flood.add(event(String.format("flood-%03d", i), "junk", received.plus(Duration.ofMinutes(5)),
                received));
        }
        handler.handleRequest(batch(fixture.records(flood)), null);
        assertThat(fixture.profile("c-1").applied().contains("real-0")).as("forgotten").isFalse();

        handler.handleRequest(batch(fixture.records(List.of(first))), null);

        assertThat(fixture.profile("c-1").interests().get("books").count()).isEqualTo(1);
        assertThat(fixture.metric("TooLate")).isEqualTo(1);
    }

    @Test
    void profileInTodaysLayout_keepsRefusingItsForgottenEvents_andAppliesNewOnes() {
        // today's layout: appliedEventTimes hold occurredAt, no receipts; e-old-1 was forgotten (the horizon)
        Instant horizon = NOW.minus(Duration.ofHours(2));
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("customerId", AttributeValue.fromS("c-1"));
        item.put("version", AttributeValue.fromN("5"));
        item.put("updatedAt", AttributeValue.fromS(horizon.toString()));
        item.put("locationAt", AttributeValue.fromS(horizon.plusSeconds(60).toString()));
        item.put("locationEventId", AttributeValue.fromS("e-old-2"));
        item.put("location", AttributeValue.fromM(Map.of("key", AttributeValue.fromS(DURBAN.key()),
            "name", AttributeValue.fromS(DURBAN.name()), "known", AttributeValue.fromBool(true))));
        item.put("interests", AttributeValue.fromM(Map.of("books", AttributeValue.fromM(Map.of(
            "score", AttributeValue.fromN("2.0"), "count", AttributeValue.fromN("2"),
            "firstSeen", AttributeValue.fromS(horizon.toString()),
            "lastSeen", AttributeValue.fromS(horizon.plusSeconds(60).toString()),
            "lastEventId", AttributeValue.fromS("e-old-2"))))));
        item.put("consent", AttributeValue.fromM(Map.of()));
        item.put("appliedEventIds", AttributeValue.fromL(List.of(AttributeValue.fromS("e-old-2"))));
        item.put("appliedEventTimes", AttributeValue.fromL(List.of(AttributeValue.fromN(
            Long.toString(horizon.plusSeconds(60).toEpochMilli())))));
        item.put("appliedHorizon", AttributeValue.fromM(Map.of("at", AttributeValue.fromS(horizon.toString()),
            "eventId", AttributeValue.fromS("e-old-1"))));
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.profilesTable).item(item));
        EnrichHandler handler = fixture.handler(CLOCK);

        handler.handleRequest(batch(fixture.records(List.of(
            event("e-old-1", "books", horizon, horizon.plusMillis(250)),
            event("e-new", "books", NOW.minus(Duration.ofMinutes(1)), NOW.minus(Duration.ofSeconds(50)))))),
            null);

        Profile profile = fixture.profile("c-1");
        assertThat(profile.interests().get("books").count()).isEqualTo(3);
        assertThat(fixture.logs("event.too_late")).singleElement()
            .satisfies(line -> assertThat(line.path("eventId").asText()).isEqualTo("e-old-1"));
        Map<String, AttributeValue> stored = fixture.dynamoDb.getItem(b -> b.tableName(fixture.profilesTable)
            .key(Map.of("customerId", AttributeValue.fromS("c-1"))).consistentRead(true)).item();
        // rewritten in the packed layout, e-new with its receipt
        assertThat(stored).containsKey(ProfileItems.APPLIED_EVENTS)
            .doesNotContainKeys("appliedEventIds", "appliedEventTimes", "appliedEventReceived");
        AppliedEvents rewritten = ProfileItems.fromItem(stored).applied();
        assertThat(rewritten.size()).isEqualTo(2);
        assertThat(rewritten.eventIdAt(1)).isEqualTo("e-new");
        assertThat(rewritten.receivedMillisAt(1)).isEqualTo(NOW.minus(Duration.ofSeconds(50)).toEpochMilli());
        assertThat(stored.get("appliedHorizon").m()).containsKey("receivedAt");
    }

    private static InterestEvent event(String eventId, String interest, Instant occurredAt, Instant receivedAt) {
        Location place = "junk".equals(interest) ? CAPE_TOWN : DURBAN;
        return new InterestEvent(eventId, "c-1", interest, place, occurredAt, receivedAt, "", false);
    }
}
