package za.co.personalisation.chaos;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.LocalRuntime;
import za.co.personalisation.local.emulator.FaultProxy;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.replay.load.LoadPlan;
import za.co.personalisation.replay.load.StackNames;
import za.co.personalisation.replay.load.SyntheticCustomers;
import za.co.personalisation.replay.load.TrafficMix;

/**
 * One chaos run against a local stack whose functions reach the emulator through a {@link FaultProxy}: seeds the
 * synthetic customers, arms the faults, sends the events (duplicating some PutRecords), replays the stream with
 * shadow remapping, revokes consent while offers are queued, waits for the stack to settle, disarms, and reads the
 * accounting from the stack ({@link StackAccounting}).
 */
public final class ChaosRun {

    /** What was injected (the run's own counters: they show each fault fired, and count nothing else). */
    public record Injected(long throttled, long serverErrors, long droppedResponses, long delayed, long crashes,
        long timeouts, long duplicatePutRecords, long replayedRecords, long revocations) {

        String line() {
            return "chaos: faults injected: throttled " + throttled + ", 5xx " + serverErrors + ", responses dropped "
                + droppedResponses + ", delayed " + delayed + ", crashes " + crashes + ", timeouts during a send "
                + timeouts + ", duplicate PutRecords " + duplicatePutRecords + ", replayed records " + replayedRecords
                + ", revocations while queued " + revocations;
        }
    }

    /** The run's outcome. {@code drained} false: the stack had not settled when the drain timed out. */
    public record Result(StackAccounting.Accounting accounting, Injected injected, int deliverPeakConcurrency,
        boolean drained, Duration took, List<Revocation> revocations) {
    }

    private ChaosRun() {
    }

    /**
     * Runs against {@code runtime}, whose functions were started with {@code proxy} as their endpoint; tools talk to
     * {@code moto} directly.
     */
    public static Result run(LocalRuntime runtime, MotoServer moto, FaultProxy proxy, ChaosSettings settings,
        PrintStream out) throws InterruptedException {
        long started = System.nanoTime();
        AwsClients clients = new AwsClients(Settings.of(Map.of(AwsClients.ENDPOINT_URL, moto.endpoint().toString(),
            "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY)));
        DynamoDbClient dynamoDb = clients.dynamoDb();
        String stage = "local";
        StackNames names = new StackNames(stage, runtime.ref("InterestEventsStream"), runtime.ref("ProfilesTable"),
            runtime.ref("ContactsTable"), runtime.ref("OffersTable"), runtime.ref("NotificationsTable"), "",
            List.of());
        TrafficMix mix = new TrafficMix(TrafficMix.catalogInterests(dynamoDb, names.offersTable()),
            TrafficMix.gazetteerCities(), TrafficMix.Shares.defaults(), settings.seed());
        List<String> samples = runtime.seededCustomers();
        // the population: the sample customers are the most active ranks, then synthetic customers, half reachable
        int population = Math.max(samples.size() + 50, settings.events() / 5);
        LoadPlan plan = new LoadPlan("chaos", settings.rate(), settings.events(), population, 1.0, settings.seed(),
            0.5, mix);
        SyntheticCustomers.Seeded seeded = SyntheticCustomers.seed(dynamoDb, names, plan, true, Instant.now());
        out.printf("chaos: %d events over %d customers (%d sample customers, %d synthetic made reachable)%n",
            settings.events(), seeded.customers(), samples.size(), seeded.reachable());
        settings.describe().forEach(line -> out.println("chaos: " + line));

        arm(proxy, settings);
        ChaosTraffic traffic = new ChaosTraffic(clients.kinesis(), names.stream(), plan, samples);
        boolean drained;
        List<Revocation> revocations;
        try (Revoker revoker = new Revoker(dynamoDb, names.notificationsTable(),
            URI.create("http://127.0.0.1:" + runtime.port()), settings.revokeRate(), settings.seed())) {
            revoker.start();
            traffic.send(settings.duplicateRate());
            out.printf("chaos: %d events sent in %d s; replaying the stream %d times as shadow customers%n",
                settings.events(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), settings.replays());
            traffic.replay(settings.replays());
            drained = drain(runtime, clients.sqs(), dynamoDb, names.notificationsTable(), settings.drainTimeout(), out);
            revoker.close();
            revocations = revoker.revocations();
            if (!revoker.problem().isEmpty()) {
                out.println("chaos: the revoker last met: " + revoker.problem());
            }
            Injected injected = new Injected(proxy.count(FaultProxy.Fault.THROTTLE),
                proxy.count(FaultProxy.Fault.SERVER_ERROR), proxy.count(FaultProxy.Fault.DROP_RESPONSE),
                proxy.count(FaultProxy.Fault.LATENCY), InvocationFaults.crashes(), InvocationFaults.timeouts(),
                traffic.duplicateBatches(), traffic.replayedRecords(), revoker.revoked());
            disarm(proxy);
            StackAccounting accounting = new StackAccounting(dynamoDb, clients.sqs(), clients.kinesis(),
                new StackAccounting.Names(names.profilesTable(), names.contactsTable(), names.notificationsTable(),
                    names.stream(), runtime.ref("FailedEventsQueue"), runtime.ref("EnrichFailureQueue"),
                    runtime.ref("NotifyFailureQueue"), runtime.ref("DeliveryDeadLetterQueue")));
            StackAccounting.Accounting figures = null;
            for (int attempt = 1; figures == null; attempt++) {
                try {
                    figures = accounting.read(traffic.live(), traffic.shadow(), moto.outboxJson(), revocations);
                } catch (SdkException e) {
                    if (attempt == 5) {
                        throw e;
                    }
                    out.println("chaos: reading the stack failed (" + e.getMessage() + "); reading it again");
                }
            }
            int peak = deliverPeak(runtime);
            return new Result(figures, injected, peak, drained, Duration.ofNanos(System.nanoTime() - started),
                revocations);
        } finally {
            disarm(proxy);
        }
    }

    private static void arm(FaultProxy proxy, ChaosSettings settings) {
        // One draw per call: the rules are tried in order, each on its share of what is left.
        double left = 1;
        double[] rates = {settings.throttleRate(), settings.serverErrorRate(), settings.dropRate(),
            settings.latencyRate()};
        FaultProxy.Fault[] faults = {FaultProxy.Fault.THROTTLE, FaultProxy.Fault.SERVER_ERROR,
            FaultProxy.Fault.DROP_RESPONSE, FaultProxy.Fault.LATENCY};
        for (int i = 0; i < faults.length; i++) {
            double conditional = left <= 0 ? 0 : Math.min(1, rates[i] / left);
            proxy.injectAtRate(call -> true, faults[i], conditional);
            left -= rates[i];
        }
        InvocationFaults.arm(settings.crashRate(), settings.timeoutRate(), settings.maxTimeouts());
    }

    private static void disarm(FaultProxy proxy) {
        InvocationFaults.disarm();
        proxy.clearRules();
    }

    /**
     * Waits until the stack has settled: nothing in flight in any function or poller, the delivery queues without
     * visible or in-flight messages, and no ledger entry pending, queued or sending, three times in a row.
     */
    private static boolean drain(LocalRuntime runtime, SqsClient sqs, DynamoDbClient dynamoDb, String ledger,
        Duration timeout, PrintStream out) throws InterruptedException {
        long drainStarted = System.nanoTime();
        long deadline = drainStarted + timeout.toNanos();
        int quiet = 0;
        long lastReport = 0;
        while (System.nanoTime() < deadline) {
            Map<String, Long> running = inFlight(runtime);
            long inFlight = running.values().stream().mapToLong(Long::longValue).sum();
            long queued;
            Map<String, Integer> statuses = Map.of();
            boolean report = System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos();
            try {
                queued = queueDepth(sqs, runtime.ref("SmsQueue")) + queueDepth(sqs, runtime.ref("EmailQueue"));
                // the ledger is read whole, in pages: only when it can be settled, or for the progress line, so
                // a long drain over a large ledger does not keep the emulator busy with it
                if (inFlight == 0 && queued == 0 || report) {
                    statuses = ledgerStatuses(dynamoDb, ledger);
                }
            } catch (SdkException e) {
                // the emulator is slow to answer (a loaded machine): look again
                quiet = 0;
                Thread.sleep(2_000);
                continue;
            }
            int unsettled = StackAccounting.unsettled(statuses);
            quiet = inFlight == 0 && queued == 0 && unsettled == 0 ? quiet + 1 : 0;
            if (quiet >= 3) {
                return true;
            }
            if (report) {
                lastReport = System.nanoTime();
                out.printf("chaos: draining (%d s): in flight %s, %d in the delivery queues, ledger %s%n",
                    Duration.ofNanos(System.nanoTime() - drainStarted).toSeconds(), running, queued, statuses);
            }
            Thread.sleep(2_000);
        }
        out.println("chaos: the stack did not settle within " + timeout.toMinutes() + " minutes");
        return false;
    }

    /** What is in flight, by function (records behind in a stream, messages in a queue, running invocations). */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> inFlight(LocalRuntime runtime) {
        Map<String, Long> byFunction = new TreeMap<>();
        ((Map<String, Object>) runtime.status().get("inFlight")).forEach((function, value) ->
            byFunction.put(function, ((Number) value).longValue()));
        return byFunction;
    }

    @SuppressWarnings("unchecked")
    private static int deliverPeak(LocalRuntime runtime) {
        Map<String, Object> functions = (Map<String, Object>) runtime.status().get("functions");
        Map<String, Object> deliver = (Map<String, Object>) functions.get("DeliverFunction");
        return deliver == null ? 0 : ((Number) deliver.get("peakConcurrency")).intValue();
    }

    private static long queueDepth(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
            + Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                "0"));
    }

    private static Map<String, Integer> ledgerStatuses(DynamoDbClient dynamoDb, String table) {
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(b -> b.tableName(table).limit(200).exclusiveStartKey(from)
                .projectionExpression("#status, notificationKey")
                .expressionAttributeNames(Map.of("#status", "status")));
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue key = item.get("notificationKey");
                AttributeValue status = item.get("status");
                if (status != null && (key == null || !key.s().startsWith("cap#"))) {
                    statuses.merge(status.s(), 1, Integer::sum);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return statuses;
    }
}
