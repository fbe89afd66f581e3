package za.co.personalisation.local.esm;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.log.JsonLog;

/**
 * An SQS event source mapping: long-poll up to BatchSize messages (within the batching window), invoke, delete
 * what succeeded. A function error leaves the whole batch on the queue; a partial batch response leaves only the
 * failed messages (an unknown or empty identifier fails the whole batch). Messages left on the queue come back
 * after the visibility timeout and, past the queue's maxReceiveCount, the queue's redrive policy moves them to
 * its dead-letter queue, exactly as in AWS (the emulator implements redrive). Messages that match none of the
 * FilterCriteria are deleted without an invocation and counted, as Lambda does.
 *
 * <p>Several pollers read the queue at once, each invoking its own execution environment, as Lambda's SQS
 * mapping does: as many as ScalingConfig's MaximumConcurrency allows ({@link EventSourceSettings#pollers}). So
 * two invocations can hold messages of the same customer, or two copies of one message, at the same time.
 */
public final class SqsEventSource implements EventSource {

    private final EventSourceSettings settings;
    private final LocalFunction function;
    private final SqsClient sqs;
    private final String region;
    private final JsonLog log;
    private final String queueUrl;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int pollers;
    private final List<Thread> threads = new ArrayList<>();

    /** One poller. */
    public SqsEventSource(EventSourceSettings settings, LocalFunction function, SqsClient sqs, String region,
        Clock clock, JsonLog log) {
        this(settings, 1, function, sqs, region, clock, log);
    }

    /** {@code pollers} concurrent pollers, each with its own execution environment. */
    public SqsEventSource(EventSourceSettings settings, int pollers, LocalFunction function, SqsClient sqs,
        String region, Clock clock, JsonLog log) {
        if (pollers < 1) {
            throw new IllegalArgumentException("an SQS mapping needs at least one poller; got " + pollers);
        }
        this.pollers = pollers;
        this.settings = settings;
        this.function = function;
        this.sqs = sqs;
        this.region = region;
        this.log = log;
        String name = settings.sourceArn().substring(settings.sourceArn().lastIndexOf(':') + 1);
        this.queueUrl = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    @Override
    public void start() {
        running.set(true);
        for (int i = 0; i < pollers; i++) {
            Thread thread = new Thread(this::poll, "esm-" + function.definition().logicalId() + "-"
                + queueUrl.substring(queueUrl.lastIndexOf('/') + 1) + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void poll() {
        LocalFunction.Instance instance = function.newInstance();
        while (running.get()) {
            try {
                List<Message> received = receive();
                List<Message> batch = new ArrayList<>();
                List<Message> dropped = new ArrayList<>();
                for (Message message : received) {
                    boolean wanted = settings.filters().isEmpty()
                        || settings.filters().matches(RecordViews.sqs(message, settings.sourceArn(), region));
                    (wanted ? batch : dropped).add(message);
                }
                // Lambda deletes messages that match no filter (Lambda developer guide, SQS event filtering).
                delete(dropped);
                filtered.addAndGet(dropped.size());
                if (batch.isEmpty()) {
                    continue;
                }
                inFlight.addAndGet(batch.size());
                try {
                    Set<String> failed = invoke(instance, batch);
                    delete(batch.stream().filter(message -> !failed.contains(message.messageId())).toList());
                } finally {
                    inFlight.addAndGet(-batch.size());
                }
                delivered.addAndGet(batch.size());
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                log.warn("esm.poll_failed").with("function", function.definition().logicalId()).error(e).log();
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Message message : messages.subList(from, Math.min(messages.size(), from + 10))) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                    .receiptHandle(message.receiptHandle()).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }
    }

    private List<Message> receive() {
        List<Message> batch = new ArrayList<>();
        long windowEnds = System.nanoTime() + settings.batchingWindow().toNanos();
        do {
            int wanted = Math.min(10, settings.batchSize() - batch.size());
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(wanted)
                .waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
            batch.addAll(received);
            if (received.isEmpty() && !batch.isEmpty()) {
                break;
            }
        } while (running.get() && batch.size() < settings.batchSize() && System.nanoTime() < windowEnds);
        return batch;
    }

    private Set<String> invoke(LocalFunction.Instance instance, List<Message> batch) {
        Set<String> all = new HashSet<>();
        batch.forEach(message -> all.add(message.messageId()));
        Object response;
        try {
            response = instance.invoke(EventConverters.sqs(batch, settings.sourceArn(), region));
        } catch (RuntimeException e) {
            log.warn("esm.function_error").with("function", function.definition().logicalId()).error(e).log();
            return all;
        }
        if (!settings.reportBatchItemFailures() || !(response instanceof SQSBatchResponse partial)
            || partial.getBatchItemFailures() == null) {
            return Set.of();
        }
        Set<String> failed = new HashSet<>();
        for (SQSBatchResponse.BatchItemFailure failure : partial.getBatchItemFailures()) {
            String id = failure.getItemIdentifier();
            if (id == null || id.isEmpty() || !all.contains(id)) {
                return all;
            }
            failed.add(id);
        }
        return failed;
    }

    @Override
    public String describe() {
        return function.definition().logicalId() + " <- SQS " + queueUrl.substring(queueUrl.lastIndexOf('/') + 1)
            + " (" + pollers + " pollers): " + delivered() + " messages"
            + (filtered() > 0 ? ", " + filtered() + " filtered out" : "");
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public long filtered() {
        return filtered.get();
    }

    @Override
    public long inFlight() {
        return inFlight.get();
    }

    /** Messages waiting in the queue (ApproximateNumberOfMessages), for the console. */
    public long queued() {
        String value = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public void close() {
        running.set(false);
        threads.forEach(Thread::interrupt);
    }
}
