package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.ProfileMerger;

/** aws-support's ProfileItems, the profile's item layout, as enrich writes and reads it. */
class ProfileItemsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void toItemThenFromItem_givesTheSameProfile_includingForgottenEventBookkeeping() {
        ProfileMerger merger = new ProfileMerger(Duration.ofDays(14), 2);
        Profile profile = merger.apply(Profile.empty("c-1"), List.of(
            Events.interest("c-1", "e-1", "books", Events.DURBAN, 30),
            Events.interest("c-1", "e-2", "home & garden", Events.CAPE_TOWN, 20),
            Events.interest("c-1", "e-3", "books", Events.CAPE_TOWN, 10),
            Events.consent("c-1", "k-1", Channel.EMAIL, Consent.State.GRANTED, 10)), NOW).profile().withVersion(7);

        Map<String, AttributeValue> item = ProfileItems.toItem(profile);

        assertThat(ProfileItems.fromItem(item)).isEqualTo(profile);
        // in (occurredAt, eventId) order: e-2 occurred 20 minutes ago, e-3 10; consent decisions are not remembered
        assertThat(ProfileItems.appliedEventIds(item)).containsExactly("e-2", "e-3");
        assertThat(item.get(ProfileItems.APPLIED_EVENTS).b()).isNotNull();
        assertThat(profile.applied().occurredAtMillisAt(0)).isEqualTo(NOW.minusSeconds(1200).toEpochMilli());
        assertThat(profile.applied().occurredAtMillisAt(1)).isEqualTo(NOW.minusSeconds(600).toEpochMilli());
        assertThat(item.get("appliedHorizon").m().get("eventId").s()).isEqualTo("e-1");
        assertThat(item.get("locationEventId").s()).isEqualTo("e-3");
        assertThat(item.get("consent").m().get("email").m().get("state").s()).isEqualTo("granted");
        assertThat(item).doesNotContainKey("recentEventIds");
    }

    @Test
    void fromItem_ofTheOldLayout_readsRecentEventIdsAsAppliedAndAnEmptyLocationEventId() {
        Profile profile = ProfileItems.fromItem(Map.of(
            "customerId", AttributeValue.fromS("c-1"),
            "version", AttributeValue.fromN("2"),
            "locationAt", AttributeValue.fromS(NOW.toString()),
            "recentEventIds", AttributeValue.fromL(List.of(AttributeValue.fromS("e-1"), AttributeValue.fromS("e-2")))));

        assertThat(profile.applied().contains("e-1")).isTrue();
        assertThat(profile.applied().contains("e-2")).isTrue();
        assertThat(profile.applied().horizonAt()).isNull();
        assertThat(profile.locationEventId()).isEmpty();
        assertThat(profile.version()).isEqualTo(2);
    }
}
