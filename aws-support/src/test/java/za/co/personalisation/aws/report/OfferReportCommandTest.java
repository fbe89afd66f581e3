package za.co.personalisation.aws.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import za.co.personalisation.aws.config.Settings;

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
}
