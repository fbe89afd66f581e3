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

    /** Counts requests by operation name, once per call (the SDK's retries are off for enrich's client). */
    static final class Counter implements ExecutionInterceptor {

        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                name -> new AtomicInteger()).incrementAndGet();
        }

        int count(String operation) {
            AtomicInteger count = calls.get(operation);
            return count == null ? 0 : count.get();
        }

        int writes() {
            int writes = 0;
            for (String operation : WRITES) {
                writes += count(operation);
            }
            return writes;
        }

        void reset() {
            calls.clear();
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
}
