package za.co.personalisation.replay.catalog;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.OfferReportSource;
import za.co.personalisation.core.outcome.OfferReport;
import za.co.personalisation.core.outcome.UpliftInterval;

/**
 * {@code ./pipeline report offers}: did each offer earn its sends (docs/offers.md, "The report")? Reads the
 * notifications table of the local stack or of a deployed stage and prints one line per offer, or the JSON the
 * local page shows ({@code --json}).
 *
 * <pre>./pipeline report offers [--local] [--stage dev | --table notifications-dev] [--endpoint-url URL]
 *     [--region REGION] [--from T] [--to T] [--json]</pre>
 * A command-line tool, so it lives with the other tools in this module, in no function's jar.
 */
public final class OfferReportCommand {

    static final String USAGE = "usage: ./pipeline report offers [--local | --stage STAGE | --table TABLE]"
        + " [--endpoint-url URL] [--region REGION] [--from WHEN] [--to WHEN] [--json]\n"
        + "  --local             the running local stack (notifications-local through the emulator)\n"
        + "  --stage STAGE       the deployed stage's table, notifications-STAGE\n"
        + "  --table TABLE       this table (default: $NOTIFICATIONS_TABLE)\n"
        + "  --from, --to WHEN   only notifications decided from WHEN (inclusive) to WHEN (exclusive):\n"
        + "                      an ISO-8601 instant (2026-11-25T00:00:00Z) or a date (2026-11-25, UTC midnight)\n"
        + "  --json              print the report as JSON";

    private OfferReportCommand() {
    }

    public static void main(String[] args) {
        int status = run(args, Settings.fromEnvironment(), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command; returns the exit status (0 done, 1 failed, 2 bad usage). */
    public static int run(String[] args, Settings environment, PrintStream out, PrintStream err) {
        TableTarget target = new TableTarget("notifications", environment.get("NOTIFICATIONS_TABLE", null));
        Instant from = null;
        Instant to = null;
        boolean json = false;
        try {
            for (int i = 0; i < args.length; i++) {
                int taken = target.accept(args, i);
                if (taken >= 0) {
                    i = taken;
                    continue;
                }
                switch (args[i]) {
                    case "--from" -> from = instant(TableTarget.value(args, ++i, "--from"), "--from");
                    case "--to" -> to = instant(TableTarget.value(args, ++i, "--to"), "--to");
                    case "--json" -> json = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                }
            }
            if (target.table() == null) {
                throw new IllegalArgumentException("name the stack with --local, --stage or --table");
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
            }
        } catch (IllegalArgumentException e) {
            err.println("pipeline report offers: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String table = target.table();
        try {
            Settings settings = target.settings(environment);
            OfferReport report = new OfferReportSource(new AwsClients(settings).dynamoDb(), table).report(from, to);
            if (json) {
                out.println(report.toJson().toPrettyString());
            } else {
                print(report, table, from, to, out);
            }
            return 0;
        } catch (SdkException | IllegalStateException e) {
            err.println("pipeline report offers: reading " + table + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** One line per offer; its columns are the report's (docs/offers.md, The report). */
    static void print(OfferReport report, String table, Instant from, Instant to, PrintStream out) {
        out.printf("Offers in %s, notifications decided %s to %s. Delivered = confirmed by a delivery event; the"
            + " sent group = sent, not known to have failed; uplift = conversion rate sent - control, 95%% Newcombe"
            + " interval.%n", table, from == null ? "ever" : from,
            to == null ? "now" : to);
        out.printf("%-18s %7s %8s %6s %9s %7s %8s %13s %13s %8s %8s %-22s %s%n", "offer", "matched", "held out",
            "sent", "delivered", "bounced", "opt-out", "converted s/c", "rate sent", "control", "uplift",
            "95% interval", "value/msg sent");
        if (report.lines().isEmpty()) {
            out.println("(no notifications yet)");
        }
        for (OfferReport.Line line : report.lines()) {
            UpliftInterval uplift = line.uplift();
            StringBuilder value = new StringBuilder();
            for (Map.Entry<String, BigDecimal> entry : line.valuePerMessageSent().entrySet()) {
                value.append(value.length() == 0 ? "" : ", ").append(entry.getKey()).append(' ')
                    .append(entry.getValue().toPlainString());
            }
            out.printf("%-18s %7d %8d %6d %9d %7d %8d %13s %13s %8s %8s %-22s %s%n", line.offerId(), line.matched(),
                line.heldOut(), line.sent(), line.delivered(), line.bounced(), line.optedOut(),
                line.convertedSent() + "/" + line.convertedControl(),
                percent(line.rateSent()) + " of " + line.sentCustomers(), percent(line.rateControl()),
                uplift == null ? "-" : points(uplift.difference()),
                uplift == null ? "-" : "[" + points(uplift.lower()) + ", " + points(uplift.upper()) + "]",
                value.length() == 0 ? "-" : value);
        }
    }

    private static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static String points(double difference) {
        return String.format(Locale.ROOT, "%+.1f pp", difference * 100);
    }

    private static Instant instant(String text, String option) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is neither an ISO-8601 instant"
                + " (2026-11-25T00:00:00Z) nor a date (2026-11-25)");
        }
    }
}
