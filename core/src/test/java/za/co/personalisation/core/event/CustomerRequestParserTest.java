package za.co.personalisation.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

class CustomerRequestParserTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final CustomerRequestParser parser = new CustomerRequestParser(SchemaRules.bundled(),
        EventLimits.defaults(), () -> "id-1");

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> contactPointers(String body) {
        try {
            parser.contact("c1", utf8(body));
        } catch (InvalidRequestException e) {
            return e.violations().stream().map(Violation::pointer).toList();
        }
        throw new AssertionError("expected violations for " + body);
    }

    @Test
    void contact_valid_keepsEveryField_andToStringMasksPersonalData() {
        ContactDetails contact = parser.contact("c1", utf8("{\"phone\":\"+27821234567\","
            + "\"email\":\"a.b@example.co.za\",\"locale\":\"af-ZA\",\"timeZone\":\"Africa/Johannesburg\"}"));

        assertThat(contact).isEqualTo(new ContactDetails("c1", "+27821234567", "a.b@example.co.za", "af-ZA",
            "Africa/Johannesburg"));
        assertThat(contact.toString()).doesNotContain("27821234567").doesNotContain("example.co.za");
    }

    @Test
    void contact_invalid_listsEveryViolation() {
        assertThat(contactPointers("{\"phone\":\"0821234567\",\"email\":\"not-an-email\",\"locale\":\"english\","
            + "\"timeZone\":\"Mars/Olympus\",\"name\":\"Jane\"}"))
            .containsExactlyInAnyOrder("/phone", "/email", "/locale", "/name");
        assertThat(contactPointers("{\"locale\":\"en\",\"timeZone\":\"UTC\"}")).containsExactly("");
        assertThat(contactPointers("{\"phone\":\"+27821234567\",\"locale\":\"en\",\"timeZone\":\"Mars/Olympus\"}"))
            .containsExactly("/timeZone");
    }

    @Test
    void consent_eachChannelNamed_becomesOneEvent() {
        List<ConsentEvent> events = parser.consent("c1", utf8("{\"sms\":\"revoked\",\"email\":\"granted\","
            + "\"occurredAt\":\"2026-11-25T09:00:00Z\"}"), NOW, "t");

        assertThat(events).extracting(ConsentEvent::channel).containsExactly(Channel.SMS, Channel.EMAIL);
        assertThat(events).extracting(ConsentEvent::state).containsExactly(Consent.State.REVOKED,
            Consent.State.GRANTED);
        assertThat(events.get(0).occurredAt()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
    }

    @Test
    void consent_invalid_isRejected() {
        assertThatThrownBy(() -> parser.consent("c1", utf8("{\"sms\":\"unknown\"}"), NOW, ""))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("/sms: must be one of granted, revoked");
        assertThatThrownBy(() -> parser.consent("c1", utf8("{}"), NOW, ""))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("needs sms, email or both");
    }

    @Test
    void customerId_fromThePath_isValidatedLikeABodyId() {
        assertThat(parser.customerId("12345")).isEqualTo("12345");
        assertThatThrownBy(() -> parser.customerId("jane@example.com"))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("path parameter id");
        assertThatThrownBy(() -> parser.customerId(" 1"))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("surrounding spaces");
    }

    @Test
    void erasure_withABody_isRejected() {
        assertThat(parser.erasure("c1", new byte[0], NOW, "t").customerId()).isEqualTo("c1");
        assertThatThrownBy(() -> parser.erasure("c1", utf8("{}"), NOW, ""))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("takes no body");
    }
}
