package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ErasureTombstones;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Issue 12, item 7, through the public API against the emulator: after {@code DELETE /customers/{id}} the id can
 * be given neither contact details nor consent again (409 problem+json) until the tombstone expires, and the
 * tombstone's key is a keyed hash that a reader of the table cannot recompute from a guessed id.
 */
@ExtendWith(MotoExtension.class)
class ErasureStickinessIT {

    private static final Instant ERASED_AT = Instant.parse("2026-11-25T10:00:00Z");
    private static final String CONTACT = "{\"phone\":\"+27821234567\",\"email\":\"thandi@example.co.za\","
        + "\"locale\":\"en-ZA\",\"timeZone\":\"Africa/Johannesburg\"}";
    private static final String CONSENT = "{\"sms\":\"granted\",\"email\":\"granted\"}";
    private static IngestTestBed bed;
    private static IngestHandler handler;

    @BeforeAll
    static void createBed(MotoExtension.Emulator emulator) {
        bed = new IngestTestBed(emulator, "erasure");
        handler = bed.handler(bed.settings, Clock.fixed(ERASED_AT, ZoneOffset.UTC));
    }

    @Test
    void contactAndConsentAfterErasure_areRefusedWithAProblem_andNothingIsStoredOrStreamed() {
        assertThat(send(handler, "PUT", "/customers/{id}/contact", "/customers/er-sticky/contact", CONTACT)
            .getStatusCode()).isEqualTo(204);
        assertThat(send(handler, "DELETE", "/customers/{id}", "/customers/er-sticky", null).getStatusCode())
            .isEqualTo(202);
        int records = bed.records().size();

        APIGatewayProxyResponseEvent contact = send(handler, "PUT", "/customers/{id}/contact",
            "/customers/er-sticky/contact", CONTACT);
        APIGatewayProxyResponseEvent consent = send(handler, "PUT", "/customers/{id}/consent",
            "/customers/er-sticky/consent", CONSENT);

        for (APIGatewayProxyResponseEvent refused : List.of(contact, consent)) {
            assertThat(refused.getStatusCode()).isEqualTo(409);
            assertThat(refused.getHeaders()).containsEntry("Content-Type", "application/problem+json");
            JsonNode problem = IngestTestBed.json(refused.getBody());
            assertThat(problem.path("type").asText()).endsWith("customer-erased");
            assertThat(problem.path("detail").asText()).contains("er-sticky")
                .contains(ERASED_AT.plus(Duration.ofDays(90)).toString()).contains("new id");
        }
        assertThat(bed.contact("er-sticky")).as("no contact re-created").isEmpty();
        assertThat(bed.records()).as("no consent event after the erasure").hasSize(records);
        assertThat(bed.lines).anyMatch(line -> line.contains("\"reasons\":\"customer_erased\"")
            && line.contains("\"status\":409"));
    }

    @Test
    void tombstone_isKeyedByAnHmacUnderTheStacksSecret_notByAHashAnyoneCanRecompute() throws Exception {
        send(handler, "DELETE", "/customers/{id}", "/customers/12345", null);

        List<Map<String, AttributeValue>> items = bed.dynamoDb.scan(b -> b.tableName(bed.erasures)).items();
        String plainSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest("12345".getBytes(StandardCharsets.UTF_8)));
        assertThat(items).extracting(item -> item.get("customerHash").s())
            .doesNotContain(plainSha256, "12345")
            .contains(ErasureTombstones.from(bed.settings).hash("12345"));
        Map<String, AttributeValue> tombstone = bed.dynamoDb.getItem(b -> b.tableName(bed.erasures)
            .key(ErasureTombstones.from(bed.settings).key("12345")).consistentRead(true)).item();
        assertThat(tombstone.get("expiresAt").n())
            .isEqualTo(Long.toString(ERASED_AT.plus(Duration.ofDays(90)).getEpochSecond()));
        assertThat(tombstone.values()).noneMatch(value -> "12345".equals(value.s()));
        // another stack's secret gives another key: a copy of the table is useless without the secret
        assertThat(new ErasureTombstones("another-stack-secret-of-32-chars-x").hash("12345"))
            .isNotEqualTo(ErasureTombstones.from(bed.settings).hash("12345"));
    }

    @Test
    void afterTheTombstoneExpires_theIdMayBeRegisteredAgain() {
        send(handler, "DELETE", "/customers/{id}", "/customers/er-expired", null);
        IngestHandler later = bed.handler(bed.settings, Clock.fixed(ERASED_AT.plus(Duration.ofDays(91)),
            ZoneOffset.UTC));

        assertThat(send(later, "PUT", "/customers/{id}/contact", "/customers/er-expired/contact", CONTACT)
            .getStatusCode()).isEqualTo(204);
        assertThat(bed.contact("er-expired")).isNotEmpty();
    }

    @Test
    void tombstoneOfTheFirstLayout_plainSha256_isStillHonoured() {
        Map<String, AttributeValue> legacy = new java.util.HashMap<>(ErasureTombstones.legacyKey("er-legacy"));
        legacy.put("erasedAt", AttributeValue.fromS(ERASED_AT.minus(Duration.ofDays(10)).toString()));
        legacy.put("eventId", AttributeValue.fromS("ev-legacy"));
        legacy.put("expiresAt", AttributeValue.fromN(Long.toString(ERASED_AT.plus(Duration.ofDays(80))
            .getEpochSecond())));
        bed.dynamoDb.putItem(b -> b.tableName(bed.erasures).item(legacy));

        assertThat(send(handler, "PUT", "/customers/{id}/contact", "/customers/er-legacy/contact", CONTACT)
            .getStatusCode()).isEqualTo(409);
        assertThat(send(handler, "PUT", "/customers/{id}/consent", "/customers/er-legacy/consent", CONSENT)
            .getStatusCode()).isEqualTo(409);
        assertThat(bed.contact("er-legacy")).isEmpty();
    }

    private static APIGatewayProxyResponseEvent send(IngestHandler to, String method, String resource, String path,
        String body) {
        return to.handleRequest(IngestTestBed.request(method, resource, path, body), null);
    }
}
