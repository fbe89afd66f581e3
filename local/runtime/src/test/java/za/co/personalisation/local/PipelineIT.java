package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.outbox.Outbox;

/**
 * The whole path, through the HTTP API as a client sees it: POST /events → ingest → Kinesis → enrich → profiles
 * → DynamoDB Streams → notify → SNS → SQS → deliver → the emulator's SMS / email record, read back through the
 * local outbox. Real SDK calls against moto all the way; nothing is stubbed.
 */
@ExtendWith(MotoExtension.class)
class PipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private static LocalRuntime runtime;
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(MotoServer moto) {
        runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
            new PrintStream(CONSOLE, true, StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void seedEvent_throughTheApi_deliversTheCapeTownOfferBySmsToCustomer12345() throws Exception {
        HttpResponse<String> response = post("/events", "application/json",
            "{\"customerId\":\"12345\",\"interest\":\"electronics\",\"location\":\"Cape Town\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        String eventId = body.path("eventIds").path(0).asText();
        assertThat(eventId).isNotBlank();
        assertThat(body.path("location").asText()).isEqualTo("ZA/WC/cape-town");

        Outbox.Message message = awaitMessage(m -> m.eventId().equals(eventId));
        assertThat(message.channel()).isEqualTo("sms");
        assertThat(message.recipient()).isEqualTo("+27821234567");
        assertThat(message.customerId()).isEqualTo("12345");
        assertThat(message.offerId()).isEqualTo("ELEC-CPT-01");
        assertThat(message.text()).isEqualTo("Electronics week at our Cape Town stores: 15% off laptops and TVs"
            + " until Sunday. Reply STOP to opt out.");
        awaitConsole("OUTBOX sms   to customer 12345 (+27*****67): offer ELEC-CPT-01 for event " + eventId);
        assertThat(CONSOLE.toString(StandardCharsets.UTF_8)).doesNotContain("+27821234567");
    }

    @Test
    void freshlyStartedStack_hasEverySampleOfferThatIsMeantToBeOpen_validNow() {
        Map<String, String> environment = Map.of(AwsClients.ENDPOINT_URL, runtime.moto().endpoint().toString(),
            "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY);
        Instant now = Instant.now();
        OfferCatalog catalog = new OfferRepository(new AwsClients(Settings.of(environment)).dynamoDb(),
            runtime.ref("OffersTable"), Duration.ZERO, Clock.fixed(now, ZoneOffset.UTC)).catalog();

        // The sample's three short windows are closed or not yet open by design (docs/local.md); every other offer
        // is open on whatever day the stack is started, and stays open for the next year.
        Set<String> notOpen = Set.of("CLTH-WINTER-26", "FEST-ZA-26", "BOOK-SCHOOL-27");
        assertThat(catalog.size()).isEqualTo(72);
        for (Offer offer : catalog.offers()) {
            assertThat(offer.isValidAt(now)).as(offer.offerId()).isEqualTo(!notOpen.contains(offer.offerId()));
            assertThat(offer.isValidAt(now.plus(Duration.ofDays(365)))).as(offer.offerId() + " in a year")
                .isEqualTo(!notOpen.contains(offer.offerId()));
        }
    }

    @Test
    void malformedJson_isA400Problem_andTheNextValidEventStillFlows() throws Exception {
        HttpResponse<String> bad = post("/events", "application/json", "{\"customerId\":\"23456\",\"interest\":");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(bad.body());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("violations").path(0).path("pointer").asText()).isEmpty();
        assertThat(problem.path("violations").path(0).path("message").asText()).startsWith("malformed JSON");

        HttpResponse<String> good = post("/events", "application/json",
            "{\"customerId\":\"23456\",\"interest\":\"Electronics \",\"location\":\"Stellenbosch\"}");
        assertThat(good.statusCode()).isEqualTo(202);
        String eventId = JSON.readTree(good.body()).path("eventIds").path(0).asText();

        // 23456 consented to email only and reads Afrikaans: the Western Cape offer, by email, in af-ZA.
        Outbox.Message message = awaitMessage(m -> m.eventId().equals(eventId));
        assertThat(message.channel()).isEqualTo("email");
        assertThat(message.recipient()).isEqualTo("pieter@example.co.za");
        assertThat(message.offerId()).isEqualTo("ELEC-WC-01");
        assertThat(message.subject()).isEqualTo("Gratis aflewering op elektronika");
        assertThat(message.text()).contains("Unsubscribe: https://personalisation.example/unsubscribe/23456");
    }

    @Test
    void customerWithoutConsent_receivesNothing() throws Exception {
        String refused = eventId(post("/events", "application/json",
            "{\"customerId\":\"34567\",\"interest\":\"electronics\",\"location\":\"Cape Town\"}"));
        // One shard and one profile stream: once a later event is delivered, the earlier one was decided.
        String later = eventId(post("/events", "application/json",
            "{\"customerId\":\"45678\",\"interest\":\"sports\",\"location\":\"George\"}"));

        awaitMessage(m -> m.eventId().equals(later));
        assertThat(runtime.outbox().messages()).noneMatch(m -> m.customerId().equals("34567")
            || m.eventId().equals(refused));
    }

    @Test
    void sameEventIdTwice_isDeliveredOnce() throws Exception {
        String body = "{\"customerId\":\"45678\",\"interest\":\"books\",\"location\":\"Durban\","
            + "\"eventId\":\"retry-7f3a\"}";
        assertThat(eventId(post("/events", "application/json", body))).isEqualTo("retry-7f3a");
        assertThat(eventId(post("/events", "application/json", body))).isEqualTo("retry-7f3a");
        String later = eventId(post("/events", "application/json",
            "{\"customerId\":\"12345\",\"interest\":\"fashion\",\"location\":\"Johannesburg\"}"));

        awaitMessage(m -> m.eventId().equals(later));
        awaitMessage(m -> m.eventId().equals("retry-7f3a"));
        assertThat(runtime.outbox().messages()).filteredOn(m -> m.eventId().equals("retry-7f3a")).hasSize(1);
    }

    @Test
    void seededCustomers_showTheirConsentPerChannel_andOnlyMaskedContactDetails() {
        Map<String, Object> pieter = runtime.customers().stream()
            .filter(customer -> customer.get("customerId").equals("23456")).findFirst().orElseThrow();

        assertThat(pieter.get("exists")).isEqualTo(true);
        assertThat(pieter.get("consent")).isEqualTo(Map.of("sms", "revoked", "email", "granted"));
        assertThat(pieter.get("contact")).isEqualTo(Map.of("phone", "+27*****22", "email", "p***@example.co.za",
            "locale", "af-ZA", "timeZone", "Africa/Johannesburg"));
    }

    @Test
    void unknownRouteAndWrongMethod_areProblems() throws Exception {
        HttpResponse<String> missing = post("/nothing-here", "application/json", "{}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/problem+json");

        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(uri("/events")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(wrongMethod.body()).path("status").asInt()).isEqualTo(405);
    }

    private Outbox.Message awaitMessage(Predicate<Outbox.Message> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Outbox.Message> messages = runtime.outbox().messages();
            for (Outbox.Message message : messages) {
                if (wanted.test(message)) {
                    return message;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no matching message reached the outbox within " + DELIVERY_TIMEOUT.toSeconds()
            + " s; outbox: " + runtime.outbox().messages());
    }

    private static void awaitConsole(String line) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (CONSOLE.toString(StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the console never printed: " + line + "\n" + CONSOLE.toString(
            StandardCharsets.UTF_8));
    }

    private static String eventId(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("eventIds").path(0).asText();
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + runtime.port() + path);
    }
}
