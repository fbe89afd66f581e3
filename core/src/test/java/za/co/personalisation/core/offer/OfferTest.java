package za.co.personalisation.core.offer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.profile.Channel;

class OfferTest {

    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");
    private static final OfferMessage ENGLISH = new OfferMessage("Summer sale.", "Sale", "Our sale is on.");
    private static final OfferMessage AFRIKAANS = new OfferMessage("Someruitverkoping.", "Uitverkoping",
        "Ons uitverkoping is aan.");

    private static Offer offer(Map<String, OfferMessage> messages) {
        return new Offer("summer", "Summer", Set.of("electronics"), List.of("ZA"), List.of(Channel.SMS), FROM, UNTIL,
            0, messages);
    }

    @Test
    void isValidAt_includesTheStartAndExcludesTheEnd() {
        Offer offer = offer(Map.of(Offer.DEFAULT_LOCALE, ENGLISH));

        assertThat(offer.isValidAt(FROM.minusMillis(1))).isFalse();
        assertThat(offer.isValidAt(FROM)).isTrue();
        assertThat(offer.isValidAt(UNTIL.minusMillis(1))).isTrue();
        assertThat(offer.isValidAt(UNTIL)).isFalse();
    }

    @Test
    void messageFor_whenExactLocale_usesIt() {
        Offer offer = offer(Map.of(Offer.DEFAULT_LOCALE, ENGLISH, "af-ZA", AFRIKAANS));

        assertThat(offer.messageFor("af-ZA")).isEqualTo(AFRIKAANS);
        assertThat(offer.messageFor("en-ZA")).isEqualTo(ENGLISH);
    }

    @Test
    void messageFor_whenOnlyTheLanguageMatches_usesThatLanguage() {
        Offer offer = offer(Map.of(Offer.DEFAULT_LOCALE, ENGLISH, "af-ZA", AFRIKAANS));

        assertThat(offer.messageFor("af-NA")).isEqualTo(AFRIKAANS);
        assertThat(offer.messageFor("af")).isEqualTo(AFRIKAANS);
    }

    @Test
    void messageFor_whenLocaleMissingOrUnknown_fallsBackToEnZa() {
        Offer englishOnly = offer(Map.of(Offer.DEFAULT_LOCALE, ENGLISH));
        Offer bilingual = offer(Map.of(Offer.DEFAULT_LOCALE, ENGLISH, "af-ZA", AFRIKAANS));

        assertThat(englishOnly.messageFor("af-ZA")).isEqualTo(ENGLISH);
        assertThat(bilingual.messageFor("zu-ZA")).isEqualTo(ENGLISH);
        assertThat(bilingual.messageFor(null)).isEqualTo(ENGLISH);
        assertThat(bilingual.messageFor("")).isEqualTo(ENGLISH);
    }
}
