package za.co.personalisation.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaRulesTest {

    @Test
    void bundled_compilesEveryBodyOfTheApi() {
        SchemaRules rules = SchemaRules.bundled();

        assertThat(rules.object("InterestEvent").required()).containsExactly("customerId", "interest", "location");
        assertThat(rules.object("ContactRequest").anyOfRequired()).containsExactly("phone", "email");
        assertThat(rules.string("CustomerId").maxLength()).isEqualTo(EventLimits.MAX_ID_LENGTH);
        assertThat(((SchemaRules.StringRule) rules.object("InterestEvent").properties().get("interest")).maxLength())
            .isEqualTo(EventLimits.MAX_INTEREST_LENGTH);
        assertThat(((SchemaRules.StringRule) rules.object("InterestEvent").properties().get("location")).maxLength())
            .isEqualTo(EventLimits.MAX_LOCATION_LENGTH);
    }

    @Test
    void stringRule_patternEnd_doesNotLetATrailingLineBreakThrough() {
        SchemaRules.StringRule id = SchemaRules.bundled().string("CustomerId");

        assertThat(id.check("12345")).isNull();
        assertThat(id.check("12345\n")).isNotNull();
        assertThat(id.check("12345\u0085")).isNotNull();
    }

    @Test
    void parseTimestamp_agreesWithOffsetDateTime_andRefusesDaysThatDoNotExist() {
        for (String text : List.of("2026-11-25T10:15:30Z", "2026-11-25T10:15:30.5+02:00", "2024-02-29T23:59:59-05:30",
            "1999-12-31T00:00:00.123456789+14:00", "2026-01-01T00:00:00.000Z")) {
            assertThat(SchemaRules.parseTimestamp(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
        assertThat(SchemaRules.parseTimestamp("2026-02-29T10:00:00Z")).isNull();
        assertThat(SchemaRules.parseTimestamp("2026-04-31T10:00:00Z")).isNull();
    }
}
