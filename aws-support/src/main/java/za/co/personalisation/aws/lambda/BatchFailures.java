package za.co.personalisation.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects the identifiers of records that failed in a batch (thread-safe, so records may be processed in
 * parallel) and turns them into the partial batch response Lambda expects with
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]}.
 *
 * <p>For streams, Lambda checkpoints at the lowest failed sequence number and retries from there, so a stream
 * handler must report the first failed record of every partition it could not finish, and all later ones.
 */
public final class BatchFailures {

    private final ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();

    public void fail(String itemIdentifier) {
        if (itemIdentifier == null || itemIdentifier.isEmpty()) {
            throw new IllegalArgumentException("a failed item needs its sequence number or message id");
        }
        failed.add(itemIdentifier);
    }

    public boolean isEmpty() {
        return failed.isEmpty();
    }

    public List<String> identifiers() {
        return List.copyOf(failed);
    }

    public StreamsEventResponse streamsResponse() {
        List<StreamsEventResponse.BatchItemFailure> items = new ArrayList<>();
        for (String id : failed) {
            items.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(items).build();
    }

    public SQSBatchResponse sqsResponse() {
        List<SQSBatchResponse.BatchItemFailure> items = new ArrayList<>();
        for (String id : failed) {
            items.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(items).build();
    }
}
