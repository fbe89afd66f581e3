package za.co.personalisation.replay.load;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import za.co.personalisation.aws.dynamodb.NotificationLedger;

/**
 * Reads the run's entries of the notification ledger (a Scan filtered on the run's customerId prefix: a load test
 * stack's ledger is small; on a large table this reads all of it once) and notes, for the event each entry credits,
 * when notify decided (createdAt) and, for entries that were sent, when deliver sent it (updatedAt).
 *
 * @param statuses     entries by status
 * @param unsettled    entries not finished: still pending, queued or sending ({@link #inMotion}), or waiting for a
 *                     time or a person: deferred, dead-lettered (until redriven) or unknown (until settled)
 * @param entries      all of the run's entries
 */
public record LedgerReadings(Map<String, Long> statuses, long unsettled, long entries) {

    public static LedgerReadings read(DynamoDbClient dynamoDb, String table, LoadPlan plan, EventTimes times) {
        Map<String, Long> statuses = new TreeMap<>();
        long unsettled = 0;
        long entries = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamoDb.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from)
                .filterExpression("begins_with(customerId, :prefix)")
                .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(plan.customerPrefix()))));
            for (Map<String, AttributeValue> item : page.items()) {
                entries++;
                String status = text(item, "status");
                statuses.merge(status, 1L, Long::sum);
                if (unsettled(status)) {
                    unsettled++;
                }
                int index = plan.indexOf(text(item, "eventId"));
                if (index < 0) {
                    continue;
                }
                times.reached(EventTimes.Stage.NOTIFIED, index, micros(text(item, "createdAt")));
                if (status.equals(NotificationLedger.SENT)) {
                    times.reached(EventTimes.Stage.DELIVERED, index, micros(text(item, "updatedAt")));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new LedgerReadings(statuses, unsettled, entries);
    }

    /** Whether an entry in {@code status} is not finished: neither sent, failed nor suppressed. */
    static boolean unsettled(String status) {
        return !status.equals(NotificationLedger.SENT) && !status.equals(NotificationLedger.FAILED)
            && !status.equals(NotificationLedger.SUPPRESSED);
    }

    /** Entries the pipeline is still moving by itself (pending, queued, sending): what a run waits for. */
    public long inMotion() {
        return statuses.getOrDefault(NotificationLedger.PENDING, 0L) + statuses.getOrDefault(NotificationLedger.QUEUED,
            0L) + statuses.getOrDefault(NotificationLedger.SENDING, 0L);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }

    private static long micros(String instant) {
        try {
            return EventTimes.micros(Instant.parse(instant));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
