package za.co.personalisation.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.location.Gazetteer;

class EventRequestParserStrictnessTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private final EventRequestParser parser = new EventRequestParser(Gazetteer.bundled(), EventLimits.defaults(),
        () -> "gen-" + ids.incrementAndGet());

    private EventRequest parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), NOW, "1-abc-def");
    }

    private List<Violation> violations(String body) {
        try {
            parse(body);
        } catch (InvalidRequestException e) {
            return e.violations();
        }
        throw new AssertionError("expected violations for " + body);
    }

    private List<String> pointers(String body) {
        return violations(body).stream().map(Violation::pointer).toList();
    }

    @Test
    void parse_seedPayload_normalisesAndResolvesTheCity() {
        EventRequest request = parse("{\"customerId\":\" 12345 \",\"interest\":\"  Home   ELECTRONICS \","
            + "\"location\":\"cape  town\"}");

        InterestEvent event = request.accepted().get(0);
        assertThat(request.batch()).isFalse();
        assertThat(event.customerId()).isEqualTo("12345");
        assertThat(event.interest()).isEqualTo("home electronics");
        assertThat(event.location().key()).isEqualTo("ZA/WC/cape-town");
        assertThat(event.location().known()).isTrue();
        assertThat(event.eventId()).isEqualTo("gen-1");
        assertThat(event.occurredAt()).isEqualTo(NOW);
        assertThat(event.receivedAt()).isEqualTo(NOW);
        assertThat(event.traceId()).isEqualTo("1-abc-def");
    }

    @Test
    void parse_unknownLocation_isAcceptedAndFlaggedNotGuessed() {
        InterestEvent event = parse("{\"customerId\":\"1\",\"interest\":\"books\",\"location\":\"Cape Towne\"}")
            .accepted().get(0);

        assertThat(event.location().known()).isFalse();
        assertThat(event.location().name()).isEqualTo("Cape Towne");
        assertThat(event.location().key()).isEmpty();
    }

    @Test
    void parse_clientEventIdAndTime_areKept() {
        InterestEvent event = parse("{\"customerId\":\"1\",\"interest\":\"books\",\"location\":\"Durban\","
            + "\"eventId\":\"abc-1\",\"occurredAt\":\"2026-11-25T11:59:00+02:00\"}").accepted().get(0);

        assertThat(event.eventId()).isEqualTo("abc-1");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-25T09:59:00Z"));
    }

    @Test
    void parse_everyViolation_isListedWithItsPointer() {
        assertThat(pointers("{\"customerId\":5,\"interest\":\"\",\"colour\":\"red\",\"eventId\":\"a b\"}"))
            .containsExactlyInAnyOrder("/colour", "/location", "/customerId", "/interest", "/eventId");
    }

    @Test
    void parse_occurredAtOutsideTheWindow_isRejected() {
        String base = "{\"customerId\":\"1\",\"interest\":\"books\",\"location\":\"Durban\",\"occurredAt\":\"";
        assertThat(violations(base + "2026-11-25T10:05:01Z\"}").get(0).message()).contains("future");
        assertThat(violations(base + "2026-11-18T09:59:59Z\"}").get(0).message()).contains("retention");
        assertThat(violations(base + "2026-02-30T10:00:00Z\"}").get(0).message()).contains("no such day");
        assertThat(parse(base + "2026-11-25T10:05:00Z\"}").accepted()).hasSize(1);
    }

    @Test
    void parse_duplicateKey_isRejectedAtTheDuplicate() {
        List<Violation> violations = violations("{\"customerId\":\"1\",\"customerId\":\"2\",\"interest\":\"a\","
            + "\"location\":\"b\"}");

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/customerId");
            assertThat(v.message()).startsWith("duplicate key");
        });
    }

    @Test
    void parse_invalidUtf8_isRejectedAsNotUtf8() {
        byte[] body = {'{', '"', 'c', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThatThrownBy(() -> parser.parse(body, NOW, ""))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void parse_controlAndFormatCharacters_areRejected() {
        assertThat(pointers("{\"customerId\":\"1\",\"interest\":\"bo\\u0000oks\",\"location\":\"Dur\\u200Bban\"}"))
            .containsExactlyInAnyOrder("/interest", "/location");
        assertThat(pointers("{\"customerId\":\"1\\n\",\"interest\":\"books\",\"location\":\"Durban\"}"))
            .containsExactly("/customerId");
    }

    @Test
    void parse_deepNestingTrailingGarbageAndHugeNumbers_areRejectedWithoutAnError() {
        assertThat(violations("[".repeat(5000) + "]".repeat(5000)).get(0).message()).contains("nesting depth");
        assertThat(violations("{\"customerId\":\"1\"} {}").get(0).message()).startsWith("malformed JSON");
        assertThat(violations("{\"customerId\":" + "9".repeat(10_000) + "}").get(0).message()).contains("limit");
    }

    @Test
    void parse_batch_givesEachItemItsOwnStatus() {
        EventRequest request = parse("{\"events\":[{\"customerId\":\"1\",\"interest\":\"books\",\"location\":"
            + "\"Durban\"},{\"customerId\":\"2\"},{\"customerId\":\"3\",\"interest\":\"toys\",\"location\":\"PE\"}]}");

        assertThat(request.batch()).isTrue();
        assertThat(request.items()).extracting(EventRequest.Item::isAccepted).containsExactly(true, false, true);
        assertThat(request.items().get(1).violations()).extracting(Violation::pointer)
            .containsExactlyInAnyOrder("/events/1/interest", "/events/1/location");
        assertThat(request.accepted().get(1).location().key()).isEqualTo("ZA/EC/gqeberha");
    }

    @Test
    void parse_batchEnvelopeWrong_rejectsTheWholeRequest() {
        assertThat(pointers("{\"events\":[]}")).containsExactly("/events");
        assertThat(pointers("{\"events\":{},\"extra\":1}")).containsExactlyInAnyOrder("/events", "/extra");
        String event = "{\"customerId\":\"1\",\"interest\":\"a\",\"location\":\"b\"}";
        String tooMany = "{\"events\":[" + String.join(",", java.util.Collections.nCopies(501, event)) + "]}";
        assertThat(violations(tooMany).get(0).message()).contains("at most 500");
    }

    @Test
    void parse_notAnObject_isRejectedAtTheRoot() {
        assertThat(pointers("[1,2]")).containsExactly("");
        assertThat(pointers("\"x\"")).containsExactly("");
        assertThat(violations("").get(0).message()).contains("empty");
    }

    @Test
    void parse_oversizedValues_areRejected() {
        assertThat(violations("{\"customerId\":\"" + "a".repeat(65) + "\",\"interest\":\"b\",\"location\":\"c\"}")
            .get(0).message()).contains("longer than 64");
    }

    @Test
    void constructor_whenLimitsDisagreeWithTheSchema_refusesToStart() {
        assertThatThrownBy(() -> new EventRequestParser(Gazetteer.bundled(), new EventLimits(100,
            Duration.ofMinutes(5), Duration.ofDays(7)), () -> "x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("keep them equal");
    }
}
