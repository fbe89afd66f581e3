package za.co.personalisation.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferMessage;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;

class NotificationPolicyTest {

    private final NotificationPolicy policy = new NotificationPolicy();
    private final Offer smsFirst = offer(List.of(Channel.SMS, Channel.EMAIL));

    @Test
    void decide_takesTheOffersFirstChannelWithConsent() {
        assertThat(policy.decide(profile(Consent.State.GRANTED, Consent.State.GRANTED), smsFirst).channel())
            .isEqualTo(Channel.SMS);
        assertThat(policy.decide(profile(Consent.State.REVOKED, Consent.State.GRANTED), smsFirst).channel())
            .isEqualTo(Channel.EMAIL);
    }

    @Test
    void decide_withoutConsent_suppressesForLackOfConsent() {
        NotificationPolicy.Decision decision = policy.decide(profile(Consent.State.REVOKED, Consent.State.UNKNOWN),
            smsFirst);

        assertThat(decision.send()).isFalse();
        assertThat(decision.suppressedBecause()).isEqualTo(SuppressionReason.NO_CONSENT);
        assertThat(policy.reachable(profile(Consent.State.REVOKED, Consent.State.UNKNOWN))).isEmpty();
    }

    @Test
    void decide_prefersTheCustomersOwnChannelOrder_whenItIsKnown() {
        Profile both = profile(Consent.State.GRANTED, Consent.State.GRANTED);

        assertThat(policy.decide(both, smsFirst, List.of(Channel.EMAIL)).channel()).isEqualTo(Channel.EMAIL);
        assertThat(policy.decide(both, offer(List.of(Channel.SMS)), List.of(Channel.EMAIL)).channel())
            .isEqualTo(Channel.SMS);
    }

    private static Offer offer(List<Channel> channels) {
        return new Offer("O", "O", Set.of("books"), List.of("ZA"), channels, Instant.EPOCH, Instant.MAX, 0,
            Map.of(Offer.DEFAULT_LOCALE, new OfferMessage("Hi", "S", "B")));
    }

    private static Profile profile(Consent.State sms, Consent.State email) {
        Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
        consent.put(Channel.SMS, new Consent(sms, Instant.EPOCH));
        consent.put(Channel.EMAIL, new Consent(email, Instant.EPOCH));
        return new Profile("c1", 1, Map.of(), null, Instant.EPOCH, consent, List.of(), Instant.EPOCH);
    }
}
