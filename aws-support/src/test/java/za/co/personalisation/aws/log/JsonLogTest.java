package za.co.personalisation.aws.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.clients.AwsClients;

class JsonLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "1-5759e988-bd862e3fe1be46a994272793";

    private final List<String> lines = new ArrayList<>();
    private final JsonLog log = new JsonLog("deliver-test", lines::add,
        Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void clearTraceHeader() {
        System.clearProperty(AwsClients.LAMBDA_TRACE_HEADER);
    }

    @Test
    void error_whoseMessageNamesAPhoneNumberOrAnAddress_isLoggedWithoutThem() {
        log.warn("delivery.retry").with("customerId", "c-1")
            .error(new IllegalStateException("not authorized to perform: SNS:Publish on resource: +27821234567;"
                + " Email address not verified thandi@example.co.za"))
            .log();

        assertThat(lines).singleElement().asString()
            .doesNotContain("+27821234567", "thandi@example.co.za", "example.co.za")
            .contains("\"error\":\"not authorized to perform: SNS:Publish on resource: [phone];"
                + " Email address not verified [email]\"")
            .contains("\"customerId\":\"c-1\"");
    }

    @Test
    void freeTextFields_areScrubbed_butIdsAreWrittenAsTheyAre() {
        log.warn("delivery.dead_lettered").with("reason", "gave up: bounced jan@example.org")
            .with("providerError", "+27 82 123 4567 opted out").with("customerId", "2782123456789")
            .with("eventId", "64df436c-0e33-492f-9810-123456789012").log();

        assertThat(lines).singleElement().asString()
            .contains("\"reason\":\"gave up: bounced [email]\"", "\"providerError\":\"[phone] opted out\"",
                "\"customerId\":\"2782123456789\"", "\"eventId\":\"64df436c-0e33-492f-9810-123456789012\"");
    }

    @Test
    void linesDuringAnInvocation_carryItsRequestIdColdStartAndTraceId_namedAsPowertoolsNamesThem() throws Exception {
        System.setProperty(AwsClients.LAMBDA_TRACE_HEADER, "Root=" + TRACE + ";Parent=53995c3f42cd8ad8;Sampled=1");

        JsonLog.Scope first = log.invocation(context("req-1"));
        log.info("delivery.sent").with("offerId", "ELEC-CPT-01").log();
        first.close();
        JsonLog.Scope second = log.invocation(context("req-2"));
        log.warn("delivery.deferred").log();
        second.close();

        JsonNode cold = JSON.readTree(lines.get(0));
        assertThat(cold.path("function_request_id").asText()).isEqualTo("req-1");
        assertThat(cold.path("cold_start").isBoolean()).isTrue();
        assertThat(cold.path("cold_start").asBoolean()).isTrue();
        assertThat(cold.path("xray_trace_id").asText()).isEqualTo(TRACE);
        assertThat(cold.path("offerId").asText()).isEqualTo("ELEC-CPT-01");
        JsonNode warm = JSON.readTree(lines.get(1));
        assertThat(warm.path("function_request_id").asText()).isEqualTo("req-2");
        assertThat(warm.path("cold_start").asBoolean()).isFalse();
    }

    @Test
    void linesOutsideAnInvocation_carryNoInvocationFields() throws Exception {
        JsonLog.Scope scope = log.invocation(context("req-1"));
        scope.close();
        scope.close();
        log.info("snapstart.primed").log();

        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.has("function_request_id")).isFalse();
        assertThat(line.has("cold_start")).isFalse();
        assertThat(line.has("xray_trace_id")).isFalse();
        assertThat(line.path("time").asText()).isEqualTo("2026-11-25T10:00:00Z");
    }

    @Test
    void anUntracedInvocation_hasNoTraceId_andATestWithoutContext_noRequestId() throws Exception {
        JsonLog.Scope scope = log.invocation(null);
        log.info("request").log();
        scope.close();

        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.has("function_request_id")).isFalse();
        assertThat(line.path("cold_start").asBoolean()).isTrue();
        assertThat(line.has("xray_trace_id")).isFalse();
    }

    @Test
    void fieldsThatCouldCarryPersonalData_areRefusedByName() {
        for (String field : List.of("phone", "email", "name", "body", "contact", "address")) {
            assertThatThrownBy(() -> log.info("x").with(field, "v")).as(field)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("personal data");
        }
    }

    /** A Lambda context that answers its request id; JsonLog asks nothing else of it. */
    private static Context context(String requestId) {
        return (Context) Proxy.newProxyInstance(JsonLogTest.class.getClassLoader(), new Class<?>[] {Context.class},
            (proxy, method, args) -> {
                if (method.getName().equals("getAwsRequestId")) {
                    return requestId;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    }
}
