package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferMessage;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;

class NotificationPolicyFoundationTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Consent GRANTED = new Consent(Consent.State.GRANTED, NOW.minusSeconds(3600));
    private static final Consent REVOKED = new Consent(Consent.State.REVOKED, NOW.minusSeconds(60));

    private final NotificationPolicy policy = new NotificationPolicy();

    private static Offer offer(Channel... channels) {
        return new Offer("summer", "Summer", Set.of("electronics"), List.of("ZA"), List.of(channels),
            Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), 0,
            Map.of(Offer.DEFAULT_LOCALE, new OfferMessage("Sale on.", "Sale", "Our sale is on.")));
    }

    private static Profile profile(Consent sms, Consent email) {
        return Profile.empty("12345").withConsent(Channel.SMS, sms, NOW).withConsent(Channel.EMAIL, email, NOW);
    }

    @Test
    void decide_whenBothGranted_choosesTheOffersFirstChannel() {
        Profile both = profile(GRANTED, GRANTED);

        assertThat(policy.decide(both, offer(Channel.EMAIL, Channel.SMS)))
            .isEqualTo(new NotificationPolicy.Decision(Channel.EMAIL, null));
        assertThat(policy.decide(both, offer(Channel.SMS, Channel.EMAIL)))
            .isEqualTo(new NotificationPolicy.Decision(Channel.SMS, null));
    }

    @Test
    void decide_whenFirstChannelNotConsented_choosesTheNextConsentedOne() {
        NotificationPolicy.Decision decision = policy.decide(profile(GRANTED, REVOKED),
            offer(Channel.EMAIL, Channel.SMS));

        assertThat(decision.send()).isTrue();
        assertThat(decision.channel()).isEqualTo(Channel.SMS);
        assertThat(decision.suppressedBecause()).isNull();
    }

    @Test
    void decide_whenNoOfferedChannelConsented_suppressesForNoConsent() {
        NotificationPolicy.Decision decision = policy.decide(profile(GRANTED, REVOKED), offer(Channel.EMAIL));

        assertThat(decision.send()).isFalse();
        assertThat(decision.channel()).isNull();
        assertThat(decision.suppressedBecause()).isEqualTo(SuppressionReason.NO_CONSENT);
    }

    @Test
    void decide_whenConsentRevokedOrNeverGiven_suppressesForNoConsent() {
        assertThat(policy.decide(Profile.empty("12345"), offer(Channel.SMS, Channel.EMAIL)))
            .isEqualTo(new NotificationPolicy.Decision(null, SuppressionReason.NO_CONSENT));
        assertThat(policy.decide(profile(REVOKED, Consent.UNKNOWN), offer(Channel.SMS, Channel.EMAIL)))
            .isEqualTo(new NotificationPolicy.Decision(null, SuppressionReason.NO_CONSENT));
    }

    @Test
    void suppressionReason_wireNamesAreLowerCase() {
        assertThat(SuppressionReason.NO_CONSENT.wireName()).isEqualTo("no_consent");
        assertThat(SuppressionReason.DUPLICATE.wireName()).isEqualTo("duplicate");
        assertThat(Arrays.stream(SuppressionReason.values()).map(SuppressionReason::wireName))
            .containsExactly("no_consent", "duplicate", "capped", "no_profile", "no_contact", "offer_withdrawn",
                "offer_expired", "replayed_traffic", "address_suppressed");
    }
}
