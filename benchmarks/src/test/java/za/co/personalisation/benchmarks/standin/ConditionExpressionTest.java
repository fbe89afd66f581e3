package za.co.personalisation.benchmarks.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conditions enrich-function writes with (ProfileStore, ErasureTombstones), as DynamoDB evaluates them. */
class ConditionExpressionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void tombstoneCondition_holdsWithoutATombstone_orWithAnExpiredOne() {
        String notErased = "attribute_not_exists(customerHash) OR expiresAt < :now";
        Map<String, JsonNode> now = Map.of(":now", n("1000"));

        assertThat(ConditionExpression.holds(notErased, Map.of(), now, Map.of())).isTrue();
        assertThat(ConditionExpression.holds(notErased, Map.of(), now,
            Map.of("customerHash", s("h"), "expiresAt", n("999")))).isTrue();
        assertThat(ConditionExpression.holds(notErased, Map.of(), now,
            Map.of("customerHash", s("h"), "expiresAt", n("1000")))).isFalse();
    }

    @Test
    void versionCondition_comparesNumbersAsNumbers_andIsFalseWhenTheAttributeIsMissing() {
        Map<String, String> names = Map.of("#version", "version");

        assertThat(ConditionExpression.holds("#version = :expected", names, Map.of(":expected", n("10")),
            Map.of("version", n("10.0")))).isTrue();
        assertThat(ConditionExpression.holds("#version = :expected", names, Map.of(":expected", n("9")),
            Map.of("version", n("10")))).isFalse();
        assertThat(ConditionExpression.holds("#version = :expected", names, Map.of(":expected", n("0")),
            Map.of())).isFalse();
    }

    @Test
    void andNotAndParentheses_bindAsInDynamoDb() {
        Map<String, JsonNode> item = Map.of("a", n("1"));

        assertThat(ConditionExpression.holds("attribute_exists(a) AND NOT (attribute_exists(b) OR a > :two)",
            Map.of(), Map.of(":two", n("2")), item)).isTrue();
        assertThat(ConditionExpression.holds("attribute_exists(b) OR attribute_exists(a) AND a >= :two",
            Map.of(), Map.of(":two", n("2")), item)).isFalse();
    }

    @Test
    void whatItDoesNotUnderstand_isRefusedByName() {
        assertThatThrownBy(() -> ConditionExpression.holds("begins_with(a, :p)", Map.of(),
            Map.of(":p", s("x")), Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConditionExpression.holds("#missing = :v", Map.of(), Map.of(":v", n("1")),
            Map.of())).hasMessageContaining("#missing");
        assertThatThrownBy(() -> ConditionExpression.holds("a = :v", Map.of(), Map.of(), Map.of()))
            .hasMessageContaining(":v");
    }

    private static JsonNode n(String number) {
        return MAPPER.createObjectNode().put("N", number);
    }

    private static JsonNode s(String string) {
        return MAPPER.createObjectNode().put("S", string);
    }
}
