package za.co.personalisation.core.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocationTest {

    private static final Location CAPE_TOWN = new Location("ZA/WC/cape-town", "Cape Town", true);
    private static final Location WESTERN_CAPE = new Location("ZA/WC", "Western Cape", true);

    @ParameterizedTest
    @ValueSource(strings = {"ZA/WC/cape-town", "ZA/WC", "ZA", "*"})
    void isWithin_whenRuleIsTheKeyOrAnAncestorOrEverywhere_isTrue(String rule) {
        assertThat(CAPE_TOWN.isWithin(rule)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZA/W", "Z", "ZA/WC/cape", "ZA/WC/cape-town-cbd", "ZA/WC/cape-town/", "ZA/GP",
        "ZA/WC/stellenbosch", "za/wc", "", "NA"})
    void isWithin_whenRuleIsNotOnASlashBoundaryOrElsewhere_isFalse(String rule) {
        assertThat(CAPE_TOWN.isWithin(rule)).isFalse();
    }

    @Test
    void isWithin_whenRuleIsMoreSpecificThanTheKey_isFalse() {
        assertThat(WESTERN_CAPE.isWithin("ZA/WC/cape-town")).isFalse();
        assertThat(WESTERN_CAPE.isWithin("ZA/WC")).isTrue();
        assertThat(new Location("ZA/WCX", "Nowhere", true).isWithin("ZA/WC")).isFalse();
    }

    @Test
    void isWithin_whenUnknownLocation_matchesOnlyEverywhere() {
        Location unknown = Location.unknown("Atlantis");

        assertThat(unknown.isWithin("*")).isTrue();
        assertThat(unknown.isWithin("ZA")).isFalse();
        assertThat(unknown.isWithin("")).isFalse();
    }

    @Test
    void unknown_hasNoKeyAndKeepsTheName() {
        assertThat(Location.unknown("Atlantis Bay")).isEqualTo(new Location("", "Atlantis Bay", false));
    }

    @Test
    void new_whenKnownWithoutKeyOrUnknownWithKey_rejectsIt() {
        assertThatThrownBy(() -> new Location("", "Cape Town", true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("a known location needs a key and an unknown one must not have one: ");
        assertThatThrownBy(() -> new Location("ZA", "South Africa", false))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("a known location needs a key and an unknown one must not have one: ZA");
    }
}
