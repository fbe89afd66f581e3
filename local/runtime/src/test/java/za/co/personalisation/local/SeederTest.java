package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.core.offer.OfferCatalogCodec;

/**
 * The sample catalog never ages out: whatever day the stack starts on, the same offers are open, closed and not
 * yet open as on the day the file was written.
 */
class SeederTest {

    private static final Set<String> NOT_OPEN = Set.of("CLTH-WINTER-26", "FEST-ZA-26", "BOOK-SCHOOL-27");

    /** The day the file was written, a year later, years later, and either side of midnight in Johannesburg. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T10:00:00Z", "2027-11-25T10:00:00Z", "2031-06-15T21:59:59Z",
        "2031-06-15T22:00:00Z", "2028-02-29T23:30:00Z"})
    void sampleCatalog_startedOnAnyDay_hasTheSameOffersOpen(String start) throws IOException {
        Instant now = Instant.parse(start);
        OfferCatalog catalog = rebased(now);

        List<Offer> open = catalog.offers().stream().filter(offer -> offer.isValidAt(now)).toList();
        assertThat(open).hasSize(catalog.size() - NOT_OPEN.size());
        assertThat(open).extracting(Offer::offerId).doesNotContainAnyElementsOf(NOT_OPEN);
        // ... and stays so for the next year of the demo
        assertThat(catalog.offers().stream().filter(offer -> offer.isValidAt(now.plus(Duration.ofDays(365))))
            .map(Offer::offerId).collect(Collectors.toSet())).containsAll(open.stream().map(Offer::offerId).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T10:00:00Z", "2027-11-25T10:00:00Z", "2031-06-15T22:00:00Z"})
    void sampleCatalog_windowsThatOpenLater_openAsManyDaysAfterTheStartAsAfterTheFilesDate(String start)
        throws IOException {
        Instant now = Instant.parse(start);
        OfferCatalog catalog = rebased(now);

        assertThat(catalog.byId("FEST-ZA-26").isValidAt(now.plus(Duration.ofDays(7)))).isTrue();
        assertThat(catalog.byId("BOOK-SCHOOL-27").isValidAt(now.plus(Duration.ofDays(30)))).isFalse();
        assertThat(catalog.byId("BOOK-SCHOOL-27").isValidAt(now.plus(Duration.ofDays(42)))).isTrue();
        assertThat(catalog.byId("CLTH-WINTER-26").isValidAt(now.minus(Duration.ofDays(100)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T10:00:00Z", "2030-01-01T00:00:00Z"})
    void sampleCatalog_rebased_keepsVersionAndEveryOffer(String start) throws IOException {
        OfferCatalog original;
        try (InputStream in = Seeder.class.getResourceAsStream("/za/co/personalisation/local/seed/offers.json")) {
            original = OfferCatalogCodec.read(in);
        }
        OfferCatalog catalog = rebased(Instant.parse(start));

        assertThat(catalog.version()).isEqualTo(original.version());
        assertThat(catalog.offers()).extracting(Offer::offerId)
            .containsExactlyElementsOf(original.offers().stream().map(Offer::offerId).toList());
        Offer before = original.byId("ELEC-CPT-01");
        Offer after = catalog.byId("ELEC-CPT-01");
        assertThat(Duration.between(before.validFrom(), before.validUntil()))
            .isEqualTo(Duration.between(after.validFrom(), after.validUntil()));
        assertThat(Duration.between(before.validFrom(), after.validFrom()).toSeconds() % 86_400).isZero();
    }

    private static OfferCatalog rebased(Instant now) throws IOException {
        try (InputStream in = Seeder.class.getResourceAsStream("/za/co/personalisation/local/seed/offers.json")) {
            return OfferCatalogCodec.read(new ByteArrayInputStream(Seeder.rebased(in.readAllBytes(), now)));
        }
    }
}
