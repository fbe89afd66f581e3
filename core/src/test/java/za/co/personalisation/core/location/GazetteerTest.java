package za.co.personalisation.core.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GazetteerTest {

    private static final Gazetteer GAZETTEER = Gazetteer.bundled();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Location SOUTH_AFRICA = new Location("ZA", "South Africa", true);

    @Test
    void bundled_hasItsVersion() {
        assertThat(GAZETTEER.version()).isEqualTo("za-2026-11");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Cape Town        | ZA/WC/cape-town      | Cape Town",
        "Kaapstad         | ZA/WC/cape-town      | Cape Town",
        "iKapa            | ZA/WC/cape-town      | Cape Town",
        "CPT              | ZA/WC/cape-town      | Cape Town",
        "Joburg           | ZA/GP/johannesburg   | Johannesburg",
        "Jozi             | ZA/GP/johannesburg   | Johannesburg",
        "Tshwane          | ZA/GP/pretoria       | Pretoria",
        "Port Elizabeth   | ZA/EC/gqeberha       | Gqeberha",
        "Grahamstown      | ZA/EC/makhanda       | Makhanda",
        "Mosselbaai       | ZA/WC/mossel-bay     | Mossel Bay",
        "Richards Bay     | ZA/KZN/richards-bay  | Richards Bay",
        "eThekwini        | ZA/KZN/durban        | Durban",
        "Nelspruit        | ZA/MP/mbombela       | Mbombela",
        "Mafikeng         | ZA/NW/mahikeng       | Mahikeng"})
    void resolve_whenCityNameOrAlias_returnsTheCanonicalCity(String name, String key, String canonical) {
        assertThat(GAZETTEER.resolve(name)).isEqualTo(new Location(key, canonical, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cape town", "CAPE TOWN", "  Cape   Town  ", "Cape-Town", "cape_town", "Cape Town.",
        "Kaapstád", "KAAPSTAD", "ｃａｐｅ ｔｏｗｎ"})
    void resolve_whenCaseAccentsPunctuationOrWidthDiffer_stillFindsCapeTown(String name) {
        assertThat(GAZETTEER.resolve(name)).isEqualTo(new Location("ZA/WC/cape-town", "Cape Town", true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Western Cape   | ZA/WC  | Western Cape",
        "Wes-Kaap       | ZA/WC  | Western Cape",
        "western  cape  | ZA/WC  | Western Cape",
        "KwaZulu-Natal  | ZA/KZN | KwaZulu-Natal",
        "Kwazulu Natal  | ZA/KZN | KwaZulu-Natal",
        "KZN            | ZA/KZN | KwaZulu-Natal",
        "Gauteng        | ZA/GP  | Gauteng",
        "Vrystaat       | ZA/FS  | Free State",
        "Noordwes       | ZA/NW  | North West"})
    void resolve_whenProvinceNameOrAlias_returnsTheProvince(String name, String key, String canonical) {
        assertThat(GAZETTEER.resolve(name)).isEqualTo(new Location(key, canonical, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"South Africa", "south africa", "RSA", "Republic of South Africa", "Suid-Afrika",
        "Mzansi", "ZA", "za"})
    void resolve_whenCountryNameAliasOrCode_returnsTheCountry(String name) {
        assertThat(GAZETTEER.resolve(name)).isEqualTo(SOUTH_AFRICA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Atlantis", "aTlAnTiS bay", "Cape Town CBD", "Capetown", "London", "!!!"})
    void resolve_whenNameUnknown_keepsItAsWrittenWithoutGuessing(String name) {
        Location location = GAZETTEER.resolve(name);

        assertThat(location).isEqualTo(Location.unknown(name));
        assertThat(location.known()).isFalse();
        assertThat(location.isWithin("ZA")).isFalse();
    }

    @Test
    void resolve_everyCityIsWithinItsProvinceAndCountry() {
        assertThat(GAZETTEER.resolve("Stellenbosch").isWithin("ZA/WC")).isTrue();
        assertThat(GAZETTEER.resolve("Soweto").isWithin("ZA/GP")).isTrue();
        assertThat(GAZETTEER.resolve("Umhlanga").isWithin("ZA/KZN")).isTrue();
        assertThat(GAZETTEER.resolve("Kimberley").isWithin("ZA")).isTrue();
        assertThat(GAZETTEER.resolve("Soweto").isWithin("ZA/WC")).isFalse();
    }

    @Test
    void byKey_findsCityProvinceAndCountry_andNothingElse() {
        assertThat(GAZETTEER.byKey("ZA/WC/cape-town")).isEqualTo(new Location("ZA/WC/cape-town", "Cape Town", true));
        assertThat(GAZETTEER.byKey("ZA/WC")).isEqualTo(new Location("ZA/WC", "Western Cape", true));
        assertThat(GAZETTEER.byKey("ZA")).isEqualTo(SOUTH_AFRICA);
        assertThat(GAZETTEER.byKey("ZA/WC/kaapstad")).isNull();
        assertThat(GAZETTEER.byKey("za/wc")).isNull();
        assertThat(GAZETTEER.byKey("")).isNull();
    }

    @Test
    void fold_ignoresCaseAccentsPunctuationAndRepeatedSpaces() {
        assertThat(Gazetteer.fold("  KwaZulu–Natal!! ")).isEqualTo("kwazulu natal");
        assertThat(Gazetteer.fold("Gqébérha")).isEqualTo("gqeberha");
    }

    @Test
    void slug_joinsFoldedWordsWithHyphens() {
        assertThat(Gazetteer.slug("Mossel Bay")).isEqualTo("mossel-bay");
        assertThat(Gazetteer.slug("Richards  Bay")).isEqualTo("richards-bay");
    }

    @Test
    void parse_whenTwoPlacesShareAName_rejectsTheAmbiguity() throws IOException {
        JsonNode root = MAPPER.readTree("""
            {"countries":[{"code":"ZA","name":"South Africa"}],
             "provinces":[{"code":"WC","country":"ZA","name":"Western Cape"},
                          {"code":"KZN","country":"ZA","name":"KwaZulu-Natal"}],
             "cities":[{"name":"Durban","province":"KZN"},
                       {"name":"George","province":"WC","aliases":["durban"]}]}
            """);

        assertThatThrownBy(() -> Gazetteer.parse(root))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("gazetteer name 'durban' is ambiguous: ZA/KZN/durban and ZA/WC/george");
    }

    @Test
    void parse_whenProvinceNamesUndeclaredCountry_rejectsIt() throws IOException {
        JsonNode root = MAPPER.readTree("""
            {"countries":[{"code":"ZA","name":"South Africa"}],
             "provinces":[{"code":"KH","country":"NA","name":"Khomas"}]}
            """);

        assertThatThrownBy(() -> Gazetteer.parse(root))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("province Khomas names an undeclared country NA");
    }

    @Test
    void parse_whenCityNamesUndeclaredProvince_rejectsIt() throws IOException {
        JsonNode root = MAPPER.readTree("""
            {"countries":[{"code":"ZA","name":"South Africa"}],
             "cities":[{"name":"Cape Town","province":"WC"}]}
            """);

        assertThatThrownBy(() -> Gazetteer.parse(root))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("city Cape Town names an undeclared province WC");
    }

    @Test
    void parse_whenNoVersion_callsItUnversioned() throws IOException {
        assertThat(Gazetteer.parse(MAPPER.readTree("{\"countries\":[]}")).version()).isEqualTo("unversioned");
    }
}
