package za.co.personalisation.aws.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class JsonLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final JsonLog log = new JsonLog("deliver", lines::add, CLOCK);

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
    void fieldNamesThatCarryPersonalData_areRefused() {
        assertThatThrownBy(() -> log.info("x").with("phone", "+27821234567"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("personal data");
    }
}
