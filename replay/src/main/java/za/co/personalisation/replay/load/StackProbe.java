package za.co.personalisation.replay.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Small readings of the stack around a run: failure queue depths, the local runtime's counters, profiles. */
public final class StackProbe {

    /** An event that is only checked in its profile when fewer than this many customers need checking. */
    static final int MAX_PROFILE_CHECKS = 20_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StackProbe() {
    }

    /** Messages in each failure queue (visible and in flight); queues that do not exist are left out. */
    public static Map<String, Long> queueDepths(SqsClient sqs, List<String> queues) {
        Map<String, Long> depths = new LinkedHashMap<>();
        for (String queue : queues) {
            try {
                String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                depths.put(queue, Long.parseLong(attributes.getOrDefault(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")) + Long.parseLong(attributes.getOrDefault(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")));
            } catch (SdkException e) {
                // not part of this stack
            }
        }
        return depths;
    }

    /**
     * The local runtime's invocation and error counts by function ({@code GET /local/status}), or an empty map
     * when the API is not the local runtime's.
     */
    public static Map<String, long[]> localInvocations(HttpClient http, URI apiBase) {
        Map<String, long[]> functions = new LinkedHashMap<>();
        String base = apiBase.toString().replaceAll("/+$", "");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/local/status"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return functions;
            }
            JsonNode root = MAPPER.readTree(response.body()).path("functions");
            root.properties().forEach(entry -> functions.put(entry.getKey(), new long[] {
                entry.getValue().path("invocations").asLong(), entry.getValue().path("errors").asLong()}));
        } catch (IOException | IllegalArgumentException e) {
            return functions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return functions;
    }

    /**
     * For accepted events the profile stream did not show being applied: reads their customers' profiles and marks
     * those whose profiles remember them as applied (at an unknown time).
     *
     * @return events checked this way, or -1 when there were too many customers to check
     */
    public static int verifyInProfiles(DynamoDbClient dynamoDb, String table, LoadPlan plan, EventTimes times) {
        ZipfSampler customers = plan.customers();
        Map<String, List<Integer>> unseen = new LinkedHashMap<>();
        for (int i = 0; i < times.size(); i++) {
            if (times.reached(EventTimes.Stage.ACCEPTED, i) && !times.reached(EventTimes.Stage.ENRICHED, i)) {
                unseen.computeIfAbsent(plan.event(i, customers).customerId(), id -> new ArrayList<>()).add(i);
            }
        }
        if (unseen.size() > MAX_PROFILE_CHECKS) {
            return -1;
        }
        int checked = 0;
        for (Map.Entry<String, List<Integer>> customer : unseen.entrySet()) {
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("customerId", AttributeValue.fromS(customer.getKey())))).item();
            Set<String> recent = new HashSet<>(ProfileChangeTail.ids(item == null ? Map.of() : item));
            for (int index : customer.getValue()) {
                checked++;
                if (recent.contains(plan.eventPrefix() + index)) {
                    times.appliedAtUnknownTime(index);
                }
            }
        }
        return checked;
    }

    /** Indexes of accepted events never seen applied. */
    public static Set<Integer> lost(EventTimes times) {
        Set<Integer> lost = new LinkedHashSet<>();
        for (int i = 0; i < times.size(); i++) {
            if (times.reached(EventTimes.Stage.ACCEPTED, i) && !times.reached(EventTimes.Stage.ENRICHED, i)) {
                lost.add(i);
            }
        }
        return lost;
    }
}
