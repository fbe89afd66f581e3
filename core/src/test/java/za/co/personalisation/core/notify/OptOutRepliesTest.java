package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.offer.SmsText;

class OptOutRepliesTest {

    @Test
    void everyLanguagesOptOutLine_advertisesAWordThatOptsOut() {
        for (String language : List.of("en", "af", "zu")) {
            String word = OptOutReplies.advertised(SmsText.optOut(language));
            assertThat(word).as(language).isNotNull();
            assertThat(OptOutReplies.isOptOut(word)).as(language + ": " + word).isTrue();
        }
    }

    @Test
    void isOptOut_ignoresCaseSpaceAndClosingPunctuation() {
        assertThat(OptOutReplies.isOptOut("STOP")).isTrue();
        assertThat(OptOutReplies.isOptOut("  stop! ")).isTrue();
        assertThat(OptOutReplies.isOptOut("Stop.")).isTrue();
        assertThat(OptOutReplies.isOptOut("unsubscribe")).isTrue();
    }

    @Test
    void isOptOut_whenTheWordIsPartOfASentenceOrAbsent_isFalse() {
        assertThat(OptOutReplies.isOptOut("don't stop")).isFalse();
        assertThat(OptOutReplies.isOptOut("STOPPED")).isFalse();
        assertThat(OptOutReplies.isOptOut("YES")).isFalse();
        assertThat(OptOutReplies.isOptOut("")).isFalse();
        assertThat(OptOutReplies.isOptOut(null)).isFalse();
    }
}
