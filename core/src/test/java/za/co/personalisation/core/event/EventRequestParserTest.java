package za.co.personalisation.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static za.co.personalisation.core.Fixtures.json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import za.co.personalisation.core.Fixtures;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.location.Location;

class EventRequestParserTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-25T10:00:00Z");
    private static final String TRACE = "1-6745e2a0-3f1c2b4d5e6f708192a3b4c5";
    private static final Gazetteer GAZETTEER = Gazetteer.bundled();
    private static final Location CAPE_TOWN = new Location("ZA/WC/cape-town", "Cape Town", true);
    private static final String UNKNOWN_FIELD = "unknown field; allowed: customerId, interest, location, eventId,"
        + " occurredAt";
    private static final String CONTROL = "must not contain control, format or unassigned characters";
    private static final String NOT_ISO = "must be an ISO-8601 date-time with an offset, e.g. 2026-11-25T10:15:30Z";
    private static final String ID_CHARS = "must start with a letter or digit and hold only letters, digits and"
        + " . _ : -";
    private static final String NOT_OBJECT = "the body must be a JSON object: one event, or {\"events\":[…]}";
    private static final String EMPTY_BODY = "the body is empty; send one event as a JSON object";

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
        InterestEvent event = single(event("'12345'", "'  Home   APPLIANCES \\n'", "'Cape Town'"));

        assertThat(event.interest()).isEqualTo("home appliances");
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
        InterestEvent first = single(withField("'eventId':null"));
        InterestEvent second = single(event("'12345'", "'electronics'", "'Cape Town'"));

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
    void parse_whenRequiredFieldsMissingOrNull_reportsEachAsRequired() {
        assertThat(violations(json("{'interest':null}"))).containsExactly(
            new Violation("/customerId", "is required"),
            new Violation("/interest", "is required"),
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
            new Violation("/customerId", CONTROL),
            new Violation("/interest", CONTROL),
            new Violation("/location", CONTROL),
            new Violation("/eventId", CONTROL));
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
        assertThat(violations(event("'12345'", "'" + interest + "'", "'Cape Town'"))).containsExactly(
            new Violation("/interest", "must start with a letter or digit and hold only letters, digits, spaces"
                + " and & ' + -"));
    }

    @Test
    void parse_whenSeveralThingsWrong_listsEveryViolationInOrderAndInTheMessage() {
        String body = json("{'customerId':7,'interest':'','location':'Cape Town','extra':1,'occurredAt':'yesterday'}");

        InvalidRequestException rejected = catchThrowableOfType(InvalidRequestException.class, () -> parse(body));

        assertThat(rejected.violations()).containsExactly(
            new Violation("/extra", UNKNOWN_FIELD),
            new Violation("/customerId", "must be a string, not number"),
            new Violation("/interest", "must not be empty or blank"),
            new Violation("/occurredAt", NOT_ISO));
        assertThat(rejected).hasMessage("/extra: " + UNKNOWN_FIELD + "; /customerId: must be a string, not number;"
            + " /interest: must not be empty or blank; /occurredAt: " + NOT_ISO);
    }

    @Test
    void parse_whenKeyIsDuplicated_rejectsTheBodyAsMalformedJson() {
        String body = json("{'customerId':'12345','interest':'electronics','location':'Cape Town',"
            + "'customerId':'67890'}");

        assertThat(violations(body))
            .containsExactly(new Violation("", "malformed JSON: Duplicate field 'customerId'"));
    }

    @Test
    void parse_whenJsonIsTruncated_rejectsTheBodyAsMalformedJson() {
        assertThat(violations("{\"customerId\":\"12345\"")).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEmpty();
            assertThat(violation.message()).startsWith("malformed JSON: Unexpected end-of-input");
        });
    }

    @Disabled("bug: EventRequestParser.readTree ignores content after the first JSON value"
        + " (FAIL_ON_TRAILING_TOKENS is off), so the second of two concatenated events is silently dropped")
    @Test
    void parse_whenContentFollowsTheJsonObject_rejectsTheBodyAsMalformedJson() {
        String body = event("'12345'", "'electronics'", "'Cape Town'") + event("'67890'", "'books'", "'Durban'");

        assertThat(violations(body)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEmpty();
            assertThat(violation.message()).startsWith("malformed JSON: ");
        });
    }

    @Disabled("bug: EventRequestParser.CONTROL has no \\p{Cs}, so a lone surrogate (\\ud800) in location is"
        + " accepted; it is not valid Unicode and cannot be stored as UTF-8 downstream")
    @Test
    void parse_whenLocationHasALoneSurrogate_rejectsIt() {
        assertThat(violations(event("'12345'", "'electronics'", "'Cape\\ud800Town'")))
            .containsExactly(new Violation("/location", CONTROL));
    }

    @Test
    void parse_whenOccurredAtMoreThanFiveMinutesAhead_rejectsIt() {
        assertThat(violations(withField("'occurredAt':'2026-11-25T10:05:01Z'")))
            .containsExactly(new Violation("/occurredAt", "lies more than 5 minutes in the future"));
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
    void parse_whenOccurredAtNotIsoWithOffset_rejectsIt(String occurredAt) {
        assertThat(violations(withField("'occurredAt':'" + occurredAt + "'")))
            .containsExactly(new Violation("/occurredAt", NOT_ISO));
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
            new Violation("/events/2/colour", UNKNOWN_FIELD),
            new Violation("/events/2/customerId", "must be a string, not number"));
        assertThat(request.items().get(3).violations())
            .containsExactly(new Violation("/events/3", "an event must be a JSON object"));
        assertThat(request.items().get(5).violations())
            .containsExactly(new Violation("/events/5/occurredAt", "lies more than 5 minutes in the future"));
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
            new Violation("/events", "holds 501 events; at most 500 are accepted in one request"));
        assertThat(generated).hasValue(0);
    }

    @Test
    void parse_whenLimitsAreSmaller_appliesThem() {
        EventRequestParser strict = new EventRequestParser(GAZETTEER,
            new EventLimits(2, Duration.ofMinutes(1), Duration.ofDays(1)), () -> "id");

        InvalidRequestException rejected = catchThrowableOfType(InvalidRequestException.class,
            () -> strict.parse(batchOf(3).getBytes(StandardCharsets.UTF_8), RECEIVED, TRACE));

        assertThat(rejected.violations()).containsExactly(
            new Violation("/events", "holds 3 events; at most 2 are accepted in one request"));
    }

    @Test
    void parse_whenBatchEmpty_rejectsIt() {
        assertThat(violations(json("{'events':[]}")))
            .containsExactly(new Violation("/events", "must hold at least one event"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"events\":null}", "{\"events\":{}}", "{\"events\":\"e1\"}"})
    void parse_whenEventsIsNotAnArray_rejectsIt(String body) {
        assertThat(violations(body)).containsExactly(new Violation("/events", "must be an array of events"));
    }

    @Test
    void parse_whenBatchEnvelopeHasOtherFields_reportsEachAndTheEventsProblem() {
        assertThat(violations(json("{'customerId':'12345','events':[],'a/b':1}"))).containsExactly(
            new Violation("/customerId", "unknown field; a batch has only \"events\""),
            new Violation("/a~1b", "unknown field; a batch has only \"events\""),
            new Violation("/events", "must hold at least one event"));
    }

    @Test
    void parse_whenBatchItemsAllBad_returnsThemRejectedInsteadOfThrowing() {
        EventRequest request = parse(json("{'events':[{},42]}"));

        assertThat(request.batch()).isTrue();
        assertThat(request.accepted()).isEmpty();
        assertThat(request.items().get(0).violations()).extracting(Violation::pointer)
            .containsExactly("/events/0/customerId", "/events/0/interest", "/events/0/location");
        assertThat(request.items().get(1).violations())
            .containsExactly(new Violation("/events/1", "an event must be a JSON object"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"customerId\":\"12345\"}]", "\"Cape Town\"", "42", "true", "null"})
    void parse_whenBodyIsNotAnObject_rejectsItAtTheRoot(String body) {
        assertThat(violations(body)).containsExactly(new Violation("", NOT_OBJECT));
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
