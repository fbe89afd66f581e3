package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.local.api.ApiGateway;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * Issue 12, items 1, 3 and 4, as an attacker does them: through the public HTTP API of the whole local stack
 * (API → ingest → Kinesis → enrich → profiles → notify → deliver). The stack runs on the machine's clock, so the
 * attacker's times are relative to it; what is asserted is the stored profile and consent and the outbox.
 */
@ExtendWith(MotoExtension.class)
class EnrichAttacksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static LocalRuntime runtime;
    private static DynamoDbClient dynamoDb;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(MotoServer moto) {
        runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        dynamoDb = new AwsClients(Settings.of(Map.of(AwsClients.ENDPOINT_URL, moto.endpoint().toString(),
            "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local")))
            .dynamoDb();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** Item 4: a grant dated minutes ahead, then a revocation the API acknowledged: the revocation holds. */
    @Test
    void revocation_afterAGrantDatedAhead_holds_andNothingIsSent() throws Exception {
        String customer = "attack-consent";
        assertThat(put("/customers/" + customer + "/contact", "{\"phone\":\"+27829990001\",\"email\":"
            + "\"attack@example.co.za\",\"locale\":\"en-ZA\",\"timeZone\":\"Africa/Johannesburg\"}").statusCode())
            .isEqualTo(204);
        String ahead = Instant.now().plus(Duration.ofMinutes(4)).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(put("/customers/" + customer + "/consent", "{\"sms\":\"granted\",\"email\":\"granted\","
            + "\"occurredAt\":\"" + ahead + "\"}").statusCode()).isEqualTo(202);
        assertThat(put("/customers/" + customer + "/consent", "{\"sms\":\"revoked\",\"email\":\"revoked\"}")
            .statusCode()).isEqualTo(202);

        String eventId = eventId(post("{\"customerId\":\"" + customer + "\",\"interest\":\"electronics\","
            + "\"location\":\"Cape Town\"}"));

        await(() -> applied(customer, eventId), "the event applied to " + customer);
        Profile profile = profile(customer);
        assertThat(profile.consentFor(Channel.SMS).state()).isEqualTo(Consent.State.REVOKED);
        assertThat(profile.consentFor(Channel.EMAIL).state()).isEqualTo(Consent.State.REVOKED);
        awaitLogged("notification.suppressed", customer);
        assertThat(runtime.outbox().messages()).noneMatch(message -> message.customerId().equals(customer));
    }

    /** Item 3: 250 events dated 4 minutes ahead, then the customer's own event: it is applied. */
    @Test
    void floodDatedAhead_doesNotMakeTheCustomersOwnEventDisappear() throws Exception {
        String customer = "attack-horizon";
        String ahead = Instant.now().plus(Duration.ofMinutes(4)).truncatedTo(ChronoUnit.SECONDS).toString();
        StringBuilder flood = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 250; i++) {
            flood.append(i == 0 ? "" : ",").append("{\"customerId\":\"").append(customer)
                .append("\",\"interest\":\"junk\",\"location\":\"Cape Town\",\"occurredAt\":\"").append(ahead)
                .append("\"}");
        }
        assertThat(post(flood.append("]}").toString()).statusCode()).isEqualTo(202);
        String marker = eventId(post("{\"customerId\":\"" + customer + "\",\"interest\":\"marker\","
            + "\"location\":\"Cape Town\"}"));
        await(() -> applied(customer, marker), "the flood applied");

        String real = eventId(post("{\"customerId\":\"" + customer + "\",\"interest\":\"books\","
            + "\"location\":\"Durban\",\"occurredAt\":\"" + Instant.now().minusSeconds(30)
            .truncatedTo(ChronoUnit.SECONDS) + "\"}"));

        // applied (it may be forgotten at once: its key is the lowest, but it was received after the flood)
        await(() -> profile(customer).interests().containsKey("books"), "the customer's own event " + real
            + " applied");
        assertThat(Files.readAllLines(functionsLog())).noneMatch(line -> line.contains("event.too_late")
            && line.contains(real));
    }

    /** Item 1: four batches of 500 distinct interests leave a profile of 100, and every write succeeds. */
    @Test
    void twoThousandDistinctInterests_leaveABoundedProfile() throws Exception {
        String customer = "attack-growth";
        for (int b = 0; b < 4; b++) {
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 0; i < 500; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"customerId\":\"").append(customer)
                    .append("\",\"interest\":\"junk ").append(b).append(' ').append(i)
                    .append("\",\"location\":\"Cape Town\"}");
            }
            assertThat(post(batch.append("]}").toString()).statusCode()).isEqualTo(202);
        }
        String last = eventId(post("{\"customerId\":\"" + customer + "\",\"interest\":\"books\","
            + "\"location\":\"Durban\"}"));

        await(() -> applied(customer, last), "the last event applied");
        assertThat(profile(customer).interests()).hasSize(100);
        assertThat(Files.readAllLines(functionsLog())).noneMatch(line -> line.contains("profile.write_failed")
            && line.contains(customer));
    }

    private boolean applied(String customerId, String eventId) {
        Profile profile = profile(customerId);
        return profile != null && profile.applied().contains(eventId);
    }

    private static Profile profile(String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(runtime.ref("ProfilesTable"))
            .consistentRead(true).key(Map.of(ProfileItems.KEY, AttributeValue.fromS(customerId)))).item();
        return item == null || item.isEmpty() ? null : ProfileItems.fromItem(item);
    }

    private static Path functionsLog() {
        return ProjectRoot.find().resolve(".local-aws/logs/functions.log");
    }

    private static void awaitLogged(String message, String customerId) throws InterruptedException {
        await(() -> {
            try {
                return Files.readAllLines(functionsLog()).stream().anyMatch(line -> line.contains("\"message\":\""
                    + message + "\"") && line.contains("\"customerId\":\"" + customerId + "\""));
            } catch (IOException e) {
                return false;
            }
        }, message + " for " + customerId);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
    }

    private static String eventId(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        return body.path("eventIds").path(0).asText();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/events")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
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
