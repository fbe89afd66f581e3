package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;

/** Every route of the function through the handler against moto, as API Gateway would call it. */
@ExtendWith(MotoExtension.class)
class IngestHandlerIT {

    private static final String SEED = "{\"customerId\":\"12345\",\"interest\":\"electronics\","
        + "\"location\":\"Cape Town\"}";
    private static final String CONTACT = "{\"phone\":\"+27821234567\",\"email\":\"thandi@example.co.za\","
        + "\"locale\":\"zu-ZA\",\"timeZone\":\"Africa/Johannesburg\"}";
    private static IngestTestBed bed;

    @BeforeAll
    static void start(MotoExtension.Emulator emulator) {
        bed = new IngestTestBed(emulator, "handler");
    }

    private static List<JsonNode> recordsFor(String customerId) {
        return bed.records().stream().filter(r -> r.path("customerId").asText().equals(customerId)).toList();
    }

    @Test
    void postEvents_seedPayload_isAcceptedAndWrittenPartitionedByCustomer() {
        APIGatewayProxyResponseEvent response = bed.send(IngestTestBed.postEvents(SEED));

        assertThat(response.getStatusCode()).isEqualTo(202);
        JsonNode body = IngestTestBed.json(response.getBody());
        String eventId = body.path("eventIds").path(0).asText();
        assertThat(body.path("results").path(0).path("location").path("key").asText()).isEqualTo("ZA/WC/cape-town");
        assertThat(recordsFor("12345")).anySatisfy(record -> {
            assertThat(record.path("eventId").asText()).isEqualTo(eventId);
            assertThat(record.path("schema").asText()).isEqualTo("interest-event/1");
            assertThat(record.path("partitionKey").asText()).isEqualTo("12345");
            assertThat(record.path("traceId").asText()).isEqualTo("1-67891233-abcdef012345678912345678");
        });
    }

    @Test
    void postEvents_batchWithABadItem_acceptsTheRestAndSaysWhichWasRejected() {
        String good = "{\"customerId\":\"b-1\",\"interest\":\"Garden\",\"location\":\"Atlantis\"}";
        String batch = "{\"events\":[" + good + ",{\"customerId\":\"b-1\",\"interest\":7,\"location\":\"x\"}]}";

        APIGatewayProxyResponseEvent response = bed.send(IngestTestBed.postEvents(batch));

        assertThat(response.getStatusCode()).isEqualTo(202);
        JsonNode body = IngestTestBed.json(response.getBody());
        assertThat(body.path("accepted").asInt()).isEqualTo(1);
        assertThat(body.path("rejected").asInt()).isEqualTo(1);
        assertThat(body.path("results").path(0).path("location").path("known").asBoolean()).isFalse();
        assertThat(body.path("results").path(1).path("status").asText()).isEqualTo("rejected");
        assertThat(body.path("results").path(1).path("violations").path(0).path("pointer").asText())
            .isEqualTo("/events/1/interest");
        assertThat(recordsFor("b-1")).hasSize(1);
    }

    @Test
    void postEvents_fullBatch_takesExactlyOnePutRecordsCall() {
        String event = "{\"customerId\":\"full\",\"interest\":\"books\",\"location\":\"Durban\"}";
        int before = bed.putRecordsCalls.get();

        APIGatewayProxyResponseEvent response = bed.send(IngestTestBed.postEvents("{\"events\":["
            + String.join(",", Collections.nCopies(500, event)) + "]}"));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(IngestTestBed.json(response.getBody()).path("accepted").asInt()).isEqualTo(500);
        assertThat(bed.putRecordsCalls.get() - before).isEqualTo(1);
    }

    @Test
    void postEvents_sameClientEventIdTwice_carriesTheSameIdForDownstreamToApplyOnce() {
        String body = "{\"customerId\":\"idem\",\"interest\":\"books\",\"location\":\"Durban\",\"eventId\":\"k-1\"}";

        bed.send(IngestTestBed.postEvents(body));
        bed.send(IngestTestBed.postEvents(body));

        assertThat(recordsFor("idem")).extracting(r -> r.path("eventId").asText()).containsExactly("k-1", "k-1");
    }

    @Test
    void putContact_writesTheContactsTableOnly_andLogsNoPersonalData() {
        int records = bed.records().size();

        APIGatewayProxyResponseEvent response = bed.send(IngestTestBed.request("PUT", "/customers/{id}/contact",
            "/customers/ct-1/contact", CONTACT));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        Map<String, AttributeValue> item = bed.contact("ct-1");
        assertThat(item.get("phone").s()).isEqualTo("+27821234567");
        assertThat(item.get("email").s()).isEqualTo("thandi@example.co.za");
        assertThat(item.get("locale").s()).isEqualTo("zu-ZA");
        // the keyed hash a STOP reply from this phone is mapped back to the customer by (issue 17)
        assertThat(item.get(ContactItems.PHONE_HASH).s())
            .isEqualTo(new ContactHashes(MotoServer.ERASURE_KEY).phone("+27821234567"))
            .doesNotContain("27821234567").hasSize(64);
        assertThat(bed.records()).as("contact data never goes onto the stream").hasSize(records);
        assertThat(bed.lines).noneMatch(line -> line.contains("27821234567") || line.contains("thandi"));
        assertThat(bed.lines).anyMatch(line -> line.contains("\"route\":\"/customers/{id}/contact\"")
            && line.contains("\"status\":204") && line.contains("\"customerId\":\"ct-1\""));
    }

    @Test
    void putConsent_putsOneConsentEventPerChannel() {
        APIGatewayProxyResponseEvent response = bed.send(IngestTestBed.request("PUT", "/customers/{id}/consent",
            "/customers/cs-1/consent", "{\"sms\":\"granted\",\"email\":\"revoked\"}"));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(IngestTestBed.json(response.getBody()).path("eventIds")).hasSize(2);
        assertThat(recordsFor("cs-1")).extracting(r -> r.path("schema").asText() + ":" + r.path("channel").asText()
            + ":" + r.path("state").asText())
            .containsExactlyInAnyOrder("consent-event/1:sms:granted", "consent-event/1:email:revoked");
    }

    @Test
    void deleteCustomer_deletesTheContactAndPutsAnErasureEvent() {
        bed.send(IngestTestBed.request("PUT", "/customers/{id}/contact", "/customers/er-1/contact", CONTACT));
        assertThat(bed.contact("er-1")).isNotEmpty();

        APIGatewayProxyResponseEvent response = bed.send(IngestTestBed.request("DELETE", "/customers/{id}",
            "/customers/er-1", null).withHeaders(Map.of()));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(bed.contact("er-1")).isEmpty();
        String eventId = IngestTestBed.json(response.getBody()).path("eventIds").path(0).asText();
        assertThat(recordsFor("er-1")).singleElement().satisfies(r -> {
            assertThat(r.path("schema").asText()).isEqualTo("erasure-event/1");
            assertThat(r.path("eventId").asText()).isEqualTo(eventId);
        });
        APIGatewayProxyResponseEvent again = bed.send(IngestTestBed.request("DELETE", "/customers/{id}",
            "/customers/er-1", null));
        assertThat(again.getStatusCode()).as("erasure is idempotent").isEqualTo(202);
    }

    @Test
    void postEvents_whenTheStreamCannotTakeIt_answers503RetryableAndClaimsNothing() {
        IngestHandler broken = bed.handler(bed.settings.with(Map.of("EVENTS_STREAM", "no-such-stream")));

        APIGatewayProxyResponseEvent response = broken.handleRequest(IngestTestBed.postEvents(SEED), null);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "1")
            .containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = IngestTestBed.json(response.getBody());
        assertThat(problem.path("results").path(0).path("status").asText()).isEqualTo("retry");
        assertThat(bed.lines).anyMatch(line -> line.contains("\"status\":503")
            && line.contains("\"errorType\":\"ResourceNotFoundException\""));
    }

    @Test
    void postEvents_fromTheFrontendOrigin_getsCorsHeaders_otherOriginsDoNot() {
        APIGatewayProxyRequestEvent fromFrontend = IngestTestBed.postEvents(SEED);
        Map<String, String> headers = new LinkedHashMap<>(fromFrontend.getHeaders());
        headers.put("Origin", IngestTestBed.ORIGIN);
        APIGatewayProxyRequestEvent fromElsewhere = IngestTestBed.postEvents(SEED);
        Map<String, String> otherHeaders = new LinkedHashMap<>(fromElsewhere.getHeaders());
        otherHeaders.put("Origin", "https://evil.example");

        APIGatewayProxyResponseEvent allowed = bed.send(fromFrontend.withHeaders(headers));
        APIGatewayProxyResponseEvent refused = bed.send(fromElsewhere.withHeaders(otherHeaders));
        APIGatewayProxyResponseEvent preflight = bed.send(IngestTestBed.request("OPTIONS", "/events", "/events",
            null).withHeaders(Map.of("Origin", IngestTestBed.ORIGIN)));

        assertThat(allowed.getHeaders()).containsEntry("Access-Control-Allow-Origin", IngestTestBed.ORIGIN);
        assertThat(refused.getHeaders()).doesNotContainKey("Access-Control-Allow-Origin");
        assertThat(preflight.getStatusCode()).isEqualTo(204);
        assertThat(preflight.getHeaders()).containsEntry("Access-Control-Allow-Methods", "POST, OPTIONS");
    }

    @Test
    void everyRequest_emitsEmfMetrics_acceptedAndRejectedByReason() {
        bed.send(IngestTestBed.postEvents(SEED));
        bed.send(IngestTestBed.postEvents("{}"));

        assertThat(bed.lines).anyMatch(line -> line.contains("\"CloudWatchMetrics\"")
            && line.contains("\"Accepted\":1"));
        assertThat(bed.lines).anyMatch(line -> line.contains("\"Reason\":\"invalid_request\"")
            && line.contains("\"Rejected\":1"));
        assertThat(bed.lines).anyMatch(line -> line.contains("\"KinesisRetries\":0"));
    }
}
