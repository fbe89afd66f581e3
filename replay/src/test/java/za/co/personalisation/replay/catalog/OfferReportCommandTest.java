package za.co.personalisation.replay.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.core.notify.DeliveryOutcome;
import za.co.personalisation.core.outcome.Attribution;
import za.co.personalisation.core.outcome.OfferReport;

class OfferReportCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--table t --from yesterday | --from 'yesterday' is neither an ISO-8601 instant (2026-11-25T00:00:00Z) nor a"
            + " date (2026-11-25)",
        "--table t --from 2026-11-26 --to 2026-11-25 | --from 2026-11-26T00:00:00Z is not before --to"
            + " 2026-11-25T00:00:00Z",
        "--table t --to | --to needs a value",
        "--table t --format csv | unexpected argument '--format'",
        "--from 2026-11-25 | name the stack with --local, --stage or --table"})
    void badArguments_areOneLineNamingTheProblem_thenTheUsage_exit2(String args, String problem) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = OfferReportCommand.run(args.split(" "), Settings.of(Map.of()), new PrintStream(out, true,
            StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).first()
            .isEqualTo("pipeline report offers: " + problem);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(OfferReportCommand.USAGE);
    }

    @Test
    void print_writesEachOffersCountsInTheReportsColumns() {
        Instant t = Instant.parse("2026-11-20T10:00:00Z");
        List<OfferReport.Entry> entries = List.of(
            new OfferReport.Entry("a", "O-1#sms", "O-1", "sent", DeliveryOutcome.DELIVERED, t),
            new OfferReport.Entry("b", "O-1#sms", "O-1", "sent", DeliveryOutcome.BOUNCED, t),
            new OfferReport.Entry("c", "O-1#sms", "O-1", "sent", null, t),
            new OfferReport.Entry("d", "O-1#sms", "O-1", "held_out", null, t));
        List<OfferReport.Conversion> conversions = List.of(new OfferReport.Conversion("a", "O-1#sms", "O-1",
            Attribution.Group.SENT, new BigDecimal("30.00"), "ZAR"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        OfferReportCommand.print(OfferReport.build(entries, conversions, null, null), "notifications-t", null, null,
            new PrintStream(out, true, StandardCharsets.UTF_8));

        String line = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("O-1 ")).findFirst()
            .orElseThrow();
        // offer, matched, held out, sent, delivered, bounced, opted out, converted s/c, rate sent of sent customers
        assertThat(line.split("\\s+")).startsWith("O-1", "4", "1", "3", "1", "1", "0", "1/0", "50.0%", "of", "2");
        assertThat(line).endsWith("ZAR 10.00");
    }
}
