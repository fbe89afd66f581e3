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
     * @param writeUnitsPerEvent       DynamoDB write request units per event (coalesced per customer)
     * @param readUnitsPerEvent        DynamoDB read request units per event
     * @param snsPublishesPerEvent     SNS publishes per event (only changes that match an offer)
     * @param sqsRequestsPerEvent      SQS requests per event (the delivery queues' sends, receives, deletes)
     * @param logBytesPerEvent         bytes logged per event by all functions
     * @param memoryMb                 every function's memory
     * @param xraySampledShare         share of API requests and invocations traced (template.yaml: 1.0)
     */
    public record Pipeline(double eventsPerApiRequest, double ingestMillisPerRequest, double enrichRecordsPerBatch,
        double enrichMillisPerBatch, double notifyInvocationsPerEvent, double notifyMillisPerInvocation,
        double deliverInvocationsPerEvent, double deliverMillisPerInvocation, double writeUnitsPerEvent,
        double readUnitsPerEvent, double snsPublishesPerEvent, double sqsRequestsPerEvent, double logBytesPerEvent,
        int memoryMb, double xraySampledShare) {

        public Pipeline {
            if (!(eventsPerApiRequest >= 1) || !(enrichRecordsPerBatch >= 1)) {
                throw new IllegalArgumentException("events per API request and records per batch must be at least 1");
            }
        }
    }

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
            + design.deliverInvocationsPerEvent();
        double millis = requests * design.ingestMillisPerRequest() + enrichInvocations * design.enrichMillisPerBatch()
            + design.notifyInvocationsPerEvent() * design.notifyMillisPerInvocation()
            + design.deliverInvocationsPerEvent() * design.deliverMillisPerInvocation();
        put(units, basis, "apigateway.rest.request", requests, fmt(design.eventsPerApiRequest())
            + " events per request");
        put(units, basis, "lambda.request", invocations, "ingest per request, enrich per batch of "
            + fmt(design.enrichRecordsPerBatch()) + ", notify and deliver as measured");
        put(units, basis, "lambda.gbSecond.arm64", millis / 1000 * design.memoryMb() / 1024,
            String.format("%.2f ms of function time per event × %d MB", millis, design.memoryMb()));
        put(units, basis, "kinesis.putPayloadUnit", 1, "one record (under 25 KB) per event");
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
