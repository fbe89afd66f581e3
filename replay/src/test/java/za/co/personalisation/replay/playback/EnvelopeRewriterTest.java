package za.co.personalisation.replay.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.event.ErasureEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.InvalidRecordException;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

class EnvelopeRewriterTest {

    private static final Instant OCCURRED = Instant.parse("2026-11-20T08:00:00Z");
    private static final Instant RECEIVED = Instant.parse("2026-11-20T08:00:01Z");

    @Test
    void rewrite_marksEveryKindOfRecordAsAReplay_andChangesNothingElse() {
        EnvelopeRewriter rewriter = new EnvelopeRewriter(CustomerRemapper.none(), "", Duration.ZERO);
        InterestEvent interest = new InterestEvent("e1", "12345", "electronics",
            Gazetteer.bundled().resolve("Cape Town"), OCCURRED, RECEIVED, "1-abc-def", false);
        ConsentEvent consent = new ConsentEvent("e2", "12345", Channel.SMS, Consent.State.REVOKED, OCCURRED,
            RECEIVED, "", false);
        ErasureEvent erasure = new ErasureEvent("e3", "12345", OCCURRED, RECEIVED, "", false);
        // a conversion stays a conversion: before it had its own case, it was rewritten into an erasure
        ConversionEvent conversion = new ConversionEvent("e4", "12345", "electronics", "ELEC-CPT-01",
            new BigDecimal("2499.00"), "ZAR", OCCURRED, RECEIVED, "", false);

        for (StreamEvent original : new StreamEvent[] {interest, consent, erasure, conversion}) {
            EnvelopeRewriter.Rewritten rewritten = rewriter.rewrite(StreamEventCodec.encode(original));

            StreamEvent decoded = StreamEventCodec.decode(rewritten.data());
            assertThat(decoded.replay()).isTrue();
            assertThat(decoded).usingRecursiveComparison().ignoringFields("replay").isEqualTo(original);
            assertThat(rewritten.partitionKey()).isEqualTo("12345");
        }
        String json = new String(rewriter.rewrite(StreamEventCodec.encode(interest)).data(),
            StandardCharsets.UTF_8);
        assertThat(json).contains("\"replay\":true").doesNotContain("\"replay\":false");
    }

    @Test
    void rewrite_remapsTheCustomer_suffixesTheEventId_andShiftsTheTimes() {
        EnvelopeRewriter rewriter = new EnvelopeRewriter(CustomerRemapper.prefix("shadow-"), ":r2",
            Duration.ofDays(5));
        InterestEvent interest = new InterestEvent("e1", "12345", "electronics",
            Gazetteer.bundled().resolve("Cape Town"), OCCURRED, RECEIVED, "", false);

        EnvelopeRewriter.Rewritten rewritten = rewriter.rewrite(StreamEventCodec.encode(interest));

        InterestEvent replayed = StreamEventCodec.decodeInterest(rewritten.data());
        assertThat(replayed.customerId()).isEqualTo("shadow-12345");
        assertThat(rewritten.partitionKey()).isEqualTo("shadow-12345");
        assertThat(replayed.eventId()).isEqualTo("e1:r2");
        assertThat(replayed.occurredAt()).isEqualTo(OCCURRED.plus(Duration.ofDays(5)));
        assertThat(replayed.receivedAt()).isEqualTo(RECEIVED.plus(Duration.ofDays(5)));
        assertThat(replayed.location().key()).isEqualTo("ZA/WC/cape-town");
        assertThat(replayed.replay()).isTrue();
    }

    @Test
    void rewrite_ofARecordThatIsNoEnvelope_throws_soItIsNeverSentUnmarked() {
        EnvelopeRewriter rewriter = new EnvelopeRewriter(CustomerRemapper.none(), "", Duration.ZERO);

        assertThatThrownBy(() -> rewriter.rewrite("{\"schema\":\"other/9\"}".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(InvalidRecordException.class).hasMessageContaining("unsupported schema");
        assertThatThrownBy(() -> rewriter.rewrite(new byte[] {1, 2, 3}))
            .isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void eventIdSuffix_thatWouldMakeAnIdTooLongOrInvalid_isRefused() {
        assertThatThrownBy(() -> new EnvelopeRewriter(CustomerRemapper.none(), "/x", Duration.ZERO))
            .hasMessageContaining("suffix");
        EnvelopeRewriter rewriter = new EnvelopeRewriter(CustomerRemapper.none(), ":replayed", Duration.ZERO);
        InterestEvent longId = new InterestEvent("e".repeat(60), "1", "books", Gazetteer.bundled().resolve("Durban"),
            OCCURRED, RECEIVED, "", false);
        assertThatThrownBy(() -> rewriter.rewrite(StreamEventCodec.encode(longId)))
            .hasMessageContaining("longer than 64");
    }
}
