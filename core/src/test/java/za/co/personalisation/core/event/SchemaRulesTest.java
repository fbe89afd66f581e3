package za.co.personalisation.core.event;

import static org.assertj.core.api.Assertions.assertThat;

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
}
