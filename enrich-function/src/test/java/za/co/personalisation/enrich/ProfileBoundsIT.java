package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CAPE_TOWN;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.NOW;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
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
import za.co.personalisation.aws.dynamodb.ItemSize;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.AppliedEvents;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Issue 12, item 1: a profile stays bounded whatever any client sends: at most {@code MAX_INTERESTS} (100)
 * distinct interests, the lowest decayed score evicted first, and a worst-case item well under DynamoDB's 400 KB.
 * Against the emulator with the real SDK; the sizes are of the items read back, counted by DynamoDB's rules
 * ({@link ItemSize}).
 */
@ExtendWith(MotoExtension.class)
class ProfileBoundsIT {

    /** The measured worst case is 70,882 bytes (docs/profiles.md, "Bounds"); a little room, far below 400 KB. */
    static final int WORST_CASE_BOUND = 128_000;

    private EnrichFixture fixture;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
    }

    @Test
    void twoThousandDistinctInterests_leaveAHundred_andTheCustomersOwnInterestSurvives() {
        EnrichHandler handler = fixture.handler(CLOCK);
        List<StreamEvent> own = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant at = NOW.minus(Duration.ofHours(2)).plusSeconds(i);
            own.add(new InterestEvent("own-" + i, "c-1", "books", CAPE_TOWN, at, at, "", false));
        }
        handler.handleRequest(batch(fixture.records(own)), null);

        // the attack: four batches of 500 distinct interests for one customer (POST /events needs no key)
        for (int b = 0; b < 4; b++) {
            List<StreamEvent> flood = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                Instant at = NOW.minus(Duration.ofMinutes(30)).plusMillis(b * 500L + i);
                flood.add(new InterestEvent("flood-" + b + "-" + i, "c-1", "junk interest " + b + " " + i, CAPE_TOWN,
                    at, at, "", false));
            }
            StreamsEventResponse response = handler.handleRequest(batch(fixture.records(flood)), null);
            assertThat(response.getBatchItemFailures()).isEmpty();
        }

        Map<String, AttributeValue> item = storedItem("c-1");
        Profile profile = ProfileItems.fromItem(item);
        assertThat(profile.interests()).hasSize(100).containsKey("books");
        assertThat(profile.interests().get("books").count()).isEqualTo(5);
        assertThat(ItemSize.of(item)).isLessThan(WORST_CASE_BOUND);
        assertThat(fixture.logs("profile.write_failed")).isEmpty();
        assertThat(fixture.metric("InterestsEvicted")).isEqualTo(2_000 - 99);
    }

    @Test
    void worstCaseProfile_isUnderTheMeasuredBound() {
        EnrichHandler handler = fixture.handler(CLOCK);
        // every field at its longest, in 4-byte characters where letters are allowed: 150 distinct interests of 64
        // code points, event ids of 64 four-byte characters, customer and trace ids of 64 characters, a place of 100
        // code points, times with nanoseconds, both consents
        String wide = new String(Character.toChars(0x1D400));
        String place = wide.repeat(100);
        String customer = "c".repeat(64);
        List<StreamEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String interest = wide.repeat(62) + letter(i % 150 / 26) + letter(i % 150 % 26);
            Instant at = NOW.minus(Duration.ofMinutes(300 - i)).plusNanos(123_456_789);
            // event ids of 64 four-byte characters, each with its own first character: the packed window
            // (ProfileItems.APPLIED_EVENTS) can share no prefix between neighbours
            String eventId = new String(Character.toChars(0x1F300 + i)) + wide.repeat(63);
            events.add(new InterestEvent(eventId, customer, interest, Location.unknown(place), at,
                at.plusNanos(111_111_111), "1-" + "f".repeat(62), false));
        }
        Instant decided = NOW.minusNanos(987_654_321);
        events.add(new ConsentEvent("9".repeat(64), customer, Channel.SMS, Consent.State.GRANTED, decided, decided,
            "", false));
        events.add(new ConsentEvent("8".repeat(64), customer, Channel.EMAIL, Consent.State.REVOKED, decided, decided,
            "", false));
        for (int from = 0; from < events.size(); from += 100) {
            StreamsEventResponse response = handler.handleRequest(batch(fixture.records(
                events.subList(from, Math.min(events.size(), from + 100)))), null);
            assertThat(response.getBatchItemFailures()).isEmpty();
        }

        Map<String, AttributeValue> item = storedItem(customer);
        long size = ItemSize.of(item);
        System.out.println("worst-case profile item: " + size + " bytes by DynamoDB's rules, "
            + ConsentOnItsOwnIT.motoSize(item) + " by moto's");
        Profile profile = ProfileItems.fromItem(item);
        assertThat(profile.interests()).hasSize(100);
        assertThat(profile.applied().size()).isEqualTo(200);
        assertThat(profile.consentFor(Channel.EMAIL).state()).isEqualTo(Consent.State.REVOKED);
        assertThat(size).isLessThan(WORST_CASE_BOUND);
    }

    @Test
    void profileInTodaysLayoutWithThousandsOfInterests_isCutToTheCapOnItsNextEvent() {
        Instant seen = NOW.minus(Duration.ofDays(1));
        Map<String, InterestStat> interests = new HashMap<>();
        for (int i = 0; i < 1_438; i++) {
            interests.put("old interest " + i, new InterestStat(1.0 + i % 7, 1 + i % 7, seen, seen.plusSeconds(i),
                "seed-" + i));
        }
        Map<String, AttributeValue> legacy = new HashMap<>(ProfileItems.toItem(new Profile("c-1", 9, interests,
            CAPE_TOWN, seen, "seed-0", Map.of(), AppliedEvents.NONE, seen)));
        // the layout before the window was packed, and before receipts were kept
        legacy.remove(ProfileItems.APPLIED_EVENTS);
        legacy.put("appliedEventIds", AttributeValue.fromL(List.of()));
        legacy.put("appliedEventTimes", AttributeValue.fromL(List.of()));
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.profilesTable).item(legacy));

        StreamsEventResponse response = fixture.handler(CLOCK).handleRequest(batch(fixture.records(List.of(
            Events.interest("c-1", "e-1", "books", CAPE_TOWN, 5)))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        Profile profile = fixture.profile("c-1");
        assertThat(profile.interests()).hasSize(100);
        // the highest scores are kept: 7.0 (i % 7 == 6) decayed over at most a day, and nothing below them
        assertThat(profile.interests().values()).allSatisfy(stat -> assertThat(stat.count()).isEqualTo(7));
        assertThat(ItemSize.of(storedItem("c-1"))).isLessThan(WORST_CASE_BOUND);
    }

    private static String letter(int i) {
        return new String(Character.toChars(0x1D41A + i));
    }

    private Map<String, AttributeValue> storedItem(String customerId) {
        return fixture.dynamoDb.getItem(b -> b.tableName(fixture.profilesTable)
            .key(Map.of("customerId", AttributeValue.fromS(customerId))).consistentRead(true)).item();
    }
}
