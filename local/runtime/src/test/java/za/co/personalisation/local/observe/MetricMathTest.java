package za.co.personalisation.local.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricMathTest {

    @Test
    void evaluate_arithmeticPrecedenceParenthesesAndIf() {
        Map<String, Double> values = Map.of("e", 3.0, "i", 200.0);

        assertThat(MetricMath.evaluate("100 * e / i", values)).isEqualTo(1.5);
        assertThat(MetricMath.evaluate("(e + 1) * 2 - i / 100", values)).isEqualTo(6.0);
        assertThat(MetricMath.evaluate("IF(i > 0, 100 * e / i, 0)", values)).isEqualTo(1.5);
        assertThat(MetricMath.evaluate("IF(i >= 1000, 1, 0)", values)).isEqualTo(0.0);
    }

    @Test
    void evaluate_whenAMetricIsMissing_theResultIsMissing() {
        Map<String, Double> values = new HashMap<>();
        values.put("e", null);
        values.put("i", 10.0);

        assertThat(MetricMath.evaluate("100 * e / i", values)).isNull();
        assertThat(MetricMath.evaluate("e / 0", Map.of("e", 1.0))).isNull();
    }

    @Test
    void evaluate_rejectsUnknownIdsAndTrailingText() {
        assertThatThrownBy(() -> MetricMath.evaluate("x + 1", Map.of())).hasMessageContaining("'x'");
        assertThatThrownBy(() -> MetricMath.evaluate("1 + 1 )", Map.of())).hasMessageContaining("unexpected");
    }
}
