package za.co.personalisation.core.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.notify.MessageRenderer;
import za.co.personalisation.core.profile.Channel;

class OfferCatalogCodecTest {

    /** The sample catalog the local runtime seeds (kept in local/runtime's resources). */
    private static final Path SAMPLE = Path.of("..", "local", "runtime", "src", "main", "resources", "za", "co",
        "personalisation", "local", "seed", "offers.json");

    @Test
    void sampleCatalog_hasAtLeastFiftyValidOffers_overSeveralInterestsAndPlaces() throws IOException {
        OfferCatalog catalog;
        try (InputStream in = Files.newInputStream(SAMPLE)) {
            catalog = OfferCatalogCodec.read(in);
        }

        assertThat(catalog.size()).isGreaterThanOrEqualTo(50);
        Set<String> interests = new HashSet<>();
        Set<String> rules = new HashSet<>();
        catalog.offers().forEach(offer -> {
            interests.addAll(offer.interests());
            rules.addAll(offer.locations());
        });
        assertThat(interests).hasSizeGreaterThanOrEqualTo(10);
        assertThat(rules).contains("ZA", "ZA/WC", "ZA/GP", "ZA/KZN", "ZA/WC/cape-town", "*");
        Offer capeTown = catalog.byId("ELEC-CPT-01");
        assertThat(capeTown.channels()).containsExactly(Channel.SMS, Channel.EMAIL);
        assertThat(capeTown.priority()).isEqualTo(50);
        assertThat(capeTown.messageFor("en-ZA").sms()).isEqualTo("Electronics week at our Cape Town stores: 15% off"
            + " laptops and TVs until Sunday.");
        assertThat(catalog.byId("ELEC-WC-01").messageFor("af-ZA").emailSubject())
            .isEqualTo("Gratis aflewering op elektronika");
    }

    @Test
    void sampleCatalog_everySmsFitsOneSegmentWithItsOptOut_inEveryLocale() throws IOException {
        MessageRenderer renderer = new MessageRenderer("https://example/unsubscribe/");
        try (InputStream in = Files.newInputStream(SAMPLE)) {
            for (Offer offer : OfferCatalogCodec.read(in).offers()) {
                for (String locale : offer.messages().keySet()) {
                    String sms = renderer.render(offer, Channel.SMS, locale, "c1").body();
                    assertThat(SmsText.gsm7Septets(sms)).as(offer.offerId() + " " + locale)
                        .isBetween(1, SmsText.SEGMENT);
                }
            }
        }
    }

    @Test
    void read_reportsEveryProblem_withItsPointerAndOfferId() {
        String json = """
            {"version":"v2","offers":[
              {"offerId":"OK-1","interests":["books"],"locations":["ZA"],"channels":["sms"],
               "validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z",
               "messages":{"en-ZA":{"sms":"Hi","emailSubject":"S","emailBody":"B"}}},
              {"offerId":"BAD-1","interests":["books"],"locations":["ZA/WC/capetown"],"channels":["fax"],
               "validFrom":"yesterday","validUntil":"2027-01-01T00:00:00Z","priority":"high","chanels":[],
               "messages":{"af-ZA":{"sms":"Hallo","emailSubject":"S","emailBody":"B"}}},
              {"offerId":"OK-1","interests":["books"],"locations":["*"],"channels":["email"],
               "validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z",
               "messages":{"en-ZA":{"sms":"Hi","emailSubject":"S","emailBody":"B"}}}
            ]}""";

        assertThatThrownBy(() -> read(json))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).startsWith("/offers/1 (BAD-1)/locations: 'ZA/WC/capetown' is not"))
                .anySatisfy(p -> assertThat(p).startsWith("/offers/1 (BAD-1)/channels: unknown channel 'fax'"))
                .anySatisfy(p -> assertThat(p).startsWith("/offers/1 (BAD-1)/validFrom: needs an ISO-8601"))
                .anySatisfy(p -> assertThat(p).startsWith("/offers/1 (BAD-1)/priority: must be an integer"))
                .anySatisfy(p -> assertThat(p).startsWith("/offers/1 (BAD-1)/chanels: unknown field"))
                .anySatisfy(p -> assertThat(p).startsWith("/offers/2/offerId: OK-1 appears twice")));
    }

    @Test
    void read_rejectsAnSmsThatWouldNotFitOneSegment_andNonGsmCharacters() throws IOException {
        String longText = "x".repeat(140);
        assertThatThrownBy(() -> read(catalogWithSms(longText)))
            .hasMessageContaining("the SMS text with the opt-out is 163 GSM-7 characters; at most 160");
        assertThatThrownBy(() -> read(catalogWithSms("Save 10% – today")))
            .hasMessageContaining("outside the GSM-7 alphabet");
        assertThat(read(catalogWithSms("y".repeat(137))).size()).isEqualTo(1);
    }

    @Test
    void read_rejectsAFileWithoutVersionOrOffers() {
        assertThatThrownBy(() -> read("{\"offers\":[]}"))
            .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(e.problems())
                .contains("/version: the catalog needs a non-empty \"version\" string",
                    "/offers: the catalog needs a non-empty \"offers\" array"));
        assertThatThrownBy(() -> read("[1, 2"))
            .hasMessageContaining("the file is not valid JSON");
    }

    @Test
    void offer_messageFor_fallsBackToTheLanguageAndThenToEnglish() {
        Offer offer = new Offer("O", "O", Set.of("books"), List.of("ZA"), List.of(Channel.SMS),
            Instant.EPOCH, Instant.MAX, 0, java.util.Map.of(
                "en-ZA", new OfferMessage("en", "en", "en"),
                "af-ZA", new OfferMessage("af", "af", "af")));

        assertThat(offer.localeFor("af-NA")).isEqualTo("af-ZA");
        assertThat(offer.localeFor("zu-ZA")).isEqualTo("en-ZA");
        assertThat(offer.localeFor(null)).isEqualTo("en-ZA");
        assertThat(offer.messageFor("af-ZA").sms()).isEqualTo("af");
    }

    private static String catalogWithSms(String sms) {
        return "{\"version\":\"v\",\"offers\":[{\"offerId\":\"O\",\"interests\":[\"books\"],\"locations\":[\"ZA\"],"
            + "\"channels\":[\"sms\"],\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2027-01-01T00:00:00Z\","
            + "\"messages\":{\"en-ZA\":{\"sms\":\"" + sms + "\",\"emailSubject\":\"S\",\"emailBody\":\"B\"}}}]}";
    }

    private static OfferCatalog read(String json) throws IOException {
        return OfferCatalogCodec.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
