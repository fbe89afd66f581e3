package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferMessage;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.offer.SmsText;

class MessageRendererTest {

    private static final String UNSUBSCRIBE = "https://offers.example.co.za/unsubscribe/";
    private static final OfferMessage ENGLISH = new OfferMessage("Summer sale: 20% off TVs until 31 Dec.",
        "20% off electronics", "Hi, our summer sale is on.");
    private static final OfferMessage AFRIKAANS = new OfferMessage("Someruitverkoping: 20% af op TV's.",
        "20% af op elektronika", "Hallo, ons someruitverkoping is aan.");
    private static final String NOT_GSM = "the SMS text has a character outside the GSM-7 alphabet";

    private final MessageRenderer renderer = new MessageRenderer(UNSUBSCRIBE);

    private static Offer offer(Map<String, OfferMessage> messages) {
        return new Offer("summer", "Summer", Set.of("electronics"), List.of("ZA/WC"),
            List.of(Channel.SMS, Channel.EMAIL), Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"), 0, messages);
    }

    @Test
    void render_whenSms_appendsTheOptOutAndHasNoSubject() {
        MessageRenderer.Rendered sms = renderer.render(offer(Map.of("en-ZA", ENGLISH)), Channel.SMS, "en-ZA",
            "12345");

        assertThat(sms.channel()).isEqualTo(Channel.SMS);
        assertThat(sms.subject()).isEmpty();
        assertThat(sms.body()).isEqualTo("Summer sale: 20% off TVs until 31 Dec. Reply STOP to opt out.")
            .endsWith(" Reply STOP to opt out.");
    }

    @Test
    void render_whenEmail_endsWithAnUnsubscribeLinkForTheCustomer() {
        MessageRenderer.Rendered email = renderer.render(offer(Map.of("en-ZA", ENGLISH)), Channel.EMAIL, "en-ZA",
            "cust-67890");

        assertThat(email.channel()).isEqualTo(Channel.EMAIL);
        assertThat(email.subject()).isEqualTo("20% off electronics");
        assertThat(email.body()).isEqualTo("Hi, our summer sale is on.\n\n--\nYou receive this because you agreed to"
            + " offers by email. Unsubscribe: https://offers.example.co.za/unsubscribe/cust-67890");
    }

    @Test
    void render_whenLocaleHasAMessage_usesIt() {
        Offer offer = offer(Map.of("en-ZA", ENGLISH, "af-ZA", AFRIKAANS));

        assertThat(renderer.render(offer, Channel.SMS, "af-ZA", "12345").body())
            .isEqualTo("Someruitverkoping: 20% af op TV's. Antwoord STOP om te onttrek.");
        assertThat(renderer.render(offer, Channel.EMAIL, "af-ZA", "12345").subject())
            .isEqualTo("20% af op elektronika");
    }

    @Test
    void render_whenLocaleHasNoMessage_fallsBackToEnZa() {
        Offer offer = offer(Map.of("en-ZA", ENGLISH));

        assertThat(renderer.render(offer, Channel.SMS, "af-ZA", "12345").body())
            .isEqualTo("Summer sale: 20% off TVs until 31 Dec. Reply STOP to opt out.");
        assertThat(renderer.render(offer, Channel.EMAIL, null, "12345").subject()).isEqualTo("20% off electronics");
    }

    @Test
    void smsProblem_whenTextFillsTheSegmentExactly_isNull() {
        String text = "a".repeat(137);

        assertThat(SmsText.problem(text)).isNull();
        assertThat(SmsText.gsm7Septets(text + SmsText.OPT_OUT)).isEqualTo(160);
    }

    @Test
    void smsProblem_whenOneSeptetOver_reportsTheLength() {
        assertThat(SmsText.problem("a".repeat(138)))
            .isEqualTo("the SMS text with the opt-out is 161 GSM-7 characters; at most 160 fit one message");
    }

    @Test
    void smsProblem_whenExtendedCharacters_countsEachTwice() {
        assertThat(SmsText.problem("a".repeat(135) + "€")).isNull();
        assertThat(SmsText.problem("a".repeat(136) + "€"))
            .isEqualTo("the SMS text with the opt-out is 161 GSM-7 characters; at most 160 fit one message");
        assertThat(SmsText.problem("[".repeat(69)))
            .isEqualTo("the SMS text with the opt-out is 161 GSM-7 characters; at most 160 fit one message");
    }

    @Test
    void gsm7Septets_countsBasicOnceAndExtendedTwice() {
        assertThat(SmsText.gsm7Septets("Café R99.99 @ 50% off!")).isEqualTo(22);
        assertThat(SmsText.gsm7Septets("£$¥ ÄÖÑÜ äöñüà ¿¡ §")).isEqualTo(19);
        assertThat(SmsText.gsm7Septets("€")).isEqualTo(2);
        assertThat(SmsText.gsm7Septets("^{}\\[~]|")).isEqualTo(16);
        assertThat(SmsText.gsm7Septets("")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Braai specials 🔥", "It’s on", "Sale — today", "Crème brûlée", "Cost: ₹100",
        "tab\there"})
    void smsProblem_whenCharacterOutsideGsm7_saysSo(String text) {
        assertThat(SmsText.problem(text)).isEqualTo(NOT_GSM);
    }

    @Test
    void smsProblem_whenShortGsmText_isNull() {
        assertThat(SmsText.problem(ENGLISH.sms())).isNull();
        assertThat(SmsText.problem(AFRIKAANS.sms())).isNull();
    }
}
