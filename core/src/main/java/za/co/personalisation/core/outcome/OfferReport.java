package za.co.personalisation.core.outcome;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import za.co.personalisation.core.notify.DeliveryOutcome;

/**
 * Did each offer earn its sends? Counts, per offer, from the ledger's live entries and the recorded conversions
 * (docs/offers.md, "The report"): how many notifications were matched (every live entry, held out or not), held
 * out, sent, delivered, bounced and opted out; how many customers of each group converted; the conversion rate of
 * the customers it reached ("sent") and of the control group; the uplift (the difference) with its 95 % interval
 * ({@link UpliftInterval}); and the value of the conversions credited to it per message sent.
 *
 * <p>Pure: the caller reads the table (aws-support's OfferReportSource) and gives the rows.
 */
public final class OfferReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A live ledger entry (never a {@code replay#} one).
     *
     * @param createdAt when notify decided it; the report's period selects on it
     */
    public record Entry(String customerId, String ledgerKey, String offerId, String status, DeliveryOutcome outcome,
        Instant createdAt) {

        public Entry {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(ledgerKey, "ledgerKey");
            Objects.requireNonNull(offerId, "offerId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    /** A recorded conversion and the entry it was credited to. */
    public record Conversion(String customerId, String creditedKey, String creditedOfferId,
        Attribution.Group group, BigDecimal value, String currency) {
    }

    /** One offer's line. */
    public record Line(String offerId, long matched, long heldOut, long sent, long delivered, long bounced,
        long optedOut, long sentCustomers, long controlCustomers, long convertedSent, long convertedControl,
        Map<String, BigDecimal> valueSent, UpliftInterval uplift) {

        public Double rateSent() {
            return sentCustomers == 0 ? null : (double) convertedSent / sentCustomers;
        }

        public Double rateControl() {
            return controlCustomers == 0 ? null : (double) convertedControl / controlCustomers;
        }

        /** Value credited to the sent group per message sent, by currency. */
        public Map<String, BigDecimal> valuePerMessageSent() {
            Map<String, BigDecimal> per = new TreeMap<>();
            if (sent > 0) {
                valueSent.forEach((currency, sum) -> per.put(currency,
                    sum.divide(BigDecimal.valueOf(sent), 2, RoundingMode.HALF_EVEN)));
            }
            return per;
        }
    }

    private final Instant from;
    private final Instant to;
    private final List<Line> lines;

    private OfferReport(Instant from, Instant to, List<Line> lines) {
        this.from = from;
        this.to = to;
        this.lines = List.copyOf(lines);
    }

    public List<Line> lines() {
        return lines;
    }

    /**
     * @param from first instant of the period (entries created at or after it), or {@code null} for no bound
     * @param to   end of the period (entries created before it), or {@code null} for no bound
     */
    public static OfferReport build(Iterable<Entry> entries, Iterable<Conversion> conversions, Instant from,
        Instant to) {
        Map<String, Counts> byOffer = new TreeMap<>();
        Set<String> included = new HashSet<>();
        for (Entry entry : entries) {
            if (from != null && entry.createdAt().isBefore(from) || to != null && !entry.createdAt().isBefore(to)) {
                continue;
            }
            included.add(entry.customerId() + "\n" + entry.ledgerKey());
            Counts counts = byOffer.computeIfAbsent(entry.offerId(), id -> new Counts());
            counts.matched++;
            String status = entry.status();
            if (DeliveryStates.HELD_OUT.equals(status)) {
                counts.heldOut++;
                counts.control.add(entry.customerId());
            }
            if (DeliveryStates.sent(status)) {
                counts.sent++;
            }
            if (DeliveryStates.delivered(status, entry.outcome())) {
                counts.delivered++;
                counts.reached.add(entry.customerId());
            }
            if (DeliveryStates.bounced(entry.outcome())) {
                counts.bounced++;
            }
            if (DeliveryStates.optedOut(entry.outcome())) {
                counts.optedOut++;
            }
        }
        for (Conversion conversion : conversions) {
            if (conversion.group() == Attribution.Group.NONE
                || !included.contains(conversion.customerId() + "\n" + conversion.creditedKey())) {
                continue;
            }
            Counts counts = byOffer.get(conversion.creditedOfferId());
            if (counts == null) {
                continue;
            }
            if (conversion.group() == Attribution.Group.SENT) {
                counts.convertedSent.add(conversion.customerId());
                if (conversion.value().signum() > 0) {
                    counts.valueSent.merge(conversion.currency(), conversion.value(), BigDecimal::add);
                }
            } else {
                counts.convertedControl.add(conversion.customerId());
            }
        }
        List<Line> lines = new ArrayList<>(byOffer.size());
        byOffer.forEach((offerId, c) -> {
            // a customer counts in a group once, converted or not, however many entries they have there
            long convertedSent = c.convertedSent.stream().filter(c.reached::contains).count();
            long convertedControl = c.convertedControl.stream().filter(c.control::contains).count();
            lines.add(new Line(offerId, c.matched, c.heldOut, c.sent, c.delivered, c.bounced, c.optedOut,
                c.reached.size(), c.control.size(), convertedSent, convertedControl, c.valueSent,
                UpliftInterval.newcombe(convertedSent, c.reached.size(), convertedControl, c.control.size())));
        });
        return new OfferReport(from, to, lines);
    }

    /** The report as the API and the page show it. */
    public ObjectNode toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("from", from == null ? null : from.toString());
        root.put("to", to == null ? null : to.toString());
        root.put("delivered", DeliveryStates.delivered(DeliveryStates.SENT, null)
            ? "accepted by the provider (until delivery receipts count)" : "confirmed by a delivery receipt");
        root.put("interval", "95% Newcombe hybrid score interval of the difference of two proportions");
        ArrayNode offers = root.putArray("offers");
        for (Line line : lines) {
            ObjectNode o = offers.addObject();
            o.put("offerId", line.offerId());
            o.put("matched", line.matched());
            o.put("heldOut", line.heldOut());
            o.put("sent", line.sent());
            o.put("delivered", line.delivered());
            o.put("bounced", line.bounced());
            o.put("optedOut", line.optedOut());
            o.put("sentCustomers", line.sentCustomers());
            o.put("controlCustomers", line.controlCustomers());
            o.put("convertedSent", line.convertedSent());
            o.put("convertedControl", line.convertedControl());
            o.put("rateSent", line.rateSent());
            o.put("rateControl", line.rateControl());
            if (line.uplift() == null) {
                o.putNull("uplift");
            } else {
                o.putObject("uplift").put("difference", line.uplift().difference())
                    .put("lower", line.uplift().lower()).put("upper", line.uplift().upper());
            }
            ObjectNode value = o.putObject("valuePerMessageSent");
            line.valuePerMessageSent().forEach((currency, amount) -> value.put(currency, amount.toPlainString()));
        }
        return root;
    }

    private static final class Counts {
        private long matched;
        private long heldOut;
        private long sent;
        private long delivered;
        private long bounced;
        private long optedOut;
        private final Set<String> reached = new HashSet<>();
        private final Set<String> control = new HashSet<>();
        private final Set<String> convertedSent = new HashSet<>();
        private final Set<String> convertedControl = new HashSet<>();
        private final Map<String, BigDecimal> valueSent = new TreeMap<>();
    }
}
