package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.Events.CAPE_TOWN;
import static za.co.personalisation.enrich.Events.CLOCK;
import static za.co.personalisation.enrich.Events.DURBAN;
import static za.co.personalisation.enrich.Events.GEORGE;
import static za.co.personalisation.enrich.Events.NOW;
import static za.co.personalisation.enrich.Events.consent;
import static za.co.personalisation.enrich.Events.erasure;
import static za.co.personalisation.enrich.Events.interest;
import static za.co.personalisation.enrich.EnrichFixture.batch;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.InterestStat;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;

/** The handler against the emulator through the real SDK: what a batch does to profiles, tombstones and queues. */
@ExtendWith(MotoExtension.class)
class EnrichHandlerIT {

    private EnrichFixture fixture;
    private final Interceptors.Counter calls = new Interceptors.Counter();
    private EnrichHandler handler;

    @BeforeEach
    void setUp(MotoExtension.Emulator emulator) {
        fixture = new EnrichFixture(emulator);
        handler = fixture.handler(CLOCK, calls);
    }

    @Test
    void handleRequest_realShapedBatchOfEveryKind_appliesEachCustomersEventsInOrder() {
        KinesisEvent event = EventLoader.loadKinesisEvent("kinesis-mixed-kinds.json");

        StreamsEventResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        Profile c100 = fixture.profile("c-100");
        assertThat(c100.interests()).containsOnlyKeys("electronics", "fashion");
        assertThat(c100.location()).isEqualTo(GEORGE);
        assertThat(c100.consentFor(Channel.SMS)).isEqualTo(new Consent(Consent.State.GRANTED,
            NOW.minusSeconds(20 * 60), NOW.minusSeconds(20 * 60).plusMillis(250)));
        assertThat(c100.version()).isEqualTo(1);
        // c-200's interest came before their erasure in the stream: erased, no profile, a tombstone
        assertThat(fixture.profile("c-200")).isNull();
        assertThat(fixture.tombstone("c-200")).isNotNull();
        assertThat(fixture.metric("Applied")).isEqualTo(3);
        assertThat(fixture.metric("Erasures")).isEqualTo(1);
        assertThat(fixture.metric("ErasedDropped")).isEqualTo(1);
    }

    @Test
    void handleRequest_writesOncePerDistinctCustomer_andReadsInTwoBatchCalls() {
        List<StreamEvent> first = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            first.add(interest("c-" + c, "seed-" + c, "books", DURBAN, 600));
        }
        handler.handleRequest(batch(fixture.records(first)), null);
        calls.reset();
        double retriesBefore = fixture.metric("WriteRetries");
        List<StreamEvent> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // customers 0-4 exist, 5-9 are new; each gets 10 events in this batch
            events.add(interest("c-" + (i % 10), "e-" + i, i % 3 == 0 ? "electronics" : "books",
                i % 2 == 0 ? CAPE_TOWN : DURBAN, 500 - i));
        }

        StreamsEventResponse response = handler.handleRequest(batch(fixture.records(events)), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        // the calls that succeeded; any that failed were emulator hiccups (see EnrichIdempotencyIT), all retried
        assertThat(calls.writes()).isEqualTo(10);
        assertThat(calls.failedWrites()).isEqualTo((int) (fixture.metric("WriteRetries") - retriesBefore));
        // a new customer's profile is a conditional put like any other write: no transaction (issue 14)
        assertThat(calls.count("PutItem")).isEqualTo(10);
        assertThat(calls.count("TransactWriteItems")).isZero();
        // one BatchGetItem for the ten profiles, one for the tombstones of the five customers who have none, and
        // one for the same tombstones again after the five creations
        assertThat(calls.count("BatchGetItem")).isEqualTo(3);
        assertThat(calls.count("GetItem")).isZero();
        for (int c = 0; c < 10; c++) {
            long expected = c < 5 ? 11 : 10;
            long counted = fixture.profile("c-" + c).interests().values().stream().mapToLong(InterestStat::count)
                .sum();
            assertThat(counted).as("c-" + c).isEqualTo(expected);
        }
    }

    @Test
    void handleRequest_invalidRecords_goToTheFailedEventsQueueWithWhatAndWhere_andTheRestIsApplied() {
        byte[] notJson = "{\"schema\":\"interest-event/1\",".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchema = "{\"schema\":\"interest-event/9\",\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        byte[] missingField = ("{\"schema\":\"consent-event/1\",\"eventId\":\"k-1\",\"customerId\":\"c-1\","
            + "\"channel\":\"sms\",\"occurredAt\":\"2026-11-25T11:00:00Z\",\"receivedAt\":\"2026-11-25T11:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        records.add(fixture.record(notJson, "c-1", NOW));
        records.add(fixture.record(unknownSchema, "c-1", NOW));
        records.add(fixture.record(missingField, "c-1", NOW));
        records.addAll(fixture.records(List.of(interest("c-1", "e-long", "x".repeat(65), CAPE_TOWN, 5),
            interest("c-1", "e-ok", "books", CAPE_TOWN, 5))));

        StreamsEventResponse response = handler.handleRequest(batch(records), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1").interests()).containsOnlyKeys("books");
        List<JsonNode> failed = fixture.failedEvents();
        assertThat(failed).hasSize(4);
        assertThat(failed).extracting(m -> m.path("sequenceNumber").asText()).containsExactlyInAnyOrder(
            records.get(0).getKinesis().getSequenceNumber(), records.get(1).getKinesis().getSequenceNumber(),
            records.get(2).getKinesis().getSequenceNumber(), records.get(3).getKinesis().getSequenceNumber());
        JsonNode first = failed.stream().filter(m -> m.path("sequenceNumber").asText()
            .equals(records.get(0).getKinesis().getSequenceNumber())).findFirst().orElseThrow();
        assertThat(first.path("shardId").asText()).isEqualTo(EnrichFixture.SHARD);
        assertThat(first.path("reason").asText()).startsWith("not JSON");
        assertThat(Base64.getDecoder().decode(first.path("rawRecordBase64").asText())).isEqualTo(notJson);
        assertThat(first.path("rawRecordTruncated").asBoolean()).isFalse();
        assertThat(first.path("partitionKey").asText()).isEqualTo("c-1");
        assertThat(first.path("eventSourceArn").asText()).isEqualTo(EnrichFixture.STREAM_ARN);
        assertThat(failed).extracting(m -> m.path("reason").asText()).contains(
            "unsupported schema 'interest-event/9', expected interest-event/1, consent-event/1, erasure-event/1 or"
                + " conversion-event/1",
            "field 'state' is missing or not a non-empty string",
            "interest is longer than 64 characters");
        assertThat(fixture.metric("Invalid")).isEqualTo(4);
    }

    @Test
    void handleRequest_rawRecordLargerThanAnSqsMessage_isQueuedCutWithItsSizeAndHash() {
        byte[] huge = ("{\"junk\":\"" + "x".repeat(400 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        StreamsEventResponse response = handler.handleRequest(batch(List.of(fixture.record(huge, "c-1", NOW))),
            null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        JsonNode message = fixture.failedEvents().get(0);
        assertThat(message.path("rawRecordTruncated").asBoolean()).isTrue();
        assertThat(message.path("rawRecordBytes").asInt()).isEqualTo(huge.length);
        assertThat(message.path("rawRecordSha256").asText()).isEqualTo(Sha256.hex(huge));
        assertThat(Base64.getDecoder().decode(message.path("rawRecordBase64").asText()))
            .hasSize(FailedEventsQueue.MAX_RAW_BYTES);
    }

    @Test
    void handleRequest_lateEvent_countsAndScoresButNeverRollsTheLocationBack() {
        handler.handleRequest(batch(fixture.records(List.of(interest("c-1", "e-new", "books", DURBAN, 10)))), null);

        handler.handleRequest(batch(fixture.records(List.of(interest("c-1", "e-old", "books", CAPE_TOWN, 60 * 24)))),
            null);

        Profile profile = fixture.profile("c-1");
        InterestStat books = profile.interests().get("books");
        assertThat(books.count()).isEqualTo(2);
        assertThat(books.firstSeen()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(books.lastSeen()).isEqualTo(NOW.minusSeconds(600));
        assertThat(books.score()).isEqualTo(1.0 + Math.pow(0.5, (24 * 60 - 10) / (14.0 * 24 * 60)));
        assertThat(profile.location()).isEqualTo(DURBAN);
        assertThat(profile.version()).isEqualTo(2);
    }

    @Test
    void handleRequest_consentEvents_setConsentPerChannel_latestReceivedWins_onceEach() {
        List<StreamEvent> events = List.of(
            consent("c-1", "k-2", Channel.SMS, Consent.State.REVOKED, 10),
            consent("c-1", "k-1", Channel.SMS, Consent.State.GRANTED, 20),
            consent("c-1", "k-3", Channel.EMAIL, Consent.State.GRANTED, 5));
        handler.handleRequest(batch(fixture.records(events)), null);

        handler.handleRequest(batch(fixture.records(events)), null);

        Profile profile = fixture.profile("c-1");
        assertThat(profile.consentFor(Channel.SMS)).isEqualTo(new Consent(Consent.State.REVOKED,
            NOW.minusSeconds(600), NOW.minusSeconds(600).plusMillis(250)));
        assertThat(profile.consentFor(Channel.EMAIL).granted()).isTrue();
        assertThat(profile.interests()).isEmpty();
        assertThat(profile.version()).isEqualTo(1);
        // a decision that changes nothing counts as a duplicate: k-1 (older than k-2) once, then all three again
        assertThat(fixture.metric("Duplicates")).isEqualTo(4);
    }

    @Test
    void handleRequest_erasure_deletesTheConsentStatementsDeliverChecks() {
        ConsentStatements statements = new ConsentStatements(fixture.dynamoDb, fixture.notificationsTable);
        handler.handleRequest(batch(fixture.records(List.of(interest("c-stmt", "e-s", "books", DURBAN, 90)))), null);
        statements.record("c-stmt", Channel.SMS, Consent.State.REVOKED, NOW.minusSeconds(60));
        statements.record("c-stmt", Channel.EMAIL, Consent.State.GRANTED, NOW.minusSeconds(60));
        assertThat(fixture.ledgerKeys("c-stmt")).containsExactlyInAnyOrder("consent#sms", "consent#email");

        handler.handleRequest(batch(fixture.records(List.of(erasure("c-stmt", "x-s", 30)))), null);

        assertThat(fixture.ledgerKeys("c-stmt")).isEmpty();
        assertThat(statements.latest("c-stmt", Channel.SMS)).isEqualTo(Consent.State.UNKNOWN);
    }

    @Test
    void handleRequest_erasure_deletesProfileAndLedger_andLaterOrReplayedEventsNeverRecreateIt() {
        List<StreamEvent> history = List.of(interest("c-1", "e-1", "books", DURBAN, 90),
            consent("c-1", "k-1", Channel.SMS, Consent.State.GRANTED, 80));
        handler.handleRequest(batch(fixture.records(history)), null);
        handler.handleRequest(batch(fixture.records(List.of(interest("c-2", "e-2", "books", DURBAN, 70)))), null);
        for (int i = 0; i < 30; i++) {
            fixture.putLedgerEntry("c-1", "OFFER-" + i + "#sms");
        }
        fixture.putLedgerEntry("c-2", "OFFER-1#sms");
        calls.reset();

        StreamsEventResponse erased = handler.handleRequest(batch(fixture.records(List.of(erasure("c-1", "x-1", 30)))),
            null);

        assertThat(erased.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1")).isNull();
        assertThat(fixture.ledgerKeys("c-1")).isEmpty();
        assertThat(fixture.ledgerKeys("c-2")).containsExactly("OFFER-1#sms");
        assertThat(fixture.profile("c-2")).isNotNull();
        Map<String, AttributeValue> tombstone = fixture.tombstone("c-1");
        assertThat(tombstone.get("customerHash").s()).hasSize(64).doesNotContain("c-1");
        assertThat(tombstone.get("expiresAt").n()).isEqualTo(Long.toString(NOW.plus(Duration.ofDays(90))
            .getEpochSecond()));
        assertThat(tombstone.get("erasedAt").s()).isEqualTo(NOW.minusSeconds(1800).toString());
        // one transaction (tombstone + profile delete) and two BatchWriteItem calls of 25 and 5 ledger deletes
        assertThat(calls.count("TransactWriteItems")).isEqualTo(1);
        assertThat(calls.count("BatchWriteItem")).isEqualTo(2);
        assertThat(fixture.metric("LedgerEntriesDeleted")).isEqualTo(30);

        List<StreamEvent> afterwards = new ArrayList<>(history);
        afterwards.add(interest("c-1", "e-3", "fashion", CAPE_TOWN, 1));
        afterwards.add(consent("c-1", "k-2", Channel.EMAIL, Consent.State.GRANTED, 1));
        StreamsEventResponse later = handler.handleRequest(batch(fixture.records(afterwards)), null);
        StreamsEventResponse erasedAgain = handler.handleRequest(
            batch(fixture.records(List.of(erasure("c-1", "x-1", 30)))), null);

        assertThat(later.getBatchItemFailures()).isEmpty();
        assertThat(erasedAgain.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1")).isNull();
        assertThat(fixture.metric("ErasedDropped")).isEqualTo(4);
        assertThat(fixture.logs("profile.erased")).extracting(line -> line.path("alreadyErased").asBoolean())
            .containsExactly(false, true);
        assertThat(fixture.tombstone("c-1").get("expiresAt").n()).isEqualTo(tombstone.get("expiresAt").n());
    }

    @Test
    void handleRequest_eventsBeforeAndAfterAnErasureInOneBatch_leaveNoProfile() {
        StreamsEventResponse response = handler.handleRequest(batch(fixture.records(List.of(
            interest("c-1", "e-1", "books", DURBAN, 30),
            erasure("c-1", "x-1", 20),
            interest("c-1", "e-2", "books", DURBAN, 10)))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fixture.profile("c-1")).isNull();
        assertThat(fixture.tombstone("c-1")).isNotNull();
        assertThat(fixture.metric("Applied")).isZero();
    }

    @Test
    void handleRequest_afterTheTombstoneExpires_aNewEventStartsAFreshProfile() {
        handler.handleRequest(batch(fixture.records(List.of(interest("c-1", "e-1", "books", DURBAN, 30),
            erasure("c-1", "x-1", 20)))), null);
        Instant later = NOW.plus(Duration.ofDays(91));
        EnrichHandler laterHandler = fixture.handler(Clock.fixed(later, ZoneOffset.UTC));
        StreamEvent comeback = new za.co.personalisation.core.event.InterestEvent("e-9", "c-1", "sports", GEORGE,
            later.minusSeconds(60), later.minusSeconds(59), "", false);

        // the emulator has no TTL sweep: the expired tombstone is still there, and must count as gone
        assertThat(fixture.tombstone("c-1")).isNotNull();
        laterHandler.handleRequest(batch(fixture.records(List.of(comeback))), null);

        Profile fresh = fixture.profile("c-1");
        assertThat(fresh.interests()).containsOnlyKeys("sports");
        assertThat(fresh.version()).isEqualTo(1);
    }

    @Test
    void handleRequest_storedItemInTheOldLayout_isReadAndRewrittenInTheNewOne() {
        fixture.dynamoDb.putItem(b -> b.tableName(fixture.profilesTable).item(Map.of(
            "customerId", AttributeValue.fromS("c-1"),
            "version", AttributeValue.fromN("3"),
            "updatedAt", AttributeValue.fromS("2026-11-24T10:00:00Z"),
            "locationAt", AttributeValue.fromS(NOW.minusSeconds(7200).toString()),
            "location", AttributeValue.fromM(Map.of("key", AttributeValue.fromS("ZA/KZN/durban"),
                "name", AttributeValue.fromS("Durban"), "known", AttributeValue.fromBool(true))),
            "interests", AttributeValue.fromM(Map.of("books", AttributeValue.fromM(Map.of(
                "score", AttributeValue.fromN("1.0"), "count", AttributeValue.fromN("1"),
                "firstSeen", AttributeValue.fromS(NOW.minusSeconds(7200).toString()),
                "lastSeen", AttributeValue.fromS(NOW.minusSeconds(7200).toString()),
                "lastEventId", AttributeValue.fromS("e-1"))))),
            "consent", AttributeValue.fromM(Map.of()),
            "recentEventIds", AttributeValue.fromL(List.of(AttributeValue.fromS("e-1"))))));

        handler.handleRequest(batch(fixture.records(List.of(interest("c-1", "e-1", "books", DURBAN, 120),
            interest("c-1", "e-2", "books", CAPE_TOWN, 60)))), null);

        Profile profile = fixture.profile("c-1");
        assertThat(profile.interests().get("books").count()).isEqualTo(2);
        assertThat(profile.version()).isEqualTo(4);
        assertThat(profile.location()).isEqualTo(CAPE_TOWN);
        Map<String, AttributeValue> item = fixture.dynamoDb.getItem(b -> b.tableName(fixture.profilesTable)
            .key(Map.of("customerId", AttributeValue.fromS("c-1")))).item();
        assertThat(item).doesNotContainKey("recentEventIds");
        assertThat(ProfileItems.appliedEventIds(item)).containsExactly("e-1", "e-2");
        assertThat(fixture.metric("Duplicates")).isEqualTo(1);
    }

    @Test
    void handleRequest_emitsOneEmfDocumentWithEveryCount() {
        handler.handleRequest(batch(fixture.records(List.of(interest("c-1", "e-1", "books", DURBAN, 10),
            interest("c-1", "e-1", "books", DURBAN, 10)))), null);

        List<String> emf = fixture.lines.stream().filter(line -> line.contains("\"_aws\"")).toList();
        assertThat(emf).hasSize(1);
        JsonNode document = EnrichFixture.json(emf.get(0));
        JsonNode directive = document.path("_aws").path("CloudWatchMetrics").path(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Personalisation");
        assertThat(directive.path("Dimensions").path(0).path(0).asText()).isEqualTo("Service");
        assertThat(document.path("Service").asText()).isEqualTo("enrich");
        assertThat(directive.path("Metrics").findValuesAsText("Name")).contains("Applied", "Duplicates",
            "Invalid", "Writes", "WriteRetries", "ConditionalConflicts");
        assertThat(document.path("Records").asInt()).isEqualTo(2);
        assertThat(document.path("Applied").asInt()).isEqualTo(1);
        assertThat(document.path("Duplicates").asInt()).isEqualTo(1);
        assertThat(document.path("Writes").asInt()).isEqualTo(1);
        assertThat(String.join("\n", fixture.lines)).doesNotContain("\"phone\"").doesNotContain("\"email\"");
    }
}
