package za.co.personalisation.local.esm;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * ParallelizationFactor as the Lambda developer guide describes it for Kinesis and DynamoDB Streams ("Polling and
 * batching streams": "process up to 10 batches in each shard simultaneously … Lambda still ensures in-order
 * processing at the partition key level"; for DynamoDB at the item level). Records are "key:n"; the key is the
 * part before the colon.
 */
class ShardLanesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final List<String> invocations = Collections.synchronizedList(new ArrayList<>());
    private final Set<Object> handlers = Collections.synchronizedSet(Collections.newSetFromMap(
        new IdentityHashMap<>()));
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    @Test
    void process_withFactorTwo_runsTwoKeysConcurrently_onSeparateInstances_inOrderPerKey() throws Exception {
        // "a" and "b" hash to different lanes of two; every invocation waits (bounded) until the other lane is busy
        assertThat(ShardLanes.lane("a", 2)).isNotEqualTo(ShardLanes.lane("b", 2));
        CountDownLatch bothBusy = new CountDownLatch(2);

        lanes(2, 1, batch -> {
            bothBusy.countDown();
            bothBusy.await(20, TimeUnit.SECONDS);
        }).process(List.of("a:1", "b:1", "a:2", "b:2", "a:3", "b:3"));

        assertThat(maxConcurrent.get()).as("two batches of the shard in flight at once").isEqualTo(2);
        assertThat(handlers).as("one handler instance per concurrent execution").hasSize(2);
        assertThat(perKey()).containsEntry("a", List.of("a:1", "a:2", "a:3"))
            .containsEntry("b", List.of("b:1", "b:2", "b:3"));
    }

    @Test
    void process_withFactorOne_keepsTheShardsSequenceOrder_oneBatchAtATime() throws Exception {
        lanes(1, 2, batch -> { }).process(List.of("a:1", "b:1", "a:2", "c:1", "b:2"));

        assertThat(invocations).containsExactly("a:1,b:1", "a:2,c:1", "b:2");
        assertThat(maxConcurrent.get()).isEqualTo(1);
        assertThat(handlers).hasSize(1);
    }

    @Test
    void process_batchesPerLaneAreAtMostBatchSize_andAKeyNeverSpansTwoLanes() throws Exception {
        List<String> round = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            round.add("k" + (i % 7) + ":" + i);
        }

        lanes(4, 3, batch -> { }).process(round);

        Map<String, Set<Integer>> lanesOfKey = new LinkedHashMap<>();
        for (String batch : invocations) {
            String[] records = batch.split(",");
            assertThat(records.length).isLessThanOrEqualTo(3);
            for (String record : records) {
                lanesOfKey.computeIfAbsent(record.split(":")[0], k -> new java.util.HashSet<>())
                    .add(ShardLanes.lane(record.split(":")[0], 4));
            }
        }
        assertThat(lanesOfKey.values()).allSatisfy(lanes -> assertThat(lanes).hasSize(1));
        perKey().forEach((key, records) -> assertThat(records).isSortedAccordingTo(
            (x, y) -> Integer.compare(Integer.parseInt(x.split(":")[1]), Integer.parseInt(y.split(":")[1]))));
        assertThat(invocations.stream().mapToInt(batch -> batch.split(",").length).sum()).isEqualTo(30);
    }

    /** What the fake function does with a batch, besides recording it. */
    @FunctionalInterface
    private interface Body {
        void run(List<String> batch) throws InterruptedException;
    }

    private ShardLanes<String> lanes(int factor, int batchSize, Body body) {
        EventSourceSettings settings = new EventSourceSettings("arn", batchSize, Duration.ZERO, "TRIM_HORIZON",
            false, 0, null, null, true, factor);
        FunctionDefinition definition = new FunctionDefinition("TestFunction", "test", "x.Handler::handleRequest", "",
            128, Duration.ofSeconds(60), Map.of(), List.of());
        LocalFunction function = new LocalFunction(definition, "arn:aws:lambda:af-south-1:123456789012:function:test",
            () -> {
                RequestHandler<Object, Object> handler = new RequestHandler<>() {
                    @Override
                    public Object handleRequest(Object event, com.amazonaws.services.lambda.runtime.Context context) {
                        handlers.add(this);
                        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                        try {
                            @SuppressWarnings("unchecked")
                            List<String> batch = (List<String>) event;
                            invocations.add(String.join(",", batch));
                            body.run(batch);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            concurrent.decrementAndGet();
                        }
                        return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
                    }
                };
                return handler;
            });
        StreamBatchRunner.Adapter<String> adapter = new StreamBatchRunner.Adapter<>() {
            @Override
            public String sequenceNumber(String record) {
                return record;
            }

            @Override
            public Instant arrival(String record) {
                return NOW;
            }

            @Override
            public Object event(List<String> batch) {
                return batch;
            }

            @Override
            public void discard(List<String> batch, String condition, int retries, String lastError) {
            }
        };
        return new ShardLanes<>(settings, function, adapter, record -> record.split(":")[0],
            Clock.fixed(NOW, ZoneOffset.UTC), duration -> { }, "test-lane");
    }

    private Map<String, List<String>> perKey() {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        synchronized (invocations) {
            for (String batch : invocations) {
                for (String record : batch.split(",")) {
                    byKey.computeIfAbsent(record.split(":")[0], k -> new ArrayList<>()).add(record);
                }
            }
        }
        return byKey;
    }
}
