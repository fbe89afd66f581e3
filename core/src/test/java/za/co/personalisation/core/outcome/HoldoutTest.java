package za.co.personalisation.core.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HoldoutTest {

    private static final String KEY = "holdout-test-key-0123456789abcdef";

    @Test
    void draw_isTheSameForTheSameCustomerAndOffer_andDependsOnTheKey() {
        Holdout holdout = new Holdout(KEY);

        assertThat(holdout.draw("12345", "ELEC-CPT-01")).isEqualTo(new Holdout(KEY).draw("12345", "ELEC-CPT-01"));
        assertThat(holdout.draw("12345", "ELEC-CPT-01")).isNotEqualTo(holdout.draw("12345", "ELEC-CPT-02"));
        assertThat(holdout.draw("12345", "ELEC-CPT-01"))
            .isNotEqualTo(new Holdout(KEY.replace('0', 'x')).draw("12345", "ELEC-CPT-01"));
    }

    @Test
    void inControl_overManyCustomers_holdsOutCloseToTheShare() {
        Holdout holdout = new Holdout(KEY);
        int held = 0;
        for (int i = 0; i < 20_000; i++) {
            if (holdout.inControl("customer-" + i, "OFFER-1", 0.10)) {
                held++;
            }
        }
        // binomial(20000, 0.1): sd 42; 5 sd either side
        assertThat(held).isBetween(2000 - 212, 2000 + 212);
    }

    @Test
    void inControl_withShareZero_holdsOutNobody_andARaisedShareOnlyAddsCustomers() {
        Holdout holdout = new Holdout(KEY);
        for (int i = 0; i < 2_000; i++) {
            String customer = "c" + i;
            assertThat(holdout.inControl(customer, "O", 0)).isFalse();
            if (holdout.inControl(customer, "O", 0.1)) {
                assertThat(holdout.inControl(customer, "O", 0.5)).isTrue();
            }
        }
    }

    @Test
    void shortKey_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new Holdout("short")).hasMessageContaining("HOLDOUT_KEY");
    }
}
