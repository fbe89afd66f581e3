package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CAPE_TOWN;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.DURBAN;
import static za.co.personalisation.enrich.Events.consent;
import static za.co.personalisation.enrich.Events.erasure;
import static za.co.personalisation.enrich.Events.interest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.profile.AppliedEvents;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Issue 12, item 2: a consent change or an erasure is applied even when the customer's interest data cannot be
 * written, and never waits behind it. Against the emulator with the real SDK; what is asserted is what deliver
 * reads (the stored consent), whether the profile is gone, and where the interest records went.
 */
@ExtendWith(MotoExtension.class)
class ConsentOnItsOwnIT {

    private static final String NEW_INTEREST = "a brand new interest " + "n".repeat(40);
    private static final String OTHER_NEW_INTEREST = "another new interest " + "o".repeat(40);

    private EnrichFixture fixture;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        // no interest cap (item 1 would cut the oversized profile below and so cure the write this class needs
        // to fail for good)
        fixture = new EnrichFixture(emulator, Map.of("DYNAMODB_MAX_ATTEMPTS", "3", "MAX_INTERESTS", "1000000"));
    }

    @Test
    void revocation_whenTheInterestWriteExceedsTheItemSizeLimit_isStoredAndTheInterestsAreParked() {
        storeProfileAtTheEmulatorsSizeLimit("c-1", Consent.State.GRANTED);
        EnrichHandler handler = fixture.handler(CLOCK);
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(List.of(
            interest("c-1", "e-new-1", NEW_INTEREST, CAPE_TOWN, 3),
            consent("c-1", "e-revoke", Channel.SMS, Consent.State.REVOKED, 2),
            interest("c-1", "e-new-2", OTHER_NEW_INTEREST, CAPE_TOWN, 1)));

        StreamsEventResponse response = handler.handleRequest(batch(records), null);

        // nothing is given back to Lambda: the shard, and this customer's later decisions, do not wait
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(storedConsent("c-1", Channel.SMS)).isEqualTo(Consent.State.REVOKED);
        List<JsonNode> parked = fixture.failedEvents();
        assertThat(parked).extracting(body -> body.path("sequenceNumber").asText())
            .containsExactlyInAnyOrder(records.get(0).getKinesis().getSequenceNumber(),
                records.get(2).getKinesis().getSequenceNumber());
        assertThat(parked).allSatisfy(body -> assertThat(body.path("reason").asText())
            .startsWith("profile write refused by DynamoDB: ValidationException"));
        assertThat(fixture.metric("Parked")).isEqualTo(2);
    }

    @Test
    void revocation_whenTheStoredInterestsDoNotFitTheLayout_isStored() {
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.profilesTable).item(Map.of(
            "customerId", AttributeValue.fromS("c-1"),
            "version", AttributeValue.fromN("4"),
            "consent", AttributeValue.fromM(Map.of("sms", AttributeValue.fromM(Map.of(
                "state", AttributeValue.fromS("granted"), "at", AttributeValue.fromS("2026-11-20T10:00:00Z"))))),
            "interests", AttributeValue.fromM(Map.of("books", AttributeValue.fromM(Map.of(
                "score", AttributeValue.fromS("not a number"))))))));
        EnrichHandler handler = fixture.handler(CLOCK);
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(List.of(
            interest("c-1", "e-1", "books", DURBAN, 3),
            consent("c-1", "e-revoke", Channel.SMS, Consent.State.REVOKED, 2)));

        StreamsEventResponse response = handler.handleRequest(batch(records), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(storedConsent("c-1", Channel.SMS)).isEqualTo(Consent.State.REVOKED);
        assertThat(fixture.failedEvents()).singleElement().satisfies(body -> {
            assertThat(body.path("sequenceNumber").asText()).isEqualTo(records.get(0).getKinesis().getSequenceNumber());
            assertThat(body.path("reason").asText()).isEqualTo("stored profile does not fit the item layout");
        });
    }

    @Test
    void revocation_whenTheStoredConsentItselfDoesNotFitTheLayout_replacesIt() {
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.profilesTable).item(Map.of(
            "customerId", AttributeValue.fromS("c-1"),
            "version", AttributeValue.fromN("4"),
            "consent", AttributeValue.fromM(Map.of(
                "sms", AttributeValue.fromM(Map.of("state", AttributeValue.fromS("maybe"))),
                "email", AttributeValue.fromM(Map.of("state", AttributeValue.fromS("granted"),
                    "at", AttributeValue.fromS("2026-11-20T10:00:00Z"))))))));
        EnrichHandler handler = fixture.handler(CLOCK);

        StreamsEventResponse response = handler.handleRequest(batch(fixture.records(List.of(
            consent("c-1", "e-revoke", Channel.EMAIL, Consent.State.REVOKED, 2)))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(storedConsent("c-1", Channel.EMAIL)).isEqualTo(Consent.State.REVOKED);
        // the unreadable SMS decision is gone: unknown, which sends nothing
        assertThat(storedConsent("c-1", Channel.SMS)).isEqualTo(Consent.State.UNKNOWN);
        assertThat(fixture.logs("consent.unreadable")).hasSize(1);
    }

    @Test
    void revocation_whenTheInterestWritesStayThrottled_isStoredAndOnlyTheInterestIsRedelivered() {
        fixture.handler(CLOCK).handleRequest(batch(fixture.records(List.of(
            consent("c-1", "e-grant", Channel.SMS, Consent.State.GRANTED, 30),
            interest("c-1", "e-0", "books", DURBAN, 29)))), null);
        EnrichHandler handler = fixture.handler(CLOCK, Interceptors.Throttle.profileWrites(1_000, "c-1"));
        List<KinesisEvent.KinesisEventRecord> records = fixture.records(List.of(
            interest("c-1", "e-1", "books", CAPE_TOWN, 3),
            consent("c-1", "e-revoke", Channel.SMS, Consent.State.REVOKED, 2)));

        StreamsEventResponse response = handler.handleRequest(batch(records), null);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
            .containsExactly(records.get(0).getKinesis().getSequenceNumber());
        assertThat(storedConsent("c-1", Channel.SMS)).isEqualTo(Consent.State.REVOKED);
        assertThat(fixture.profile("c-1").interests().get("books").count()).isEqualTo(1);

        // the redelivery (from the interest on) applies the interest and leaves the revocation as it is
        StreamsEventResponse retried = fixture.handler(CLOCK).handleRequest(batch(records), null);
        assertThat(retried.getBatchItemFailures()).isEmpty();
        assertThat(storedConsent("c-1", Channel.SMS)).isEqualTo(Consent.State.REVOKED);
        assertThat(fixture.profile("c-1").interests().get("books").count()).isEqualTo(2);
    }

    @Test
    void erasure_afterABatchWhoseInterestWriteCanNeverSucceed_isNotHeldBehindIt() {
        storeProfileAtTheEmulatorsSizeLimit("c-1", Consent.State.GRANTED);
        EnrichHandler handler = fixture.handler(CLOCK);

        StreamsEventResponse first = handler.handleRequest(batch(fixture.records(List.of(
            interest("c-1", "e-new-1", NEW_INTEREST, CAPE_TOWN, 3)))), null);
        StreamsEventResponse second = handler.handleRequest(batch(fixture.records(List.of(
            erasure("c-1", "e-erase", 2)))), null);

        // the first batch is not given back to Lambda, which would redeliver it (and hold the erasure) until it
        // gave up on it
        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(second.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1")).isNull();
        assertThat(fixture.tombstone("c-1")).isNotNull();
    }

    private Consent.State storedConsent(String customerId, Channel channel) {
        Map<String, AttributeValue> item = fixture.dynamoDb.getItem(b -> b.tableName(fixture.profilesTable)
            .key(Map.of("customerId", AttributeValue.fromS(customerId))).consistentRead(true)).item();
        AttributeValue entry = item.get("consent").m().get(channel.wireName());
        return entry == null ? Consent.State.UNKNOWN : Consent.State.fromWire(entry.m().get("state").s());
    }

    /**
     * A profile in today's layout that the emulator just accepts (moto refuses items over 405,000 bytes by its own
     * count: names and values, no overheads), so that the customer's next interest makes the item too large.
     */
    private void storeProfileAtTheEmulatorsSizeLimit(String customerId, Consent.State sms) {
        Instant seen = Instant.parse("2026-11-20T10:00:00Z");
        Map<String, InterestStat> interests = new HashMap<>();
        Map<String, AttributeValue> item;
        int n = 0;
        int step = 50;
        while (true) {
            String name = String.format("interest %05d ", n) + "x".repeat(50);
            interests.put(name, new InterestStat(1.0, 1, seen, seen, "seed-" + n, false,
                "1-67890abc-def012345678901234567890"));
            n++;
            if (n % step != 0) {
                continue;
            }
            item = ProfileItems.toItem(new Profile(customerId, 7, interests, CAPE_TOWN, seen, "seed-0",
                Map.of(Channel.SMS, new Consent(sms, seen)), AppliedEvents.NONE, seen));
            int size = motoSize(item);
            if (size > 404_800) {
                break;
            }
            step = size > 390_000 ? 1 : 50;
        }
        Map<String, AttributeValue> stored = item;
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.profilesTable).item(stored));
    }

    /** moto 5.2.5's item size (models/dynamo_type.py): attribute names and values, numbers as written. */
    static int motoSize(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + motoSize(attribute.getValue());
        }
        return size;
    }

    private static int motoSize(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return value.n().length();
        }
        if (value.bool() != null) {
            return 1;
        }
        if (value.hasL()) {
            return value.l().stream().mapToInt(ConsentOnItsOwnIT::motoSize).sum();
        }
        if (value.hasM()) {
            return motoSize(value.m());
        }
        return 0;
    }

    private static int utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
