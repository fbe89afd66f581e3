package za.co.personalisation.replay.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modelled bill per million events of a design, from its units per event and the prices file: this pipeline
 * beside a naive design, in the same table (docs/benchmarks.md, "Cost per million events"). SMS and email are left
 * out of both: they cost the same whatever carries the event.
 *
 * <p>The naive design takes each event in one REST API request to one Lambda function that reads the customer's
 * profile, writes it back and publishes one SNS message, traced at the same sampling. This pipeline takes events
 * in API requests of one or more, puts them on Kinesis, applies a batch per invocation with one write per customer
 * (enrich), and publishes only when a profile change matches an offer.
 */
public final class DesignCost {

    /** A design's bill: its lines, the total by region, and by region the items it has no price for. */
    public record Projection(String design, List<CostModel.Line> lines, Map<String, Double> total,
        Map<String, List<String>> unpriced) {

        /** The total in {@code region} when every line is priced there, else {@code null}. */
        public Double completeTotal(String region) {
            return unpriced.get(region).isEmpty() ? total.get(region) : null;
        }
    }

    /**
     * The naive design, per event.
     *
     * @param memoryMb          the function's memory (template.yaml Globals, 1,024)
     * @param millisPerEvent    the function's billed duration for one event
     * @param writeUnits        write request units of the profile write (1 per KB of item)
     * @param readUnits         read request units of the profile read (1 per 4 KB, strongly consistent)
     * @param logBytesPerEvent  bytes logged per event (the platform's lines and the function's own)
     * @param xraySampledShare  share of requests traced (template.yaml: 1.0)
     */
    public record Naive(int memoryMb, double millisPerEvent, double writeUnits, double readUnits,
        double logBytesPerEvent, double xraySampledShare) {
    }

    /**
     * This pipeline, per event.
     *
     * @param eventsPerApiRequest      events in one API request ({@code {"events":[…]}} takes up to 500)
     * @param ingestMillisPerRequest   ingest's billed duration for one request
     * @param enrichRecordsPerBatch    records in one enrich invocation (template.yaml BatchSize, 100, when busy)
     * @param enrichMillisPerBatch     enrich's billed duration for one batch (EnrichShardBenchmark)
     * @param notifyInvocationsPerEvent  notify invocations per event
     * @param notifyMillisPerInvocation  notify's billed duration per invocation
     * @param deliverInvocationsPerEvent deliver invocations per event
     * @param deliverMillisPerInvocation deliver's billed duration per invocation
     * @param feedbackInvocationsPerEvent feedback invocations per event (delivery receipts and replies)
     * @param feedbackMillisPerInvocation feedback's billed duration per invocation
     * @param writeUnitsPerEvent       DynamoDB write request units per event (coalesced per customer)
     * @param readUnitsPerEvent        DynamoDB read request units per event
     * @param snsPublishesPerEvent     SNS publishes per event (only changes that match an offer)
     * @param sqsRequestsPerEvent      SQS requests per event (the delivery queues' sends, receives, deletes)
     * @param logBytesPerEvent         bytes logged per event by all functions
     * @param memoryMb                 every function's memory
     * @param xraySampledShare         share of API requests and invocations traced (template.yaml: 1.0)
     * @param shardHoursPerEvent       Kinesis shard-hours per event (shards ÷ (events per second × 3,600)), billed
     *                                 again as extended retention (template.yaml keeps 168 hours)
     */
    public record Pipeline(double eventsPerApiRequest, double ingestMillisPerRequest, double enrichRecordsPerBatch,
        double enrichMillisPerBatch, double notifyInvocationsPerEvent, double notifyMillisPerInvocation,
        double deliverInvocationsPerEvent, double deliverMillisPerInvocation, double feedbackInvocationsPerEvent,
        double feedbackMillisPerInvocation, double writeUnitsPerEvent,
        double readUnitsPerEvent, double snsPublishesPerEvent, double sqsRequestsPerEvent, double logBytesPerEvent,
        int memoryMb, double xraySampledShare, double shardHoursPerEvent) {

        public Pipeline {
            if (!(eventsPerApiRequest >= 1) || !(enrichRecordsPerBatch >= 1)) {
                throw new IllegalArgumentException("events per API request and records per batch must be at least 1");
            }
            if (!(shardHoursPerEvent >= 0)) {
                throw new IllegalArgumentException("shard-hours per event cannot be negative");
            }
        }
    }

    /** The template's stream: one provisioned shard (template.yaml ShardCount). */
    public static final int TEMPLATE_SHARDS = 1;
    /** The steady rate the documented table spreads the shard-hours over: issue 14's soak rate. */
    public static final double DOCUMENTED_EVENTS_PER_SECOND = 60;
    /** The lines of the documented tables, in order. */
    static final List<String> TABLE_ITEMS = List.of("apigateway.rest.request", "lambda.request",
        "lambda.gbSecond.arm64", "kinesis.putPayloadUnit", "kinesis.shardHour", "kinesis.extendedRetention.shardHour",
        "dynamodb.readRequestUnit", "dynamodb.writeRequestUnit", "sns.publish", "sqs.request", "xray.traceRecorded",
        "cloudwatch.logs.ingestedGb");

    private static final double GB = 1024.0 * 1024 * 1024;

    private DesignCost() {
    }

    public static Projection naive(Naive design, Prices prices) {
        Map<String, Double> units = new LinkedHashMap<>();
        Map<String, String> basis = new LinkedHashMap<>();
        put(units, basis, "apigateway.rest.request", 1, "one REST request per event");
        put(units, basis, "lambda.request", 1, "one invocation per event");
        put(units, basis, "lambda.gbSecond.arm64", design.millisPerEvent() / 1000 * design.memoryMb() / 1024,
            design.millisPerEvent() + " ms × " + design.memoryMb() + " MB");
        put(units, basis, "dynamodb.readRequestUnit", design.readUnits(), "one strongly consistent profile read");
        put(units, basis, "dynamodb.writeRequestUnit", design.writeUnits(), "one profile write");
        put(units, basis, "sns.publish", 1, "one publish per event");
        put(units, basis, "xray.traceRecorded", design.xraySampledShare(), "one trace per request, sampled at "
            + design.xraySampledShare());
        put(units, basis, "cloudwatch.logs.ingestedGb", design.logBytesPerEvent() / GB,
            Math.round(design.logBytesPerEvent()) + " bytes per event");
        return project("naive: API → one Lambda per event → DynamoDB read + write → SNS", units, basis, prices);
    }

    public static Projection pipeline(Pipeline design, Prices prices) {
        Map<String, Double> units = new LinkedHashMap<>();
        Map<String, String> basis = new LinkedHashMap<>();
        double requests = 1 / design.eventsPerApiRequest();
        double enrichInvocations = 1 / design.enrichRecordsPerBatch();
        double invocations = requests + enrichInvocations + design.notifyInvocationsPerEvent()
            + design.deliverInvocationsPerEvent() + design.feedbackInvocationsPerEvent();
        double millis = requests * design.ingestMillisPerRequest() + enrichInvocations * design.enrichMillisPerBatch()
            + design.notifyInvocationsPerEvent() * design.notifyMillisPerInvocation()
            + design.deliverInvocationsPerEvent() * design.deliverMillisPerInvocation()
            + design.feedbackInvocationsPerEvent() * design.feedbackMillisPerInvocation();
        put(units, basis, "apigateway.rest.request", requests, fmt(design.eventsPerApiRequest())
            + " events per request");
        put(units, basis, "lambda.request", invocations, "ingest per request, enrich per batch of "
            + fmt(design.enrichRecordsPerBatch()) + ", notify, deliver and feedback as measured");
        put(units, basis, "lambda.gbSecond.arm64", millis / 1000 * design.memoryMb() / 1024,
            String.format("%.2f ms of function time per event × %d MB", millis, design.memoryMb()));
        put(units, basis, "kinesis.putPayloadUnit", 1, "one record (under 25 KB) per event");
        put(units, basis, "kinesis.shardHour", design.shardHoursPerEvent(), "provisioned shards over the steady rate");
        put(units, basis, "kinesis.extendedRetention.shardHour", design.shardHoursPerEvent(),
            "the same shard-hours, kept 168 hours");
        put(units, basis, "dynamodb.readRequestUnit", design.readUnitsPerEvent(), "batched reads, one per customer");
        put(units, basis, "dynamodb.writeRequestUnit", design.writeUnitsPerEvent(), "one write per customer a batch");
        put(units, basis, "sns.publish", design.snsPublishesPerEvent(), "only changes that match an offer");
        put(units, basis, "sqs.request", design.sqsRequestsPerEvent(), "the delivery queues");
        put(units, basis, "xray.traceRecorded", invocations * design.xraySampledShare(),
            "one trace per API request and per stream or queue invocation, sampled at " + design.xraySampledShare());
        put(units, basis, "cloudwatch.logs.ingestedGb", design.logBytesPerEvent() / GB,
            Math.round(design.logBytesPerEvent()) + " bytes per event");
        return project("this pipeline", units, basis, prices);
    }

    /**
     * The naive design as docs/benchmarks.md prices it: 1,024 MB; 20 ms per event (three calls one after another at
     * DynamoDB's and SNS's few milliseconds, plus the handler); a profile item under 1 KB (1 write unit, 1 strongly
     * consistent read unit); 450 bytes of logs per event (Lambda's START, END and REPORT lines and one line of the
     * function's); every request traced, as template.yaml samples.
     */
    public static Naive documentedNaive() {
        return new Naive(1024, 20, 1, 1, 450, CostModel.TEMPLATE_XRAY_SAMPLED_SHARE);
    }

    /**
     * This pipeline as docs/benchmarks.md prices it, for {@code eventsPerApiRequest} events a request: ingest 15 ms a
     * request (one PutRecords); enrich 270 ms a batch of 100 (the per-shard model: about 100 ms waiting on
     * DynamoDB, about 170 ms of CPU at 1,024 MB); notify 0.0103 invocations per event at 30 ms, deliver 0.0216 at
     * 100 ms and feedback 0.0125 at 30 ms (estimated: three DynamoDB calls); DynamoDB 1.73 write and 0.39 read
     * units, 0.020 SNS publishes and 0.240 SQS requests per event (every count from the 10-minute soak at 60
     * events/s, run soak60p, docs/benchmarks.md "third round");
     * logs 275 bytes per event in enrich (EnrichShardBenchmark) plus 450 per ingest request and 450 per other
     * invocation; the template's one
     * provisioned shard at a steady 60 events/s (issue 14's soak rate), so 1 ÷ 216,000 shard-hours per event.
     */
    public static Pipeline documentedPipeline(double eventsPerApiRequest) {
        double invocationsBesideIngest = 0.01 + 0.0103 + 0.0216 + 0.0125;
        double logBytes = 275 + 450 / eventsPerApiRequest + 450 * invocationsBesideIngest;
        return new Pipeline(eventsPerApiRequest, 15, 100, 270, 0.0103, 30, 0.0216, 100, 0.0125, 30, 1.73, 0.39, 0.020,
            0.240,
            logBytes, 1024, CostModel.TEMPLATE_XRAY_SAMPLED_SHARE,
            TEMPLATE_SHARDS / (DOCUMENTED_EVENTS_PER_SECOND * 3600));
    }

    /**
     * The tables of docs/benchmarks.md, "Cost per million events": both designs, both regions. A region's total is
     * given only when every line is priced there; otherwise the priced lines' sum is shown as a lower bound with the
     * lines that have no price, and so is the ratio to the naive design (none when the naive design is incomplete).
     */
    public static String table(Prices prices, double... eventsPerApiRequest) {
        StringBuilder out = new StringBuilder();
        List<Projection> designs = new ArrayList<>();
        designs.add(naive(documentedNaive(), prices));
        for (double events : eventsPerApiRequest) {
            Projection projection = pipeline(documentedPipeline(events), prices);
            designs.add(new Projection(projection.design() + ", " + fmt(events) + " event"
                + (events == 1 ? "" : "s") + " a request", projection.lines(), projection.total(),
                projection.unpriced()));
        }
        Projection naive = designs.get(0);
        out.append("| design | us-east-1 USD per million events | ÷ naive | af-south-1 USD per million events |"
            + " ÷ naive | lines priced from AWS's own pages (us-east-1) |\n|---|---:|---:|---:|---:|---|\n");
        for (Projection design : designs) {
            long verified = design.lines().stream().filter(line -> prices.item(line.item()).verified("us-east-1"))
                .count();
            out.append("| ").append(design.design()).append(" | ").append(total(design, "us-east-1")).append(" | ")
                .append(ratio(design, naive, "us-east-1")).append(" | ").append(total(design, "af-south-1"))
                .append(" | ").append(ratio(design, naive, "af-south-1")).append(" | ").append(verified)
                .append(" of ").append(design.lines().size()).append(" |\n");
        }
        for (String region : prices.regions()) {
            out.append("\n| line (").append(region).append(" USD per million events) | price read from |");
            designs.forEach(design -> out.append(' ').append(design.design()).append(" |"));
            out.append("\n|---|---|");
            designs.forEach(design -> out.append("---:|"));
            out.append('\n');
            for (String item : TABLE_ITEMS) {
                Prices.Item priced = prices.item(item);
                out.append("| ").append(item).append(" | ").append(priced.prices().get(region) == null ? "not found"
                    : priced.verified(region) ? "AWS page" : "third party (unverified)").append(" |");
                for (Projection design : designs) {
                    CostModel.Line line = design.lines().stream().filter(candidate -> candidate.item().equals(item))
                        .findFirst().orElse(null);
                    Double value = line == null ? null : line.perMillionEvents().get(region);
                    out.append(line == null ? " — |" : value == null ? " unpriced |"
                        : String.format(java.util.Locale.ROOT, " %.3f |", value));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String total(Projection design, String region) {
        List<String> missing = design.unpriced().get(region);
        String sum = String.format(java.util.Locale.ROOT, "%.2f", design.total().get(region));
        return missing.isEmpty() ? sum : "at least " + sum + " (no price for " + String.join(", ", missing) + ")";
    }

    /** The design's total over the naive one's; a lower bound ("at least") while the design has unpriced lines. */
    private static String ratio(Projection design, Projection naive, String region) {
        Double theirs = naive.completeTotal(region);
        if (theirs == null) {
            return "—";
        }
        String value = String.format(java.util.Locale.ROOT, "%.2f", design.total().get(region) / theirs);
        return design.completeTotal(region) == null ? "at least " + value : value;
    }

    /** Prints {@link #table} for 1, 10 and 50 events a request with the bundled prices. */
    public static void main(String[] args) {
        System.out.print(table(Prices.bundled(), 1, 10, 50));
    }

    static Projection project(String design, Map<String, Double> units, Map<String, String> basis, Prices prices) {
        List<CostModel.Line> lines = new ArrayList<>();
        Map<String, Double> total = new LinkedHashMap<>();
        Map<String, List<String>> unpriced = new LinkedHashMap<>();
        prices.regions().forEach(region -> {
            total.put(region, 0.0);
            unpriced.put(region, new ArrayList<>());
        });
        for (Map.Entry<String, Double> entry : units.entrySet()) {
            Prices.Item item = prices.item(entry.getKey());
            Map<String, Double> cost = new LinkedHashMap<>();
            for (String region : prices.regions()) {
                Double unit = item.unitPrice(region);
                Double perMillion = unit == null ? null : unit * entry.getValue() * 1_000_000;
                cost.put(region, perMillion);
                if (perMillion == null) {
                    unpriced.get(region).add(item.id());
                } else {
                    total.merge(region, perMillion, Double::sum);
                }
            }
            lines.add(new CostModel.Line(item.id(), item.service(), item.description(), entry.getValue(),
                basis.get(entry.getKey()), cost));
        }
        return new Projection(design, lines, total, unpriced);
    }

    private static void put(Map<String, Double> units, Map<String, String> basis, String item, double perEvent,
        String why) {
        units.put(item, perEvent);
        basis.put(item, why);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
