package za.co.personalisation.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConversionRequestParserTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private final ConversionRequestParser parser = new ConversionRequestParser(SchemaRules.bundled(),
        EventLimits.defaults());

    private ConversionEvent parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), NOW, "trace");
    }

    @Test
    void parse_validConversion_normalisesAndKeepsTheValueExact() {
        ConversionEvent event = parse("{\"customerId\":\"12345\",\"eventId\":\"order-1\",\"occurredAt\":"
            + "\"2026-11-20T09:00:00+02:00\",\"interest\":\" Electronics \",\"offerId\":\"ELEC-CPT-01\","
            + "\"value\":\"249.90\",\"currency\":\"ZAR\"}");

        assertThat(event.interest()).isEqualTo("electronics");
        assertThat(event.value()).isEqualTo(new BigDecimal("249.90"));
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-20T07:00:00Z"));
        assertThat(event.replay()).isFalse();
        assertThat(StreamEventCodec.decode(StreamEventCodec.encode(event))).isEqualTo(event);
    }

    @Test
    void parse_withoutValue_isWorthNothing() {
        ConversionEvent event = parse("{\"customerId\":\"1\",\"eventId\":\"o\",\"occurredAt\":"
            + "\"2026-11-20T09:00:00Z\",\"interest\":\"books\"}");

        assertThat(event.value()).isZero();
        assertThat(event.currency()).isEmpty();
        assertThat(event.offerId()).isEmpty();
    }

    @Test
    void parse_badBody_listsEveryViolationWithItsPointer() {
        assertThatThrownBy(() -> parse("{\"customerId\":\"+27 82\",\"occurredAt\":\"yesterday\",\"interest\":\"x\","
            + "\"value\":249.9,\"currency\":\"zar\",\"phone\":\"+27821234567\"}"))
            .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
                .extracting(Violation::pointer)
                .contains("/customerId", "/eventId", "/occurredAt", "/value", "/currency", "/phone"));
    }

    @Test
    void parse_valueWithoutCurrency_andAConversionFromTooLongAgo_areRefused() {
        assertThatThrownBy(() -> parse("{\"customerId\":\"1\",\"eventId\":\"o\",\"occurredAt\":\""
            + NOW.minus(Duration.ofDays(8)) + "\",\"interest\":\"books\",\"value\":\"10\"}"))
            .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
                .extracting(Violation::pointer).containsExactlyInAnyOrder("/currency", "/occurredAt"));
    }
}
