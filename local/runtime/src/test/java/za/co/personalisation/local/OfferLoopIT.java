package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.outcome.Holdout;
import za.co.personalisation.core.outcome.UpliftInterval;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.outbox.Outbox;

/**
 * The loop closed on the local stack, through the HTTP API as clients see it (docs/offers.md): a message goes
 * out, a conversion comes back and is credited to it once, whatever is replayed; an offer with a control share of
 * 50 % over 200 synthetic customers holds out exactly those its keyed draw says, and the report (the
 * local page's view and {@code ./pipeline report offers}) counts both groups as expected.
 */
@ExtendWith(MotoExtension.class)
class OfferLoopIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Generous: on 2026-12-06 (2 cores shared with other builds, load average 25 to 27) the local stack delivered
     * about one message every 5 s, and 300 customers did not finish in 10 minutes.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    /** Between reads of the table: every read is a Scan of moto's table, which slows the stack it waits for. */
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final String OFFER = "LOOP-HALF-01";
    private static final int CUSTOMERS = 200;
    /** Statuses a send passes through; any other is where it ends. */
    private static final java.util.Set<String> OPEN = java.util.Set.of("pending", "queued", "sending", "deferred");

    private static LocalRuntime runtime;
    private static DynamoDbClient dynamoDb;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(MotoServer moto) throws Exception {
        runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        dynamoDb = new AwsClients(Settings.of(Map.of(AwsClients.ENDPOINT_URL, moto.endpoint().toString(),
            "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY))).dynamoDb();
        // before any event, so that notify's and deliver's catalog caches start with it
        Instant now = Instant.now();
        String catalog = "{\"version\":\"loop-test-1\",\"offers\":[{\"offerId\":\"" + OFFER + "\","
            + "\"interests\":[\"loopwidgets\"],\"locations\":[\"*\"],\"channels\":[\"email\"],"
            + "\"validFrom\":\"" + now.minus(1, ChronoUnit.DAYS) + "\","
            + "\"validUntil\":\"" + now.plus(30, ChronoUnit.DAYS) + "\",\"controlShare\":0.5,"
            + "\"messages\":{\"en-ZA\":{\"sms\":\"Loop widgets, half price.\","
            + "\"emailSubject\":\"Loop widgets\",\"emailBody\":\"Half price on loop widgets this week.\"}}}]}";
        OfferRepository.load(dynamoDb, runtime.ref("OffersTable"), catalog.getBytes(StandardCharsets.UTF_8), false);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void conversionWithinTheWindow_isCreditedOnce_notWhenSentAgainOrReplayed_norBeforeTheMessage_andErasureTakesIt()
        throws Exception {
        String eventId = eventId(post("/events", "{\"customerId\":\"12345\",\"interest\":\"electronics\","
            + "\"location\":\"Cape Town\"}"));
        awaitMessage(m -> m.eventId().equals(eventId));
        Map<String, AttributeValue> entry = await("the ledger entry is sent", () -> item("12345", "ELEC-CPT-01#sms"),
            item -> item != null && item.get("status").s().equals("sent"));
        Instant sentAt = Instant.parse(entry.get("sentAt").s());

        String purchase = "{\"customerId\":\"12345\",\"eventId\":\"order-1\",\"occurredAt\":\"" + Instant.now()
            + "\",\"interest\":\"Electronics\",\"value\":\"2499.00\",\"currency\":\"ZAR\"}";
        assertThat(post("/conversions", purchase).statusCode()).isEqualTo(202);
        assertThat(post("/conversions", purchase).statusCode()).isEqualTo(202);
        // a replayed copy (a new id, as `replay --event-id-suffix` makes) written to the stream: never counts
        Instant now = Instant.now();
        putOnStream(new ConversionEvent("order-1:r2", "12345", "electronics", "", new BigDecimal("2499.00"), "ZAR",
            now, now, "", true));
        // bought an hour before the message reached the customer: outside the window, credited to nothing
        assertThat(post("/conversions", "{\"customerId\":\"12345\",\"eventId\":\"order-0\",\"occurredAt\":\""
            + sentAt.minus(1, ChronoUnit.HOURS) + "\",\"interest\":\"electronics\"}").statusCode()).isEqualTo(202);
        // one shard: once this one is recorded, everything before it was decided
        assertThat(post("/conversions", "{\"customerId\":\"12345\",\"eventId\":\"order-marker\",\"occurredAt\":\""
            + Instant.now() + "\",\"interest\":\"books\"}").statusCode()).isEqualTo(202);
        await("the marker conversion", () -> item("12345", "conversion#order-marker"), item -> item != null);

        Map<String, Map<String, AttributeValue>> conversions = conversions("12345");
        assertThat(conversions).containsOnlyKeys("conversion#order-1", "conversion#order-0",
            "conversion#order-marker");
        assertThat(conversions.get("conversion#order-1").get("group").s()).isEqualTo("sent");
        assertThat(conversions.get("conversion#order-1").get("creditedKey").s()).isEqualTo("ELEC-CPT-01#sms");
        assertThat(conversions.get("conversion#order-0").get("group").s()).isEqualTo("none");
        assertThat(conversions.get("conversion#order-marker").get("group").s()).isEqualTo("none");
        JsonNode line = reportLine("ELEC-CPT-01");
        assertThat(line.path("sent").asLong()).isEqualTo(1);
        assertThat(line.path("convertedSent").asLong()).isEqualTo(1);
        assertThat(line.path("valuePerMessageSent").path("ZAR").asText()).isEqualTo("2499.00");

        HttpResponse<String> erased = http.send(HttpRequest.newBuilder(uri("/customers/12345"))
            .header("x-api-key", "local-dev-key").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(202);
        await("the erasure took the conversions", () -> conversions("12345"), Map::isEmpty);
        assertThat(reportLine("ELEC-CPT-01")).isNull();
    }

    @Test
    void controlShareOfHalf_overTwoHundredCustomers_holdsOutWhomTheDrawSays_andTheReportCountsBothGroups()
        throws Exception {
        Holdout holdout = new Holdout(MotoServer.HOLDOUT_KEY);
        Instant now = Instant.now();
        List<String> customers = new ArrayList<>();
        long expectedControl = 0;
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = String.format("loop-%04d", i);
            customers.add(id);
            expectedControl += holdout.inControl(id, OFFER, 0.5) ? 1 : 0;
            dynamoDb.putItem(b -> b.tableName(runtime.ref("ContactsTable")).item(ContactItems.toItem(
                new ContactItems.Contact(id, null, id + "@example.co.za", "en-ZA", "Africa/Johannesburg"))));
            Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
            consent.put(Channel.EMAIL, new Consent(Consent.State.GRANTED, now));
            dynamoDb.putItem(b -> b.tableName(runtime.ref("ProfilesTable")).item(ProfileItems.toItem(
                new Profile(id, 1, Map.of(), null, Instant.EPOCH, consent, List.of(), now))));
        }
        long expectedSent = CUSTOMERS - expectedControl;
        for (int from = 0; from < CUSTOMERS; from += 100) { // CUSTOMERS is a multiple of 100
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = from; i < from + 100; i++) {
                batch.append(i == from ? "" : ",").append("{\"customerId\":\"").append(customers.get(i))
                    .append("\",\"interest\":\"loopwidgets\",\"location\":\"Cape Town\"}");
            }
            assertThat(post("/events", batch.append("]}").toString()).statusCode()).isEqualTo(202);
        }
        // Every customer decided, and every send finished: the sent group's entries end sent, or (on a loaded machine,
        // where moto can take longer than the 5 s send limit) unknown, which is never resent and never delivered.
        Map<String, String> statuses = await("every customer decided and every send finished", this::statuses,
            found -> found.size() == CUSTOMERS && found.values().stream().noneMatch(OPEN::contains));
        for (String id : customers) {
            assertThat(statuses.get(id)).as(id).isEqualTo(holdout.inControl(id, OFFER, 0.5) ? "held_out"
                : statuses.get(id).equals("unknown") ? "unknown" : "sent");
        }
        long delivered = statuses.values().stream().filter("sent"::equals).count();
        assertThat(delivered).as("sends that finished in time").isGreaterThan(expectedSent / 2);

        // every fourth customer buys, in either group
        long convertedControl = 0;
        long convertedSent = 0;
        for (int i = 0; i < CUSTOMERS; i += 4) {
            String id = customers.get(i);
            boolean control = holdout.inControl(id, OFFER, 0.5);
            convertedControl += control ? 1 : 0;
            convertedSent += statuses.get(id).equals("sent") ? 1 : 0;
            assertThat(post("/conversions", "{\"customerId\":\"" + id + "\",\"eventId\":\"buy-" + id
                + "\",\"occurredAt\":\"" + Instant.now() + "\",\"interest\":\"loopwidgets\",\"value\":\"100.00\","
                + "\"currency\":\"ZAR\"}").statusCode()).isEqualTo(202);
        }
        // one shard: once the last one is recorded, every one before it was
        String last = customers.get(CUSTOMERS - 4);
        await("every conversion recorded", () -> item(last, "conversion#buy-" + last), item -> item != null);
        // delivered counts only messages with a delivery event: the local outbox's receipts come a moment later
        JsonNode line = await("every sent message's receipt", () -> reportLine(OFFER),
            report -> report.path("delivered").asLong() == delivered);

        assertThat(expectedControl).as("both groups are there").isBetween(60L, 140L);
        assertThat(line.path("matched").asLong()).isEqualTo(CUSTOMERS);
        assertThat(line.path("heldOut").asLong()).isEqualTo(expectedControl);
        assertThat(line.path("sent").asLong()).isEqualTo(delivered);
        assertThat(line.path("delivered").asLong()).isEqualTo(delivered);
        assertThat(line.path("sentCustomers").asLong()).isEqualTo(delivered);
        assertThat(line.path("controlCustomers").asLong()).isEqualTo(expectedControl);
        assertThat(line.path("convertedSent").asLong()).isEqualTo(convertedSent);
        assertThat(line.path("convertedControl").asLong()).isEqualTo(convertedControl);
        assertThat(line.path("rateSent").asDouble()).isEqualTo((double) convertedSent / delivered);
        assertThat(line.path("rateControl").asDouble()).isEqualTo((double) convertedControl / expectedControl);
        UpliftInterval uplift = UpliftInterval.newcombe(convertedSent, delivered, convertedControl, expectedControl);
        assertThat(line.path("uplift").path("lower").asDouble()).isEqualTo(uplift.lower());
        assertThat(line.path("uplift").path("upper").asDouble()).isEqualTo(uplift.upper());
        assertThat(new BigDecimal(line.path("valuePerMessageSent").path("ZAR").asText())).isEqualTo(
            BigDecimal.valueOf(100 * convertedSent).divide(BigDecimal.valueOf(delivered), 2, RoundingMode.HALF_EVEN));
        // nobody held out was sent anything
        assertThat(runtime.outbox().messages()).filteredOn(m -> OFFER.equals(m.offerId()))
            .hasSizeBetween((int) delivered, (int) expectedSent)
            .noneMatch(m -> holdout.inControl(m.customerId(), OFFER, 0.5));
    }

    /** The offer's entries by customer: their status. */
    private Map<String, String> statuses() {
        Map<String, String> found = new HashMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(runtime.ref("NotificationsTable"))
            .filterExpression("offerId = :offer AND attribute_exists(channel)")
            .expressionAttributeValues(Map.of(":offer", AttributeValue.fromS(OFFER))))
            .items().forEach(item -> found.put(item.get("customerId").s(), item.get("status").s()));
        return found;
    }

    private JsonNode reportLine(String offerId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/local/offers-report")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode line : JSON.readTree(response.body()).path("offers")) {
            if (line.path("offerId").asText().equals(offerId)) {
                return line;
            }
        }
        return null;
    }

    private static Map<String, AttributeValue> item(String customerId, String key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(runtime.ref("NotificationsTable"))
            .key(Map.of("customerId", AttributeValue.fromS(customerId), "notificationKey", AttributeValue.fromS(key)))
            .consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static Map<String, Map<String, AttributeValue>> conversions(String customerId) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        dynamoDb.queryPaginator(b -> b.tableName(runtime.ref("NotificationsTable"))
            .keyConditionExpression("customerId = :id AND begins_with(notificationKey, :prefix)")
            .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(customerId), ":prefix",
                AttributeValue.fromS("conversion#"))).consistentRead(true))
            .items().forEach(item -> found.put(item.get("notificationKey").s(), item));
        return found;
    }

    private static void putOnStream(ConversionEvent event) {
        new AwsClients(Settings.of(Map.of(AwsClients.ENDPOINT_URL, runtime.moto().endpoint().toString(),
            "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY))).kinesis().putRecord(b -> b
            .streamName(runtime.ref("InterestEventsStream")).partitionKey(event.customerId())
            .data(SdkBytes.fromByteArray(StreamEventCodec.encode(event))));
    }

    private Outbox.Message awaitMessage(Predicate<Outbox.Message> wanted) throws Exception {
        return await("a matching message in the outbox", () -> runtime.outbox().messages().stream().filter(wanted)
            .findFirst().orElse(null), message -> message != null);
    }

    /** A read that throws. */
    private interface Read<T> {
        T get() throws Exception;
    }

    private static <T> T await(String what, Read<T> read, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new AssertionError(what + ": not within " + TIMEOUT.toSeconds() + " s; last seen: " + last);
    }

    private static String eventId(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("eventIds").path(0).asText();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + runtime.port() + path);
    }
}
