package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * {@code PUT /customers/{id}/consent} records the latest consent statement per channel, where deliver reads it
 * before each send, before it answers 202: an opt-out holds from the acknowledgement, not from when enrich gets to
 * the event on a lagging stream. Newer (by the API's receive time) wins; a retry changes nothing; a failed write
 * fails the request and puts nothing on the stream.
 */
@ExtendWith(MotoExtension.class)
class ConsentStatementIT {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    private static IngestTestBed bed;
    private static ConsentStatements statements;

    @BeforeAll
    static void createBed(MotoExtension.Emulator emulator) {
        bed = new IngestTestBed(emulator, "consent-statement");
        statements = new ConsentStatements(bed.dynamoDb, bed.notifications);
    }

    @Test
    void revocation_isRecordedAsTheLatestStatement_beforeThe202() {
        assertThat(put(AT, "cs-revoke", "{\"sms\":\"revoked\",\"email\":\"granted\"}").getStatusCode())
            .isEqualTo(202);

        assertThat(statements.latest("cs-revoke", Channel.SMS)).isEqualTo(Consent.State.REVOKED);
        assertThat(statements.latest("cs-revoke", Channel.EMAIL)).isEqualTo(Consent.State.GRANTED);
        Map<String, AttributeValue> item = item("cs-revoke", Channel.SMS);
        // nothing about the customer but the pseudonymous id
        assertThat(item).containsOnlyKeys("customerId", "notificationKey", "state", "receivedAt", "statementOrder");
        assertThat(item.get("receivedAt").s()).isEqualTo(AT.toString());
    }

    @Test
    void laterGrant_replacesIt_butAnOlderRequestArrivingLate_doesNot() {
        assertThat(put(AT, "cs-order", "{\"sms\":\"revoked\"}").getStatusCode()).isEqualTo(202);
        assertThat(put(AT.plusSeconds(5), "cs-order", "{\"sms\":\"granted\"}").getStatusCode()).isEqualTo(202);
        assertThat(statements.latest("cs-order", Channel.SMS)).isEqualTo(Consent.State.GRANTED);

        // A revocation the API received before that grant (a slow instance's request) does not override it.
        assertThat(put(AT.plusSeconds(2), "cs-order", "{\"sms\":\"revoked\"}").getStatusCode()).isEqualTo(202);
        assertThat(statements.latest("cs-order", Channel.SMS)).isEqualTo(Consent.State.GRANTED);
    }

    @Test
    void sameRequestRetried_changesNothing() {
        assertThat(put(AT, "cs-retry", "{\"sms\":\"revoked\"}").getStatusCode()).isEqualTo(202);
        Map<String, AttributeValue> first = item("cs-retry", Channel.SMS);

        assertThat(put(AT, "cs-retry", "{\"sms\":\"revoked\"}").getStatusCode()).isEqualTo(202);
        assertThat(put(AT, "cs-retry", "{\"sms\":\"granted\"}").getStatusCode()).isEqualTo(202);

        assertThat(item("cs-retry", Channel.SMS)).isEqualTo(first);
    }

    @Test
    void statementNotWritten_failsTheRequest_andPutsNothingOnTheStream() {
        IngestHandler broken = bed.handler(bed.settings.with(Map.of("NOTIFICATIONS_TABLE", "missing-table")),
            Clock.fixed(AT, ZoneOffset.UTC));
        int calls = bed.putRecordsCalls.get();

        APIGatewayProxyResponseEvent response = broken.handleRequest(IngestTestBed.request("PUT",
            "/customers/{id}/consent", "/customers/cs-broken/consent", "{\"sms\":\"revoked\"}"), null);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).doesNotContain("cs-broken");
        assertThat(bed.putRecordsCalls.get()).isEqualTo(calls);
        assertThat(statements.latest("cs-broken", Channel.SMS)).isEqualTo(Consent.State.UNKNOWN);
    }

    private static APIGatewayProxyResponseEvent put(Instant receivedAt, String customerId, String body) {
        return bed.handler(bed.settings, Clock.fixed(receivedAt, ZoneOffset.UTC)).handleRequest(
            IngestTestBed.request("PUT", "/customers/{id}/consent", "/customers/" + customerId + "/consent", body),
            null);
    }

    private static Map<String, AttributeValue> item(String customerId, Channel channel) {
        return bed.dynamoDb.getItem(g -> g.tableName(bed.notifications).consistentRead(true).key(Map.of(
            "customerId", AttributeValue.fromS(customerId),
            "notificationKey", AttributeValue.fromS(ConsentStatements.key(channel))))).item();
    }
}
