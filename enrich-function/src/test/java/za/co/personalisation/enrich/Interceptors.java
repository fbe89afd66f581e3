package za.co.personalisation.enrich;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/** SDK interceptors for tests: count the calls a handler makes, or fail some of them as DynamoDB would. */
final class Interceptors {

    /** The operations that write to DynamoDB. */
    static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems",
        "BatchWriteItem");

    private Interceptors() {
    }

    /**
     * Counts requests by operation name, once per call (the SDK's own retries are off for enrich's client): those
     * that succeeded and those that failed, apart, because the emulator fails some calls made in parallel (see
     * {@link EnrichIdempotencyIT}) and the handler retries them.
     */
    static final class Counter implements ExecutionInterceptor {

        private final Map<String, AtomicInteger> succeeded = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            count(succeeded, attributes);
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            count(failed, attributes);
        }

        private static void count(Map<String, AtomicInteger> calls, ExecutionAttributes attributes) {
            calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                name -> new AtomicInteger()).incrementAndGet();
        }

        /** Calls of this operation that succeeded. */
        int count(String operation) {
            AtomicInteger count = succeeded.get(operation);
            return count == null ? 0 : count.get();
        }

        /** Write calls that succeeded. */
        int writes() {
            return sum(succeeded);
        }

        /** Write calls that failed (a conditional check, a throttle, an emulator error). */
        int failedWrites() {
            return sum(failed);
        }

        private static int sum(Map<String, AtomicInteger> calls) {
            int writes = 0;
            for (String operation : WRITES) {
                AtomicInteger count = calls.get(operation);
                writes += count == null ? 0 : count.get();
            }
            return writes;
        }

        @Override
        public String toString() {
            return "succeeded " + succeeded + ", failed " + failed;
        }

        void reset() {
            succeeded.clear();
            failed.clear();
        }
    }

    /**
     * Fails the first {@code failures} profile writes that match, before they are sent, with the exception DynamoDB
     * answers when a table is throttled (HTTP 400, ProvisionedThroughputExceededException); later ones reach the
     * emulator.
     */
    static final class Throttle implements ExecutionInterceptor {

        private final Predicate<SdkRequest> matches;
        private final AtomicInteger remaining;
        private final AtomicInteger thrown = new AtomicInteger();

        Throttle(int failures, Predicate<SdkRequest> matches) {
            this.remaining = new AtomicInteger(failures);
            this.matches = matches;
        }

        /** Profile writes (PutItem or the TransactWriteItems that creates a profile) for one customer. */
        static Throttle profileWrites(int failures, String customerId) {
            return new Throttle(failures, request -> customerId.equals(customerOf(request)));
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (matches.test(context.request()) && remaining.getAndDecrement() > 0) {
                thrown.incrementAndGet();
                throw ProvisionedThroughputExceededException.builder()
                    .statusCode(400)
                    .message("The level of configured provisioned throughput for the table was exceeded (test)")
                    .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException")
                        .serviceName("DynamoDb")
                        .build())
                    .build();
            }
        }

        int thrown() {
            return thrown.get();
        }

        /** The customer a profile write is for, or {@code null} for any other request. */
        static String customerOf(SdkRequest request) {
            if (request instanceof PutItemRequest put && put.item().containsKey("customerId")
                && put.item().containsKey("version")) {
                return put.item().get("customerId").s();
            }
            if (request instanceof TransactWriteItemsRequest transaction) {
                return transaction.transactItems().stream()
                    .filter(item -> item.put() != null && item.put().item().containsKey("version"))
                    .map(item -> item.put().item().get("customerId").s())
                    .findFirst().orElse(null);
            }
            return null;
        }
    }

    /**
     * Holds a handler between two of its calls: when the {@code nth} call of {@code operation} has completed, it
     * signals {@link #reached} and waits for {@link #release}. Lets a test put another invocation's write exactly
     * between this invocation's read and its write.
     */
    static final class PauseAfter implements ExecutionInterceptor {

        final java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        private final String operation;
        private final int nth;
        private final AtomicInteger seen = new AtomicInteger();

        PauseAfter(String operation, int nth) {
            this.operation = operation;
            this.nth = nth;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                && seen.incrementAndGet() == nth) {
                reached.countDown();
                try {
                    if (!release.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the paused invocation");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
