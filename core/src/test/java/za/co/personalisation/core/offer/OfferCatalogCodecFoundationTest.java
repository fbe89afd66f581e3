package za.co.personalisation.core.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.Fixtures;
import za.co.personalisation.core.profile.Channel;

class OfferCatalogCodecFoundationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static OfferCatalog readFixture() throws IOException {
        try (InputStream in = Fixtures.stream("offers/catalog.json")) {
            return OfferCatalogCodec.read(in);
        }
    }

    @Test
    void read_whenFixtureCatalog_readsEveryOfferAndField() throws IOException {
        OfferCatalog catalog = readFixture();

        assertThat(catalog.version()).isEqualTo("2026-11-20.1");
        assertThat(catalog.size()).isEqualTo(2);
        Offer summer = catalog.byId("wc-electronics-summer");
        assertThat(summer.title()).isEqualTo("Western Cape electronics summer sale");
        assertThat(summer.interests()).containsExactlyInAnyOrder("electronics", "gaming");
        assertThat(summer.locations()).containsExactly("ZA/WC");
        assertThat(summer.channels()).containsExactly(Channel.SMS, Channel.EMAIL);
        assertThat(summer.validFrom()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(summer.validUntil()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(summer.priority()).isEqualTo(5);
        assertThat(summer.messages()).containsOnlyKeys("en-ZA", "af-ZA");
        assertThat(summer.messageFor("af-ZA").emailSubject()).isEqualTo("20% af op elektronika hierdie somer");
    }

    @Test
    void read_whenTitleOrPriorityAbsent_defaultsToTheIdAndZero() throws IOException {
        Offer books = readFixture().byId("za-books-weekend");

        assertThat(books.title()).isEqualTo("za-books-weekend");
        assertThat(books.priority()).isZero();
        assertThat(books.channels()).containsExactly(Channel.EMAIL);
    }

    @Test
    void read_indexesOffersByFoldedInterest() throws IOException {
        OfferCatalog catalog = readFixture();

        assertThat(catalog.forInterest("electronics")).extracting(Offer::offerId)
            .containsExactly("wc-electronics-summer");
        assertThat(catalog.forInterest("gaming")).extracting(Offer::offerId)
            .containsExactly("wc-electronics-summer");
        assertThat(catalog.forInterest("Electronics")).isEmpty();
        assertThat(catalog.forInterest("garden")).isEmpty();
        assertThat(catalog.byId("nope")).isNull();
    }

    @Test
    void read_whenVersionMissing_rejectsTheCatalog() {
        assertThatThrownBy(() -> read(root -> root.remove("version")))
            .hasMessage("the catalog has 1 problem(s): /version: the catalog needs a non-empty \"version\" string")
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/version: the catalog needs a non-empty \"version\" string"));
    }

    @Test
    void read_whenOfferHasNoId_rejectsIt() {
        assertThatThrownBy(() -> read(root -> firstOffer(root).remove("offerId")))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/offers/0/offerId: needs 1 to 64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit"));
    }

    @Test
    void read_whenChannelUnknown_namesTheOfferAndTheChannel() {
        assertThatThrownBy(() -> read(root -> firstOffer(root).putArray("channels").add("sms").add("fax")))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/offers/0 (wc-electronics-summer)/channels: unknown channel 'fax'; expected sms or"
                    + " email"));
    }

    @Test
    void read_whenSmsTooLongWithTheOptOut_namesTheOfferLocaleAndLength() {
        // The Afrikaans opt-out (" Antwoord STOP om te onttrek.") leaves 131 characters: 132 is one too many.
        String sms = "a".repeat(132);

        assertThatThrownBy(() -> read(root -> firstOffer(root).withObjectProperty("messages")
            .withObjectProperty("af-ZA").put("sms", sms)))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/offers/0 (wc-electronics-summer): offer wc-electronics-summer (af-ZA): the SMS"
                    + " text with the opt-out is 161 GSM-7 characters; at most 160 fit one message"));
    }

    @Test
    void read_whenDefaultLocaleMessageMissing_rejectsTheOffer() {
        assertThatThrownBy(() -> read(root -> firstOffer(root).withObjectProperty("messages").remove("en-ZA")))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/offers/0 (wc-electronics-summer): offer wc-electronics-summer has no en-ZA"
                    + " message"));
    }

    @Test
    void read_whenOfferEndsBeforeItStarts_rejectsIt() {
        assertThatThrownBy(() -> read(root -> firstOffer(root).put("validUntil", "2026-11-01T00:00:00Z")))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/offers/0 (wc-electronics-summer): offer wc-electronics-summer ends before it"
                    + " starts"));
    }

    @Test
    void read_whenOfferHasNoLocations_rejectsIt() {
        assertThatThrownBy(() -> read(root -> firstOffer(root).putArray("locations")))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/offers/0 (wc-electronics-summer)/locations: needs a non-empty array of strings"));
    }

    @Test
    void read_whenValidFromNotIso_namesTheOffer() {
        assertThatThrownBy(() -> read(root -> firstOffer(root).put("validFrom", "1 Nov 2026")))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/offers/0 (wc-electronics-summer)/validFrom: needs an ISO-8601 instant such as"
                    + " 2026-01-01T00:00:00Z"));
    }

    @Test
    void read_whenOfferIdAppearsTwice_rejectsTheCatalog() {
        assertThatThrownBy(() -> read(root -> firstOffer(root).put("offerId", "za-books-weekend")))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .containsExactly("/offers/1/offerId: za-books-weekend appears twice in the catalog"));
    }

    private static OfferCatalog read(Consumer<ObjectNode> change) throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(Fixtures.bytes("offers/catalog.json"));
        change.accept(root);
        return OfferCatalogCodec.read(new ByteArrayInputStream(MAPPER.writeValueAsString(root)
            .getBytes(StandardCharsets.UTF_8)));
    }

    private static ObjectNode firstOffer(ObjectNode root) {
        return (ObjectNode) root.get("offers").get(0);
    }
}
