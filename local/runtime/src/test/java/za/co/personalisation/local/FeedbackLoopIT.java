package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.LedgerEntry;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.notify.DeliveryOutcome;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.api.ApiGateway;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.outbox.Outbox;

/**
 * Issue 17, delivery feedback, end to end on the local stack through its HTTP API: the outbox's simulated receipts
 * reach the ledger; an email bounce posted to {@code /local/email-events} stops email to that customer's address;
 * a STOP posted to {@code /local/inbound-sms} revokes SMS consent through the stream, so the next matching event
 * sends nothing by SMS; repeated events change nothing.
 */
@ExtendWith(MotoExtension.class)
class FeedbackLoopIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();

    private static LocalRuntime runtime;
    private static DynamoDbClient dynamoDb;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(MotoServer moto) {
        runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
            new PrintStream(CONSOLE, true, StandardCharsets.UTF_8)));
        dynamoDb = new AwsClients(Settings.of(Map.of(AwsClients.ENDPOINT_URL, moto.endpoint().toString(),
            "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY))).dynamoDb();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void emailBounce_stopsEmailToThatCustomer_andRepeatsChangeNothing() throws Exception {
        String customer = "fb-bounce-1";
        customer(customer,
            "{\"email\":\"bounces@example.co.za\",\"locale\":\"en-ZA\",\"timeZone\":\"Africa/Johannesburg\"}",
            "{\"email\":\"granted\"}");
        String first = event(customer, "travel", "Kimberley");
        Outbox.Message sent = await("the travel email", () -> message(m -> m.eventId().equals(first)));
        assertThat(sent.channel()).isEqualTo("email");
        assertThat(sent.offerId()).isEqualTo("TRVL-ZA-01");

        String bounce = "{\"messageId\":\"" + sent.providerMessageId() + "\",\"type\":\"bounce\"}";
        assertThat(post("/local/email-events", bounce, false).statusCode()).isEqualTo(202);
        assertThat(post("/local/email-events", bounce, false).statusCode()).isEqualTo(202);
        await("the bounce on the ledger", () -> outcome(customer, "TRVL-ZA-01#email") == DeliveryOutcome.BOUNCED
            ? true : null);
        Map<String, AttributeValue> bounced = dynamoDb.getItem(b -> b.tableName(runtime.ref("NotificationsTable"))
            .key(Map.of("customerId", AttributeValue.fromS(customer),
                "notificationKey", AttributeValue.fromS("TRVL-ZA-01#email")))).item();
        assertThat(await("the outbox's delivery state", () -> message(m -> m.eventId().equals(first)
            && m.delivery().equals("bounced")))).isNotNull();

        String second = event(customer, "books", "Kimberley");
        Map<String, AttributeValue> suppressed = await("the books offer decided", () -> {
            Map<String, AttributeValue> item = ledger(customer, "BOOK-ZA-01#email");
            return item != null && item.get("status").s().equals("suppressed") ? item : null;
        });
        assertThat(suppressed.get("reason").s()).isEqualTo("address_suppressed");
        assertThat(suppressed.get("detail").s()).isEqualTo("bounced");
        assertThat(suppressed.get("eventId").s()).isEqualTo(second);
        assertThat(runtime.outbox().messages()).filteredOn(m -> m.customerId().equals(customer)).hasSize(1);
        // the receipts simulated later and the repeated bounce left the entry as it was
        Thread.sleep(3000);
        assertThat(ledger(customer, "TRVL-ZA-01#email")).isEqualTo(bounced);

        // the suppression is the address's: a new address is emailed again
        assertThat(put("/customers/" + customer + "/contact", "{\"email\":\"new-address@example.co.za\","
            + "\"locale\":\"en-ZA\",\"timeZone\":\"Africa/Johannesburg\"}").statusCode()).isEqualTo(204);
        String third = event(customer, "pets", "Kimberley");
        Outbox.Message again = await("an email to the new address", () -> message(m -> m.eventId().equals(third)));
        assertThat(again.recipient()).isEqualTo("new-address@example.co.za");
        assertThat(CONSOLE.toString(StandardCharsets.UTF_8)).doesNotContain("bounces@example.co.za");
    }

    @Test
    void stopReply_revokesSmsConsent_andTheNextMatchingEventSendsNothingBySms() throws Exception {
        String customer = "fb-stop-1";
        String phone = "+27825550101";
        customer(customer, "{\"phone\":\"" + phone + "\",\"locale\":\"en-ZA\","
            + "\"timeZone\":\"Africa/Johannesburg\"}",
            "{\"sms\":\"granted\"}");
        String first = event(customer, "gaming", "Kimberley");
        Outbox.Message sent = await("the gaming SMS", () -> message(m -> m.eventId().equals(first)));
        assertThat(sent.channel()).isEqualTo("sms");
        assertThat(sent.text()).endsWith("Reply STOP to opt out.");
        await("the simulated receipt", () -> outcome(customer, "GAME-ZA-01#sms") == DeliveryOutcome.DELIVERED
            ? true : null);

        HttpResponse<String> stop = post("/local/inbound-sms", "{\"from\":\"" + phone + "\",\"text\":\"STOP\"}",
            false);
        assertThat(stop.statusCode()).isEqualTo(202);
        await("SMS consent revoked on the profile", () -> ProfileItems.fromItem(dynamoDb.getItem(b -> b
            .tableName(runtime.ref("ProfilesTable")).consistentRead(true)
            .key(Map.of("customerId", AttributeValue.fromS(customer)))).item()).consentFor(Channel.SMS).state()
            == Consent.State.REVOKED ? true : null);
        await("the SMS marked opted out", () -> outcome(customer, "GAME-ZA-01#sms") == DeliveryOutcome.OPTED_OUT
            ? true : null);

        String next = event(customer, "music", "Kimberley");
        await("the music event applied", () -> ProfileItems.fromItem(dynamoDb.getItem(b -> b
            .tableName(runtime.ref("ProfilesTable")).consistentRead(true)
            .key(Map.of("customerId", AttributeValue.fromS(customer)))).item()).interests().containsKey("music")
            ? true : null);
        // one shard, one profile stream: once a later customer's event is delivered, this one was decided
        String later = event("12345", "pets", "Cape Town");
        await("a later event delivered", () -> message(m -> m.eventId().equals(later)));
        assertThat(runtime.outbox().messages()).filteredOn(m -> m.customerId().equals(customer))
            .extracting(Outbox.Message::eventId).containsExactly(first).doesNotContain(next);
        assertThat(ledger(customer, "MUSIC-ZA-01#sms")).isNull();
    }

    @Test
    void localFeedbackEndpoints_answerBadInputWithProblems() throws Exception {
        HttpResponse<String> badPhone = post("/local/inbound-sms", "{\"from\":\"0821234567\",\"text\":\"\","
            + "\"extra\":1}", false);
        assertThat(badPhone.statusCode()).isEqualTo(400);
        assertThat(badPhone.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(badPhone.body()).path("violations").findValuesAsText("pointer"))
            .containsExactlyInAnyOrder("/from", "/text", "/extra");

        HttpResponse<String> badType = post("/local/email-events", "{\"messageId\":\"x\",\"type\":\"open\"}", false);
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badType.body()).path("violations").findValuesAsText("pointer"))
            .containsExactly("/type");

        assertThat(post("/local/email-events", "[1,2]", false).statusCode()).isEqualTo(400);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("/local/inbound-sms")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    private void customer(String id, String contact, String consent) throws Exception {
        assertThat(put("/customers/" + id + "/contact", contact).statusCode()).isEqualTo(204);
        assertThat(put("/customers/" + id + "/consent", consent).statusCode()).isEqualTo(202);
    }

    private String event(String customer, String interest, String location) throws Exception {
        HttpResponse<String> response = post("/events", "{\"customerId\":\"" + customer + "\",\"interest\":\""
            + interest + "\",\"location\":\"" + location + "\"}", false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("eventIds").path(0).asText();
    }

    private static Outbox.Message message(Predicate<Outbox.Message> wanted) {
        return runtime.outbox().messages().stream().filter(wanted).findFirst().orElse(null);
    }

    private static Map<String, AttributeValue> ledger(String customer, String key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(runtime.ref("NotificationsTable"))
            .consistentRead(true).key(Map.of("customerId", AttributeValue.fromS(customer),
                "notificationKey", AttributeValue.fromS(key)))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static DeliveryOutcome outcome(String customer, String key) {
        Map<String, AttributeValue> item = ledger(customer, key);
        return item == null ? null : LedgerEntry.from(item).outcome();
    }

    private static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            T found = value.get();
            if (found != null) {
                return found;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " did not happen within " + TIMEOUT.toSeconds() + " s; outbox: "
            + runtime.outbox().messages());
    }

    private HttpResponse<String> post(String path, String body, boolean key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key) {
            request.header("x-api-key", ApiGateway.LOCAL_API_KEY);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
            .header("x-api-key", ApiGateway.LOCAL_API_KEY).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + runtime.port() + path);
    }

}
