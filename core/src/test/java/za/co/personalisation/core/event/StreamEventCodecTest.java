package za.co.personalisation.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import za.co.personalisation.core.Fixtures;
import za.co.personalisation.core.location.Location;

class StreamEventCodecTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FIXTURE = "records/interest-event-v1.json";
    private static final InterestEvent FIXTURE_EVENT = new InterestEvent("web-7f3a9c1e-0001", "12345",
        "electronics", new Location("ZA/WC/cape-town", "Cape Town", true), Instant.parse("2026-11-25T09:58:30Z"),
        Instant.parse("2026-11-25T10:00:00.123Z"), "1-6745e2a0-3f1c2b4d5e6f708192a3b4c5", false);

    @Test
    void encode_writesTheVersionedEnvelopeField_forField() throws IOException {
        JsonNode encoded = MAPPER.readTree(StreamEventCodec.encode(FIXTURE_EVENT));

        assertThat(encoded).isEqualTo(MAPPER.readTree(Fixtures.bytes(FIXTURE)));
    }

    @Test
    void decode_whenFixtureRecord_readsEveryField() {
        assertThat(StreamEventCodec.decodeInterest(Fixtures.bytes(FIXTURE))).isEqualTo(FIXTURE_EVENT);
    }

    @Test
    void roundTrip_whenKnownLocation_returnsAnEqualEvent() {
        assertThat(StreamEventCodec.decodeInterest(StreamEventCodec.encode(FIXTURE_EVENT))).isEqualTo(FIXTURE_EVENT);
    }

    @Test
    void roundTrip_whenUnknownLocationReplayAndNoTrace_returnsAnEqualEvent() {
        InterestEvent event = new InterestEvent("gen-1", "cust-67890", "garden & braai",
            Location.unknown("Atlantis Bay \"Ñandú\" ☀"), Instant.parse("2026-11-19T09:00:00.000000123Z"),
            Instant.parse("2026-11-25T10:00:00Z"), "", false).asReplay();

        InterestEvent decoded = StreamEventCodec.decodeInterest(StreamEventCodec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.replay()).isTrue();
        assertThat(decoded.location().known()).isFalse();
    }

    @Test
    void encode_whenUnknownLocation_writesAnEmptyKeyAndKnownFalse() throws IOException {
        InterestEvent event = new InterestEvent("e1", "12345", "books", Location.unknown("Atlantis"),
            Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:00:00Z"), "", false);

        JsonNode location = MAPPER.readTree(StreamEventCodec.encode(event)).path("location");

        assertThat(location).isEqualTo(MAPPER.readTree("{\"key\":\"\",\"name\":\"Atlantis\",\"known\":false}"));
    }

    @Test
    void decode_whenTraceIdAndReplayAbsent_defaultsToEmptyAndFalse() {
        InterestEvent decoded = StreamEventCodec.decodeInterest(record(json -> json.remove(List.of("traceId",
            "replay"))));

        assertThat(decoded.traceId()).isEmpty();
        assertThat(decoded.replay()).isFalse();
    }

    @Test
    void decode_whenLocationNotKnown_ignoresAnyKeyAndKeepsTheName() {
        InterestEvent decoded = StreamEventCodec.decodeInterest(record(json -> json.withObjectProperty("location")
            .put("known", false).put("key", "ZA/WC").put("name", "Atlantis")));

        assertThat(decoded.location()).isEqualTo(Location.unknown("Atlantis"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"schema\":\"interest-event/1\",\"schema\":\"interest-event/1\"}", "not json"})
    void decode_whenNotJson_saysSo(String data) {
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(data.getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessageStartingWith("not JSON: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "\"interest-event/1\"", "null"})
    void decode_whenNotAnObject_saysSo(String data) {
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(data.getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessage("not a JSON object");
    }

    @Test
    void decode_whenSchemaIsAnotherVersion_namesBothVersions() {
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(record(json -> json.put("schema",
            "interest-event/2"))))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessage("unsupported schema 'interest-event/2', expected interest-event/1");
    }

    @Test
    void decode_whenSchemaMissing_rejectsIt() {
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(record(json -> json.remove("schema"))))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessage("unsupported schema '', expected interest-event/1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "customerId", "interest", "occurredAt", "receivedAt"})
    void decode_whenRequiredFieldMissing_namesIt(String field) {
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(record(json -> json.remove(field))))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessage("field '" + field + "' is missing or not a non-empty string");
    }

    @Test
    void decode_whenFieldIsANumberOrBlank_namesIt() {
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(record(json -> json.put("customerId", 12345))))
            .hasMessage("field 'customerId' is missing or not a non-empty string");
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(record(json -> json.put("eventId", "  "))))
            .hasMessage("field 'eventId' is missing or not a non-empty string");
    }

    @Test
    void decode_whenKnownLocationHasNoKey_namesTheKey() {
        byte[] data = record(json -> json.withObjectProperty("location").remove("key"));

        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(data))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessage("field 'key' is missing or not a non-empty string");
    }

    @Test
    void decode_whenLocationMissing_namesTheName() {
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(record(json -> json.remove("location"))))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessage("field 'name' is missing or not a non-empty string");
    }

    @Test
    void decode_whenTimestampNotIso_quotesIt() {
        assertThatThrownBy(() -> StreamEventCodec.decodeInterest(record(json -> json.put("occurredAt", "yesterday"))))
            .isInstanceOf(InvalidRecordException.class)
            .hasMessage("a timestamp is not ISO-8601: yesterday");
    }

    /** The fixture record with one change applied. */
    private static byte[] record(Consumer<ObjectNode> change) {
        try {
            ObjectNode json = (ObjectNode) MAPPER.readTree(Fixtures.bytes(FIXTURE));
            change.accept(json);
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
