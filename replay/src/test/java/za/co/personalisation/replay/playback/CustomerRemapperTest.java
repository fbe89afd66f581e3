package za.co.personalisation.replay.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CustomerRemapperTest {

    @Test
    void none_keepsIds_prefix_prependsAPrefix() {
        assertThat(CustomerRemapper.none().apply("12345")).isEqualTo("12345");
        assertThat(CustomerRemapper.none().isIdentity()).isTrue();
        assertThat(CustomerRemapper.prefix("shadow-").apply("12345")).isEqualTo("shadow-12345");
        assertThat(CustomerRemapper.prefix("shadow-").isIdentity()).isFalse();
    }

    @Test
    void hash_isStablePerSalt_hidesTheOriginal_andDiffersBetweenSalts() {
        CustomerRemapper a = CustomerRemapper.hash("shadow-", "salt-a");

        String mapped = a.apply("12345");

        assertThat(mapped).matches("shadow-[0-9a-f]{16}").doesNotContain("12345");
        assertThat(a.apply("12345")).isEqualTo(mapped);
        assertThat(a.apply("12346")).isNotEqualTo(mapped);
        assertThat(CustomerRemapper.hash("shadow-", "salt-b").apply("12345")).isNotEqualTo(mapped);
    }

    @Test
    void invalidPrefixes_missingSalts_andIdsThatGrowTooLong_areRefusedWithTheFix() {
        assertThatThrownBy(() -> CustomerRemapper.prefix("-bad")).hasMessageContaining("must start with a letter");
        assertThatThrownBy(() -> CustomerRemapper.prefix("with space")).hasMessageContaining("only");
        assertThatThrownBy(() -> CustomerRemapper.hash("shadow-", "")).hasMessageContaining("--remap-salt");
        assertThatThrownBy(() -> CustomerRemapper.prefix("shadow-").apply("x".repeat(60)))
            .hasMessageContaining("use --remap hash");
    }
}
