package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferMessage;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.offer.SmsText;

class NotificationCodecTest {

    private final Notification notification = new Notification("12345", "ELEC-CPT-01", Channel.SMS, "ev-1",
        "electronics", "ZA/WC/cape-town", "2026-11-25.2", "new_interest", false,
        Instant.parse("2026-11-25T10:00:00Z"), "1-abc-def");

    @Test
    void encodeThenDecode_givesTheSameNotification_withIdsOnly() {
        String json = NotificationCodec.encode(notification);

        assertThat(NotificationCodec.decode(json)).isEqualTo(notification);
        assertThat(json).startsWith("{\"schema\":\"offer-notification/1\"").doesNotContain("+27", "@");
    }

    @Test
    void decode_namesWhatIsWrong() {
        assertThatThrownBy(() -> NotificationCodec.decode("not json"))
            .hasMessageStartingWith("notification is not JSON");
        assertThatThrownBy(() -> NotificationCodec.decode(null)).hasMessage("not a offer-notification/1 message");
        assertThatThrownBy(() -> NotificationCodec.decode(NotificationCodec.encode(notification)
            .replace("\"offerId\":\"ELEC-CPT-01\",", ""))).hasMessage("field 'offerId' is missing");
        assertThatThrownBy(() -> NotificationCodec.decode(NotificationCodec.encode(notification)
            .replace("\"replay\":false", "\"replay\":\"no\""))).hasMessage("field 'replay' must be true or false");
    }

    @Test
    void ledgerKey_isOfferAndChannel_andReplayedTrafficHasItsOwn() {
        Notification replayed = new Notification("12345", "ELEC-CPT-01", Channel.SMS, "ev-1", "electronics",
            "ZA/WC/cape-town", "v", "", true, Instant.EPOCH, "");

        assertThat(notification.ledgerKey()).isEqualTo("ELEC-CPT-01#sms");
        assertThat(replayed.ledgerKey()).isEqualTo("replay#ELEC-CPT-01#sms");
    }

    @Test
    void render_appendsTheOptOutOfTheMessagesLanguage_andTheUnsubscribeLinkToEmail() {
        Offer offer = new Offer("O", "O", java.util.Set.of("books"), java.util.List.of("ZA"),
            java.util.List.of(Channel.SMS, Channel.EMAIL), Instant.EPOCH, Instant.MAX, 0, java.util.Map.of(
                "en-ZA", new OfferMessage("Books 3 for 2.", "3 for 2", "Buy 3, pay 2."),
                "af-ZA", new OfferMessage("Boeke 3 vir 2.", "3 vir 2", "Koop 3, betaal 2.")));
        MessageRenderer renderer = new MessageRenderer("https://example/unsubscribe/");

        assertThat(renderer.render(offer, Channel.SMS, "en-ZA", "c1").body())
            .isEqualTo("Books 3 for 2. Reply STOP to opt out.");
        assertThat(renderer.render(offer, Channel.SMS, "af-ZA", "c1").body())
            .isEqualTo("Boeke 3 vir 2. Antwoord STOP om te onttrek.");
        MessageRenderer.Rendered email = renderer.render(offer, Channel.EMAIL, "zu-ZA", "c1");
        assertThat(email.locale()).isEqualTo("en-ZA");
        assertThat(email.body()).startsWith("Buy 3, pay 2.").endsWith("Unsubscribe: https://example/unsubscribe/c1");
        assertThat(email.listUnsubscribe()).isEqualTo("https://example/unsubscribe/c1");
        assertThat(SmsText.gsm7Septets("[€]")).isEqualTo(6);
    }
}
