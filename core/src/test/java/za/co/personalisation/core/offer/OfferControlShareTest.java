package za.co.personalisation.core.offer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OfferControlShareTest {

    private static OfferCatalog read(String share) throws IOException {
        String json = "{\"version\":\"v1\",\"offers\":[{\"offerId\":\"O-1\",\"interests\":[\"books\"],"
            + "\"locations\":[\"*\"],\"channels\":[\"sms\"],\"validFrom\":\"2026-01-01T00:00:00Z\","
            + "\"validUntil\":\"2027-01-01T00:00:00Z\"" + (share == null ? "" : ",\"controlShare\":" + share)
            + ",\"messages\":{\"en-ZA\":{\"sms\":\"Books.\",\"emailSubject\":\"Books\",\"emailBody\":\"Books.\"}}}]}";
        return OfferCatalogCodec.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void controlShare_whenTheCatalogSaysNothing_isTenPercent() throws IOException {
        assertThat(read(null).byId("O-1").controlShare()).isEqualTo(0.10);
    }

    @Test
    void controlShare_asWritten_fromZeroUpToButNotIncludingOne() throws IOException {
        assertThat(read("0").byId("O-1").controlShare()).isZero();
        assertThat(read("0.5").byId("O-1").controlShare()).isEqualTo(0.5);
    }

    @Test
    void controlShare_outOfRangeOrNotANumber_isAProblemWithItsPointer() {
        for (String bad : new String[] {"1", "1.5", "-0.1", "\"0.1\"", "null"}) {
            assertThatThrownBy(() -> read(bad)).as(bad)
                .isInstanceOfSatisfying(OfferCatalogCodec.InvalidCatalogException.class, e -> assertThat(
                    e.problems()).singleElement().asString().startsWith("/offers/0 (O-1)/controlShare: must be a"
                        + " number from 0"));
        }
    }
}
