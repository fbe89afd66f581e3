package za.co.personalisation.replay.cost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import za.co.personalisation.replay.meter.CallCounts;
import za.co.personalisation.replay.meter.CallKey;
import za.co.personalisation.replay.meter.Caller;

/**
 * AWS calls per event and the bill they project per million events, from what a run counted.
 *
 * <p>Every counted call is one of: the pipeline's work (the functions' calls, and the producer's PutRecords when
 * the load went straight into Kinesis), event source mapping polling that AWS does not bill (Kinesis and
 * DynamoDB Streams reads by Lambda), measurement overhead (this tool's own reads of the ledger, profiles and
 * streams) or work only the local runtime does (its console's outbox scans). Only the first goes into the bill.
 * SQS polling by the mapping is billed on AWS and counted as pipeline work, though Lambda's own pollers call
 * at a different cadence than the local runtime's.
 */
public final class CostModel {

    /**
     * Share of requests X-Ray records: template.yaml's sampling rule ({@code TraceEverythingSamplingRule}) has
     * FixedRate 1.0, every request, for the seed's trace coverage (docs/observability.md).
     */
    public static final double TEMPLATE_XRAY_SAMPLED_SHARE = 1.0;

    /** What a call is, for the bill. */
    public enum Use {
        PIPELINE, UNBILLED_POLLING, MEASUREMENT, LOCAL_ONLY
    }

    /**
     * What the run measured.
     *
     * @param events            accepted events: the denominator
     * @param calls             SDK calls counted during the run (this JVM's and, when available, the stack's)
     * @param apiRequests       HTTP requests made to the event API (retries included), 0 when none
     * @param invocations       function invocations by function, empty when unknown (not the local runtime)
     * @param lambdaMemoryMb    memory of every function (template.yaml Globals)
     * @param logBytes          bytes the functions logged, -1 when unknown
     * @param runSeconds        how long the traffic ran
     * @param shards            shards of the interest-events stream
     * @param xraySampledShare  share of API requests X-Ray records beyond the first each second
     *                          ({@link #TEMPLATE_XRAY_SAMPLED_SHARE})
     */
    public record Inputs(long events, CallCounts calls, long apiRequests, Map<String, Long> invocations,
        int lambdaMemoryMb, long logBytes, double runSeconds, int shards, double xraySampledShare) {
    }

    /** One priced quantity: units per event of one price item, and what a million events cost in each region. */
    public record Line(String item, String service, String description, double unitsPerEvent, String basis,
        Map<String, Double> perMillionEvents) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KINESIS_READS = Set.of("GetRecords", "GetShardIterator", "ListShards",
        "DescribeStream", "DescribeStreamSummary", "SubscribeToShard");
    private static final Set<String> DYNAMODB_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem",
        "BatchWriteItem", "TransactWriteItems");
    private static final Set<String> DYNAMODB_READS = Set.of("GetItem", "Query", "Scan", "BatchGetItem",
        "TransactGetItems");

    private CostModel() {
    }

    public static Use use(CallKey key) {
        if (Caller.LOCAL_RUNTIME.equals(key.caller())) {
            return Use.LOCAL_ONLY;
        }
        if (Caller.CLIENT.equals(key.caller())) {
            return key.service().equals("kinesis") && key.operation().startsWith("PutRecord") ? Use.PIPELINE
                : Use.MEASUREMENT;
        }
        if (key.service().equals("dynamodbstreams")
            || (key.service().equals("kinesis") && KINESIS_READS.contains(key.operation()))) {
            return Use.UNBILLED_POLLING;
        }
        return Use.PIPELINE;
    }

    /** The price item a call is billed under, or {@code null} when it is not billed per call. */
    static String item(CallKey key) {
        String operation = key.operation();
        return switch (key.service()) {
            case "kinesis" -> operation.startsWith("PutRecord") ? "kinesis.putPayloadUnit" : null;
            case "dynamodb" -> DYNAMODB_WRITES.contains(operation) ? "dynamodb.writeRequestUnit"
                : DYNAMODB_READS.contains(operation) ? "dynamodb.readRequestUnit" : null;
            case "dynamodbstreams" -> operation.equals("GetRecords") ? "dynamodb.streams.readRequestUnit" : null;
            case "sns" -> operation.equals("Publish:sms") ? "sns.sms.za" : operation.startsWith("Publish")
                ? "sns.publish" : null;
            case "sqs" -> "sqs.request";
            case "sesv2", "ses" -> operation.startsWith("SendEmail") ? "ses.email" : null;
            default -> null;
        };
    }

    /** Calls per event by service, for the calls of one use. */
    public static Map<String, Double> callsPerEvent(CallCounts calls, Use use, long events) {
        Map<String, Double> perService = new TreeMap<>();
        for (CallCounts.Row row : calls.rows()) {
            if (use(row.key()) == use) {
                perService.merge(row.key().service(), (double) row.attempts(), Double::sum);
            }
        }
        perService.replaceAll((service, count) -> events == 0 ? 0 : count / events);
        return perService;
    }

    /** The projected bill per million events, line by line. */
    public static List<Line> lines(Inputs inputs, Prices prices) {
        Map<String, Double> units = new LinkedHashMap<>();
        Map<String, String> basis = new LinkedHashMap<>();
        double functionCallSeconds = 0;
        for (CallCounts.Row row : inputs.calls().rows()) {
            if (use(row.key()) != Use.PIPELINE) {
                continue;
            }
            String item = item(row.key());
            if (item != null) {
                units.merge(item, row.units(), Double::sum);
                basis.putIfAbsent(item, "counted by the SDK interceptor from each call's request and response");
            }
            if (Caller.isFunction(row.key().caller())) {
                functionCallSeconds += row.nanos() / 1e9;
            }
        }
        if (inputs.apiRequests() > 0) {
            units.put("apigateway.rest.request", (double) inputs.apiRequests());
            basis.put("apigateway.rest.request", "HTTP requests the load made, retries included");
            double seconds = Math.max(1, inputs.runSeconds());
            double traces = Math.min(inputs.apiRequests(), seconds)
                + inputs.xraySampledShare() * Math.max(0, inputs.apiRequests() - seconds);
            units.put("xray.traceRecorded", traces);
            basis.put("xray.traceRecorded", "X-Ray sampling: the first request each second and "
                + Math.round(inputs.xraySampledShare() * 100) + " % of the rest");
        }
        if (!inputs.invocations().isEmpty()) {
            long invocations = inputs.invocations().values().stream().mapToLong(Long::longValue).sum();
            units.put("lambda.request", (double) invocations);
            basis.put("lambda.request", "invocations the local runtime counted " + inputs.invocations());
        }
        if (functionCallSeconds > 0) {
            units.put("lambda.gbSecond.arm64", functionCallSeconds * inputs.lambdaMemoryMb() / 1024.0);
            basis.put("lambda.gbSecond.arm64", "indication only: time the functions spent waiting on AWS calls ×"
                + " " + inputs.lambdaMemoryMb() + " MB; against the emulator calls are slower than on AWS, and CPU"
                + " time is not included");
        }
        if (inputs.logBytes() >= 0) {
            units.put("cloudwatch.logs.ingestedGb", inputs.logBytes() / (1024.0 * 1024 * 1024));
            basis.put("cloudwatch.logs.ingestedGb", "bytes the functions logged (JSON lines and EMF metrics)");
        }
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<String, Double> entry : units.entrySet()) {
            Prices.Item item = prices.item(entry.getKey());
            double perEvent = inputs.events() == 0 ? 0 : entry.getValue() / inputs.events();
            Map<String, Double> cost = new LinkedHashMap<>();
            for (String region : prices.regions()) {
                Double unit = item.unitPrice(region);
                cost.put(region, unit == null ? null : unit * perEvent * 1_000_000);
            }
            lines.add(new Line(item.id(), item.service(), item.description(), perEvent, basis.get(entry.getKey()),
                cost));
        }
        return lines;
    }

    /**
     * What the stream's shards cost per million events when the pipeline runs at {@code eventsPerSecond} all the
     * time (shard-hours and extended retention), by region; {@code null} where a price is unknown.
     */
    public static Map<String, Double> shardHoursPerMillion(Prices prices, int shards, double eventsPerSecond) {
        Map<String, Double> cost = new LinkedHashMap<>();
        for (String region : prices.regions()) {
            Double hour = prices.item("kinesis.shardHour").unitPrice(region);
            Double retention = prices.item("kinesis.extendedRetention.shardHour").unitPrice(region);
            cost.put(region, hour == null || retention == null || eventsPerSecond <= 0 ? null
                : shards * (hour + retention) / (eventsPerSecond * 3600) * 1_000_000);
        }
        return cost;
    }

    public static ObjectNode toJson(Inputs inputs, Prices prices, double eventsPerSecond) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("events", inputs.events());
        ObjectNode calls = root.putObject("callsPerEvent");
        for (Use use : Use.values()) {
            ObjectNode byService = calls.putObject(use.name().toLowerCase(Locale.ROOT));
            callsPerEvent(inputs.calls(), use, inputs.events()).forEach(byService::put);
        }
        List<Line> lines = lines(inputs, prices);
        ArrayNode array = root.putArray("perMillionEvents");
        Map<String, Double> totals = new LinkedHashMap<>();
        Map<String, List<String>> unpriced = new LinkedHashMap<>();
        prices.regions().forEach(region -> {
            totals.put(region, 0.0);
            unpriced.put(region, new ArrayList<>());
        });
        for (Line line : lines) {
            ObjectNode node = array.addObject();
            node.put("item", line.item());
            node.put("service", line.service());
            node.put("description", line.description());
            node.put("unitsPerEvent", line.unitsPerEvent());
            node.put("basis", line.basis());
            ObjectNode cost = node.putObject("usd");
            line.perMillionEvents().forEach((region, value) -> {
                if (value == null) {
                    cost.putNull(region);
                    unpriced.get(region).add(line.item());
                } else {
                    cost.put(region, value);
                    totals.merge(region, value, Double::sum);
                }
            });
        }
        ObjectNode total = root.putObject("totalPerMillionEventsUsd");
        totals.forEach(total::put);
        ObjectNode missing = root.putObject("unpriced");
        unpriced.forEach((region, items) -> missing.set(region, MAPPER.valueToTree(items)));
        ObjectNode shards = root.putObject("shardHoursPerMillionEventsUsd");
        shards.put("shards", inputs.shards());
        shards.put("atEventsPerSecond", eventsPerSecond);
        shardHoursPerMillion(prices, inputs.shards(), eventsPerSecond).forEach((region, value) -> {
            if (value == null) {
                shards.putNull(region);
            } else {
                shards.put(region, value);
            }
        });
        ObjectNode source = root.putObject("prices");
        source.put("file", prices.origin());
        source.put("asOf", prices.asOf());
        source.put("checked", prices.checked());
        source.put("warning", prices.warning());
        return root;
    }
}
