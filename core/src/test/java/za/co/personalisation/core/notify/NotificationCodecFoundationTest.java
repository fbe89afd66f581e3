package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import za.co.personalisation.core.Fixtures;
import za.co.personalisation.core.profile.Channel;

class NotificationCodecFoundationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FIXTURE = "notifications/offer-notification-v1.json";
    /** The fixture message as decoded: it carries no "trigger", which reads as empty (unknown). */
    private static final Notification FIXTURE_NOTIFICATION = notification("");
    /** The fixture's notification with the trigger that notify-function records. */
    private static final Notification TRIGGERED = notification("new_interest");

    private static Notification notification(String trigger) {
        return new Notification("12345", "wc-electronics-summer", Channel.SMS, "web-7f3a9c1e-0001", "electronics",
            "ZA/WC", "2026-11-20.1", trigger, false, Instant.parse("2026-11-25T10:00:01.250Z"),
            "1-6745e2a0-3f1c2b4d5e6f708192a3b4c5");
    }

    @Test
    void encode_writesTheVersionedMessageFieldForField() throws IOException {
        assertThat(MAPPER.readTree(NotificationCodec.encode(TRIGGERED)))
            .isEqualTo(MAPPER.readTree(message(json -> json.put("trigger", "new_interest"))));
    }

    @Test
    void decode_whenFixtureMessage_readsEveryField() {
        assertThat(NotificationCodec.decode(Fixtures.text(FIXTURE))).isEqualTo(FIXTURE_NOTIFICATION);
        assertThat(NotificationCodec.decode(message(json -> json.put("trigger", "new_interest"))))
            .isEqualTo(TRIGGERED);
    }

    @Test
    void roundTrip_whenEmailReplayWithoutTrace_returnsAnEqualNotification() {
        Notification replayed = new Notification("cust-67890", "za-books-weekend", Channel.EMAIL, "gen-2", "books",
            "*", "2026-11-20.1", "location_change", true, Instant.parse("2026-11-25T10:00:00Z"), "");

        assertThat(NotificationCodec.decode(NotificationCodec.encode(replayed))).isEqualTo(replayed);
    }

    @Test
    void decode_whenReplayTraceIdAndTriggerAbsent_defaultsToFalseAndEmpty() {
        Notification decoded = NotificationCodec.decode(message(json -> {
            json.remove("replay");
            json.remove("traceId");
            json.remove("trigger");
        }));

        assertThat(decoded.replay()).isFalse();
        assertThat(decoded.traceId()).isEmpty();
        assertThat(decoded.trigger()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"offer-notification/2", "interest-event/1", ""})
    void decode_whenSchemaIsWrong_rejectsIt(String schema) {
        assertThatThrownBy(() -> NotificationCodec.decode(message(json -> json.put("schema", schema))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("not a offer-notification/1 message");
    }

    @Test
    void decode_whenSchemaMissing_rejectsIt() {
        assertThatThrownBy(() -> NotificationCodec.decode(message(json -> json.remove("schema"))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("not a offer-notification/1 message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"offer-notification/1\"", "null", ""})
    void decode_whenNotAnObject_rejectsIt(String body) {
        assertThatThrownBy(() -> NotificationCodec.decode(body))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("not a offer-notification/1 message");
    }

    @Test
    void decode_whenNotJson_saysSo() {
        assertThatThrownBy(() -> NotificationCodec.decode("{\"schema\":"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("notification is not JSON: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"customerId", "offerId", "channel", "eventId", "interest", "locationRule",
        "catalogVersion", "createdAt"})
    void decode_whenRequiredFieldMissing_namesIt(String field) {
        assertThatThrownBy(() -> NotificationCodec.decode(message(json -> json.remove(field))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("field '" + field + "' is missing");
    }

    @Test
    void decode_whenChannelUnknown_namesTheAcceptedValues() {
        assertThatThrownBy(() -> NotificationCodec.decode(message(json -> json.put("channel", "SMS"))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unknown channel 'SMS'; expected sms or email");
    }

    @Test
    void decode_whenCreatedAtNotIso_saysSo() {
        assertThatThrownBy(() -> NotificationCodec.decode(message(json -> json.put("createdAt", "25/11/2026"))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("createdAt is not ISO-8601");
    }

    @Test
    void ledgerKey_isOfferAndChannelWireName() {
        assertThat(TRIGGERED.ledgerKey()).isEqualTo("wc-electronics-summer#sms");
        assertThat(Notification.ledgerKey("za-books-weekend", Channel.EMAIL)).isEqualTo("za-books-weekend#email");
    }

    /** The fixture message with one change applied. */
    private static String message(Consumer<ObjectNode> change) {
        try {
            ObjectNode json = (ObjectNode) MAPPER.readTree(Fixtures.bytes(FIXTURE));
            change.accept(json);
            return MAPPER.writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
