package za.co.personalisation.core.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import za.co.personalisation.core.notify.DeliveryOutcome;

class OfferReportTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    private static OfferReport.Entry entry(String customer, String status) {
        return new OfferReport.Entry(customer, "O#sms", "O", status, null, T);
    }

    @Test
    void build_countsEachGroup_ratesAndValuePerMessageSent() {
        List<OfferReport.Entry> entries = List.of(entry("a", "sent"), entry("b", "sent"), entry("c", "sent"),
            entry("d", "sent"), entry("e", "held_out"), entry("f", "held_out"), entry("g", "suppressed"),
            entry("h", "queued"));
        List<OfferReport.Conversion> conversions = List.of(
            new OfferReport.Conversion("a", "O#sms", "O", Attribution.Group.SENT, new BigDecimal("100.00"), "ZAR"),
            new OfferReport.Conversion("a", "O#sms", "O", Attribution.Group.SENT, new BigDecimal("50.00"), "ZAR"),
            new OfferReport.Conversion("b", "O#sms", "O", Attribution.Group.SENT, new BigDecimal("10.00"), "ZAR"),
            new OfferReport.Conversion("e", "O#sms", "O", Attribution.Group.CONTROL, new BigDecimal("70"), "ZAR"),
            new OfferReport.Conversion("z", "", "", Attribution.Group.NONE, BigDecimal.ONE, "ZAR"));

        OfferReport.Line line = OfferReport.build(entries, conversions, null, null).lines().get(0);

        assertThat(line.matched()).isEqualTo(8);
        assertThat(line.heldOut()).isEqualTo(2);
        assertThat(line.sent()).isEqualTo(4);
        assertThat(line.delivered()).isEqualTo(4);
        assertThat(line.convertedSent()).isEqualTo(2);
        assertThat(line.convertedControl()).isEqualTo(1);
        assertThat(line.rateSent()).isEqualTo(0.5);
        assertThat(line.rateControl()).isEqualTo(0.5);
        assertThat(line.uplift()).isEqualTo(UpliftInterval.newcombe(2, 4, 1, 2));
        assertThat(line.valuePerMessageSent()).containsEntry("ZAR", new BigDecimal("40.00"));
    }

    @Test
    void build_countsBouncesAndOptOutsFromTheDeliveryOutcome() {
        List<OfferReport.Entry> entries = List.of(
            new OfferReport.Entry("a", "O#email", "O", "sent", DeliveryOutcome.BOUNCED, T),
            new OfferReport.Entry("b", "O#sms", "O", "sent", DeliveryOutcome.OPTED_OUT, T),
            new OfferReport.Entry("c", "O#email", "O", "sent", DeliveryOutcome.COMPLAINED, T),
            new OfferReport.Entry("d", "O#sms", "O", "sent", DeliveryOutcome.DELIVERED, T));

        OfferReport.Line line = OfferReport.build(entries, List.of(), null, null).lines().get(0);

        assertThat(line.sent()).isEqualTo(4);
        assertThat(line.bounced()).isEqualTo(1);
        assertThat(line.optedOut()).isEqualTo(2);
    }

    @Test
    void build_withAPeriod_countsOnlyEntriesCreatedInIt_andTheirConversions() {
        List<OfferReport.Entry> entries = List.of(entry("a", "sent"),
            new OfferReport.Entry("b", "O#sms", "O", "sent", null, T.plusSeconds(3600)));
        List<OfferReport.Conversion> conversions = List.of(
            new OfferReport.Conversion("b", "O#sms", "O", Attribution.Group.SENT, BigDecimal.TEN, "ZAR"));

        OfferReport.Line line = OfferReport.build(entries, conversions, T, T.plusSeconds(3600)).lines().get(0);

        assertThat(line.sent()).isEqualTo(1);
        assertThat(line.convertedSent()).isZero();
    }
}
