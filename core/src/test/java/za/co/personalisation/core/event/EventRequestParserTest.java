package za.co.personalisation.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static za.co.personalisation.core.Fixtures.json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import za.co.personalisation.core.Fixtures;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.location.Location;

class EventRequestParserTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-25T10:00:00Z");
    private static final String TRACE = "1-6745e2a0-3f1c2b4d5e6f708192a3b4c5";
    private static final Gazetteer GAZETTEER = Gazetteer.bundled();
    private static final Location CAPE_TOWN = new Location("ZA/WC/cape-town", "Cape Town", true);
    private static final String UNKNOWN_FIELD = "unknown field; allowed: customerId, eventId, interest, location,"
        + " occurredAt";
    private static final String NOT_RFC_3339 = "must be an RFC 3339 date-time with an offset,"
        + " e.g. 2026-11-25T10:15:30Z";
    private static final String ID_CHARS = "must start with a letter or digit and hold only letters, digits and"
        + " . _ : -";
    private static final String INTEREST_CHARS = "must start with a letter or digit and hold only letters, digits,"
        + " spaces and & ' + -";
    private static final String LOCATION_CHARS = "must start with a letter or digit and hold only letters, digits,"
        + " spaces and . , ' ( ) & / -";
    private static final String FUTURE = "lies more than 5 minutes in the future; check the sender's clock";
    private static final String EMPTY_BODY = "the body is empty; send one event as a JSON object,"
        + " or {\"events\":[…]}";

    private final AtomicInteger generated = new AtomicInteger();
    private final EventRequestParser parser = new EventRequestParser(GAZETTEER, EventLimits.defaults(),
        () -> "gen-" + generated.incrementAndGet());

    private EventRequest parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), RECEIVED, TRACE);
    }

    private InterestEvent single(String body) {
        EventRequest request = parse(body);
        assertThat(request.batch()).isFalse();
        assertThat(request.items()).hasSize(1);
        return request.items().get(0).event();
    }

    private List<Violation> violations(String body) {
        return violations(body.getBytes(StandardCharsets.UTF_8));
    }

    private List<Violation> violations(byte[] body) {
        InvalidRequestException rejected = catchThrowableOfType(InvalidRequestException.class,
            () -> parser.parse(body, RECEIVED, TRACE));
        assertThat(rejected).as("the request should have been rejected").isNotNull();
        return rejected.violations();
    }

    /** A valid single event with one extra member spliced in, e.g. {@code withField("'colour':'red'")}. */
    private static String withField(String member) {
        return json("{'customerId':'12345','interest':'electronics','location':'Cape Town'," + member + "}");
    }

    private static String event(String customerId, String interest, String location) {
        return json("{'customerId':" + customerId + ",'interest':" + interest + ",'location':" + location + "}");
    }

    @Test
    void parse_whenSeedPayload_acceptsAndNormalisesIt() {
        EventRequest request = parser.parse(Fixtures.bytes("events/seed-event.json"), RECEIVED, TRACE);

        assertThat(request.batch()).isFalse();
        assertThat(request.items()).singleElement().satisfies(item -> {
            assertThat(item.index()).isZero();
            assertThat(item.isAccepted()).isTrue();
            assertThat(item.violations()).isEmpty();
        });
        assertThat(request.accepted()).containsExactly(new InterestEvent("gen-1", "12345", "electronics", CAPE_TOWN,
            RECEIVED, RECEIVED, TRACE, false));
    }

    @Test
    void parse_whenInterestHasCaseAndSpaces_caseFoldsTrimsAndCollapsesIt() {
        InterestEvent event = single(event("'12345'", "'  Home   APPLIANCES  '", "'Cape Town'"));

        assertThat(event.interest()).isEqualTo("home appliances");
        // only spaces are trimmed: a line break is outside the interest's alphabet (schema $defs/InterestEvent)
        assertThat(violations(event("'12345'", "'Home appliances\\n'", "'Cape Town'")))
            .containsExactly(new Violation("/interest", INTEREST_CHARS));
    }

    @Test
    void parse_whenInterestHasAllowedPunctuationAndAccents_keepsIt() {
        InterestEvent event = single("{\"customerId\":\"12345\",\"interest\":\"Kids' Toys & Games + Élan-Vital\","
            + "\"location\":\"Cape Town\"}");

        assertThat(event.interest()).isEqualTo("kids' toys & games + élan-vital");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cape Town", "cape town", "  CAPE   TOWN  ", "Kaapstad", "kaapstád", "iKapa", "CPT"})
    void parse_whenLocationNamesCapeTown_resolvesToItsCanonicalKey(String location) {
        InterestEvent event = single(event("'12345'", "'electronics'", "'" + location + "'"));

        assertThat(event.location()).isEqualTo(CAPE_TOWN);
    }

    @Test
    void parse_whenLocationIsAProvince_resolvesToTheProvinceKey() {
        InterestEvent event = single(event("'12345'", "'electronics'", "'Wes-Kaap'"));

        assertThat(event.location()).isEqualTo(new Location("ZA/WC", "Western Cape", true));
    }

    @Test
    void parse_whenLocationUnknown_acceptsItAsUnknownWithSpacesCollapsed() {
        InterestEvent event = single(event("'12345'", "'electronics'", "'  Atlantis    Bay '"));

        assertThat(event.location()).isEqualTo(Location.unknown("Atlantis Bay"));
        assertThat(event.location().known()).isFalse();
        assertThat(event.location().key()).isEmpty();
    }

    @Test
    void parse_whenClientSendsEventId_keepsItAndGeneratesNone() {
        InterestEvent event = single(withField("'eventId':'web-7f3a9c1e:0001_a.b'"));

        assertThat(event.eventId()).isEqualTo("web-7f3a9c1e:0001_a.b");
        assertThat(generated).hasValue(0);
    }

    @Test
    void parse_whenNoEventId_usesTheGeneratedOne() {
        InterestEvent first = single(event("'12345'", "'electronics'", "'Cape Town'"));
        InterestEvent second = single(event("'67890'", "'books'", "'Durban'"));

        assertThat(first.eventId()).isEqualTo("gen-1");
        assertThat(second.eventId()).isEqualTo("gen-2");
    }

    @Test
    void parse_whenOccurredAtHasAnOffset_convertsItToAnInstantAndKeepsReceivedAt() {
        InterestEvent event = single(withField("'occurredAt':'2026-11-25T11:55:00+02:00'"));

        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-25T09:55:00Z"));
        assertThat(event.receivedAt()).isEqualTo(RECEIVED);
        assertThat(event.traceId()).isEqualTo(TRACE);
        assertThat(event.replay()).isFalse();
    }

    @Test
    void parse_whenUnknownField_reportsItsPointer() {
        assertThat(violations(withField("'colour':'red'")))
            .containsExactly(new Violation("/colour", UNKNOWN_FIELD));
    }

    @Test
    void parse_whenUnknownFieldNameHasSlashOrTilde_escapesItInThePointer() {
        assertThat(violations(withField("'a/b':1,'m~n':2"))).containsExactly(
            new Violation("/a~1b", UNKNOWN_FIELD),
            new Violation("/m~0n", UNKNOWN_FIELD));
    }

    @Test
    void parse_whenFieldsHaveWrongTypes_namesTheJsonTypeOfEach() {
        String body = json("{'customerId':12345,'interest':true,'location':['Cape Town'],'eventId':{},"
            + "'occurredAt':1764064800}");

        assertThat(violations(body)).containsExactly(
            new Violation("/customerId", "must be a string, not number"),
            new Violation("/interest", "must be a string, not boolean"),
            new Violation("/location", "must be a string, not array"),
            new Violation("/eventId", "must be a string, not object"),
            new Violation("/occurredAt", "must be a string, not number"));
    }

    @Test
    void parse_whenFieldsMissingOrNull_reportsMissingAsRequiredAndNullAsNotAString() {
        assertThat(violations(json("{'interest':null,'eventId':null}"))).containsExactly(
            new Violation("/interest", "must be a string, not null"),
            new Violation("/eventId", "must be a string, not null"),
            new Violation("/customerId", "is required"),
            new Violation("/location", "is required"));
    }

    @Test
    void parse_whenValuesEmptyOrBlank_reportsEach() {
        assertThat(violations(event("''", "'   '", "'\\t'"))).containsExactly(
            new Violation("/customerId", "must not be empty or blank"),
            new Violation("/interest", "must not be empty or blank"),
            new Violation("/location", "must not be empty or blank"));
    }

    @Test
    void parse_whenValuesTooLong_reportsTheLimitOfEach() {
        String body = json("{'customerId':'" + "c".repeat(65) + "','interest':'" + "i".repeat(65)
            + "','location':'" + "l".repeat(101) + "','eventId':'" + "e".repeat(65) + "'}");

        assertThat(violations(body)).containsExactly(
            new Violation("/customerId", "is longer than 64 characters"),
            new Violation("/interest", "is longer than 64 characters"),
            new Violation("/location", "is longer than 100 characters"),
            new Violation("/eventId", "is longer than 64 characters"));
    }

    @Test
    void parse_whenValuesExactlyAtTheLimit_acceptsThem() {
        InterestEvent event = single(json("{'customerId':'" + "c".repeat(64) + "','interest':'" + "i".repeat(64)
            + "','location':'" + "l".repeat(100) + "','eventId':'" + "e".repeat(64) + "'}"));

        assertThat(event.customerId()).hasSize(64);
        assertThat(event.interest()).hasSize(64);
        assertThat(event.location().name()).hasSize(100);
        assertThat(event.eventId()).hasSize(64);
    }

    @Test
    void parse_whenLengthCountsCodePoints_acceptsSixtyFourLettersOutsideTheBmp() {
        String letter = "\uD835\uDC9C";
        InterestEvent event = single(event("'12345'", "'" + letter.repeat(64) + "'", "'Cape Town'"));

        assertThat(event.interest()).isEqualTo(letter.repeat(64)).hasSize(128);
        assertThat(violations(event("'12345'", "'" + letter.repeat(65) + "'", "'Cape Town'")))
            .containsExactly(new Violation("/interest", "is longer than 64 characters"));
    }

    @Test
    void parse_whenValuesHaveControlOrFormatCharacters_reportsEach() {
        String body = json("{'customerId':'123\\u000045','interest':'elec\\u200btronics','location':'Cape\\u0007Town',"
            + "'eventId':'abc\\u001bdef'}");

        assertThat(violations(body)).containsExactly(
            new Violation("/customerId", ID_CHARS),
            new Violation("/interest", INTEREST_CHARS),
            new Violation("/location", LOCATION_CHARS),
            new Violation("/eventId", ID_CHARS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12 345", "-12345", "cust@example.co.za", "+27821234567", "ab/cd"})
    void parse_whenCustomerIdHasForbiddenCharacters_reportsTheAllowedSet(String customerId) {
        assertThat(violations(event("'" + customerId + "'", "'electronics'", "'Cape Town'")))
            .containsExactly(new Violation("/customerId", ID_CHARS));
    }

    @Test
    void parse_whenEventIdHasForbiddenCharacters_reportsTheAllowedSet() {
        assertThat(violations(withField("'eventId':'.hidden'")))
            .containsExactly(new Violation("/eventId", ID_CHARS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!sale", "-electronics", "tv/audio", "50% off"})
    void parse_whenInterestHasForbiddenCharacters_reportsTheAllowedSet(String interest) {
        assertThat(violations(event("'12345'", "'" + interest + "'", "'Cape Town'")))
            .containsExactly(new Violation("/interest", INTEREST_CHARS));
    }

    @Test
    void parse_whenSeveralThingsWrong_listsEveryViolationInOrderAndInTheMessage() {
        String body = json("{'customerId':7,'interest':'','location':'Cape Town','extra':1,'occurredAt':'yesterday'}");

        InvalidRequestException rejected = catchThrowableOfType(InvalidRequestException.class, () -> parse(body));

        assertThat(rejected.violations()).containsExactly(
            new Violation("/customerId", "must be a string, not number"),
            new Violation("/interest", "must not be empty or blank"),
            new Violation("/extra", UNKNOWN_FIELD),
            new Violation("/occurredAt", NOT_RFC_3339));
        assertThat(rejected).hasMessage("/customerId: must be a string, not number; /interest: must not be empty or"
            + " blank; /extra: " + UNKNOWN_FIELD + "; /occurredAt: " + NOT_RFC_3339);
    }

    @Test
    void parse_whenKeyIsDuplicated_rejectsTheBodyAtTheDuplicateKey() {
        String body = json("{'customerId':'12345','interest':'electronics','location':'Cape Town',"
            + "'customerId':'67890'}");

        assertThat(violations(body))
            .containsExactly(new Violation("/customerId", "duplicate key: 'customerId'; send each field once"));
    }

    @Test
    void parse_whenJsonIsTruncated_rejectsTheBodyAsMalformedJson() {
        assertThat(violations("{\"customerId\":\"12345\"")).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEmpty();
            assertThat(violation.message()).startsWith("malformed JSON: Unexpected end-of-input");
        });
    }

    @Test
    void parse_whenContentFollowsTheJsonObject_rejectsTheBodyAsMalformedJson() {
        String body = event("'12345'", "'electronics'", "'Cape Town'") + event("'67890'", "'books'", "'Durban'");

        // the rest of Jackson's wording names its internals (the bound type, the feature), so it is not pinned
        assertThat(violations(body)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEmpty();
            assertThat(violation.message())
                .startsWith("malformed JSON: Trailing token (of type START_OBJECT) found after value");
        });
    }

    @Test
    void parse_whenLocationHasALoneSurrogate_rejectsIt() {
        assertThat(violations(event("'12345'", "'electronics'", "'Cape\\ud800Town'")))
            .containsExactly(new Violation("/location", LOCATION_CHARS));
    }

    @Test
    void parse_whenOccurredAtMoreThanFiveMinutesAhead_rejectsIt() {
        assertThat(violations(withField("'occurredAt':'2026-11-25T10:05:01Z'")))
            .containsExactly(new Violation("/occurredAt", FUTURE));
    }

    @Test
    void parse_whenOccurredAtExactlyFiveMinutesAhead_acceptsIt() {
        assertThat(single(withField("'occurredAt':'2026-11-25T10:05:00Z'")).occurredAt())
            .isEqualTo(RECEIVED.plus(Duration.ofMinutes(5)));
    }

    @Test
    void parse_whenOccurredAtOlderThanSevenDays_rejectsIt() {
        assertThat(violations(withField("'occurredAt':'2026-11-18T09:59:59Z'")))
            .containsExactly(new Violation("/occurredAt", "is older than the stream's retention of 7 days"));
    }

    @Test
    void parse_whenOccurredAtExactlySevenDaysOld_acceptsIt() {
        assertThat(single(withField("'occurredAt':'2026-11-18T12:00:00+02:00'")).occurredAt())
            .isEqualTo(RECEIVED.minus(Duration.ofDays(7)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T10:00:00", "2026-11-25", "2026-11-25 10:00:00Z", "25/11/2026 10:00",
        "yesterday", "2026-13-25T10:00:00Z"})
    void parse_whenOccurredAtNotRfc3339WithOffset_rejectsIt(String occurredAt) {
        assertThat(violations(withField("'occurredAt':'" + occurredAt + "'")))
            .containsExactly(new Violation("/occurredAt", NOT_RFC_3339));
    }

    @Test
    void parse_whenOccurredAtLongerThanForty_reportsTheLength() {
        assertThat(violations(withField("'occurredAt':'" + "2".repeat(41) + "'")))
            .containsExactly(new Violation("/occurredAt", "is longer than 40 characters"));
    }

    @Test
    void parse_whenBatchFixture_reportsPerItemStatusInRequestOrder() {
        EventRequest request = parser.parse(Fixtures.bytes("events/batch-request.json"), RECEIVED, TRACE);

        assertThat(request.batch()).isTrue();
        assertThat(request.items()).extracting(EventRequest.Item::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(request.items()).extracting(EventRequest.Item::isAccepted)
            .containsExactly(true, true, false, false, true, false);
        assertThat(request.items().get(2).violations()).containsExactly(
            new Violation("/events/2/customerId", "must be a string, not number"),
            new Violation("/events/2/colour", UNKNOWN_FIELD));
        assertThat(request.items().get(3).violations())
            .containsExactly(new Violation("/events/3", "must be a JSON object, not string"));
        assertThat(request.items().get(5).violations())
            .containsExactly(new Violation("/events/5/occurredAt", FUTURE));
        assertThat(request.accepted()).containsExactly(
            new InterestEvent("web-7f3a9c1e-0001", "12345", "electronics", CAPE_TOWN,
                Instant.parse("2026-11-25T09:58:30Z"), RECEIVED, TRACE, false),
            new InterestEvent("gen-1", "12345", "home appliances", CAPE_TOWN, RECEIVED, RECEIVED, TRACE, false),
            new InterestEvent("gen-2", "cust-67890", "garden & braai", Location.unknown("Atlantis Bay"),
                Instant.parse("2026-11-19T09:00:00Z"), RECEIVED, TRACE, false));
    }

    @Test
    void parse_whenBatchHasExactly500Events_acceptsAll() {
        EventRequest request = parse(batchOf(500));

        assertThat(request.items()).hasSize(500).allMatch(EventRequest.Item::isAccepted);
        assertThat(request.items().get(499).event().eventId()).isEqualTo("gen-500");
    }

    @Test
    void parse_whenBatchHasMoreThan500Events_rejectsTheWholeRequest() {
        assertThat(violations(batchOf(501))).containsExactly(
            new Violation("/events", "holds 501 items; at most 500 are accepted in one request"));
        assertThat(generated).hasValue(0);
    }

    @Test
    void parse_whenLimitsAreSmaller_appliesThem() {
        // The batch limit is the schema's maxItems: EventLimits.maxBatch must equal it, or the parser refuses to
        // start (EventRequestParserStrictnessTest.constructor_whenLimitsDisagreeWithTheSchema_refusesToStart).
        // The time limits are the ones a schema cannot state, and they come from EventLimits.
        EventRequestParser strict = new EventRequestParser(GAZETTEER,
            new EventLimits(500, Duration.ofMinutes(2), Duration.ofDays(2)), () -> "id");

        InvalidRequestException ahead = catchThrowableOfType(InvalidRequestException.class, () -> strict.parse(
            withField("'occurredAt':'2026-11-25T10:02:01Z'").getBytes(StandardCharsets.UTF_8), RECEIVED, TRACE));
        InvalidRequestException old = catchThrowableOfType(InvalidRequestException.class, () -> strict.parse(
            withField("'occurredAt':'2026-11-23T09:59:59Z'").getBytes(StandardCharsets.UTF_8), RECEIVED, TRACE));

        assertThat(ahead.violations()).containsExactly(
            new Violation("/occurredAt", "lies more than 2 minutes in the future; check the sender's clock"));
        assertThat(old.violations()).containsExactly(
            new Violation("/occurredAt", "is older than the stream's retention of 2 days"));
        assertThat(strict.parse(withField("'occurredAt':'2026-11-23T10:00:00Z'").getBytes(StandardCharsets.UTF_8),
            RECEIVED, TRACE).accepted()).singleElement()
            .extracting(InterestEvent::occurredAt).isEqualTo(RECEIVED.minus(Duration.ofDays(2)));
    }

    @Test
    void parse_whenBatchEmpty_rejectsIt() {
        assertThat(violations(json("{'events':[]}")))
            .containsExactly(new Violation("/events", "must hold at least 1 item"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"events\":null}|null", "{\"events\":{}}|object",
        "{\"events\":\"e1\"}|string"})
    void parse_whenEventsIsNotAnArray_rejectsIt(String body, String type) {
        assertThat(violations(body)).containsExactly(new Violation("/events", "must be an array, not " + type));
    }

    @Test
    void parse_whenBatchEnvelopeHasOtherFields_reportsEachAndTheEventsProblem() {
        assertThat(violations(json("{'customerId':'12345','events':[],'a/b':1}"))).containsExactly(
            new Violation("/customerId", "unknown field; allowed: events"),
            new Violation("/events", "must hold at least 1 item"),
            new Violation("/a~1b", "unknown field; allowed: events"));
    }

    @Test
    void parse_whenBatchItemsAllBad_returnsThemRejectedInsteadOfThrowing() {
        // the parser reports every item; IngestApi answers a batch with no valid item 400 (docs/api-reference.md)
        EventRequest request = parse(json("{'events':[{},42]}"));

        assertThat(request.batch()).isTrue();
        assertThat(request.accepted()).isEmpty();
        assertThat(request.items().get(0).violations()).containsExactly(
            new Violation("/events/0/customerId", "is required"),
            new Violation("/events/0/interest", "is required"),
            new Violation("/events/0/location", "is required"));
        assertThat(request.items().get(1).violations())
            .containsExactly(new Violation("/events/1", "must be a JSON object, not number"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[]|array", "[{\"customerId\":\"12345\"}]|array", "\"Cape Town\"|string",
        "42|number", "true|boolean", "null|null"})
    void parse_whenBodyIsNotAnObject_rejectsItAtTheRoot(String body, String type) {
        assertThat(violations(body)).containsExactly(new Violation("", "must be a JSON object, not " + type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\r\n\t "})
    void parse_whenBodyIsEmptyOrWhitespace_rejectsIt(String body) {
        assertThat(violations(body)).containsExactly(new Violation("", EMPTY_BODY));
    }

    @Test
    void parse_whenBodyIsNull_rejectsItAsEmpty() {
        InvalidRequestException rejected = catchThrowableOfType(InvalidRequestException.class,
            () -> parser.parse(null, RECEIVED, TRACE));

        assertThat(rejected.violations()).containsExactly(new Violation("", EMPTY_BODY));
        assertThat(rejected).hasMessage("(body): " + EMPTY_BODY);
    }

    private static String batchOf(int size) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(event("'c" + i + "'", "'electronics'", "'Durban'"));
        }
        return body.append("]}").toString();
    }
}
