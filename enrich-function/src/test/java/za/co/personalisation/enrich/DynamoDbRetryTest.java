package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import za.co.personalisation.aws.log.JsonLog;

/** Which failures are retried, how often, and within what time: pure logic, the calls are stand-ins. */
class DynamoDbRetryTest {

    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private final DynamoDbRetry retry = new DynamoDbRetry(4, Duration.ofMillis(50), Duration.ofMillis(120),
        pauses::add, new JsonLog("enrich-test", lines::add, Clock.systemUTC()));
    private final Tally tally = new Tally();

    @Test
    void call_whenThrottledThenAnswered_retriesWithGrowingCappedBackoff() {
        AtomicInteger calls = new AtomicInteger();

        String answer = retry.call(DynamoDbRetry.Kind.WRITE, tally, Long.MAX_VALUE, () -> {
            if (calls.incrementAndGet() < 4) {
                throw throttled();
            }
            return "ok";
        });

        assertThat(answer).isEqualTo("ok");
        assertThat(tally.writeRetries).isEqualTo(3);
        assertThat(tally.readRetries).isZero();
        // full jitter: each pause lies between 0 and min(cap, base * 2^(attempt-1))
        assertThat(pauses).hasSize(3);
        assertThat(pauses.get(0)).isLessThanOrEqualTo(Duration.ofMillis(50));
        assertThat(pauses.get(1)).isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(pauses.get(2)).isLessThanOrEqualTo(Duration.ofMillis(120));
        assertThat(lines).hasSize(3).allMatch(line -> line.contains("\"message\":\"dynamodb.retry\""));
    }

    @Test
    void call_whenThrottledOnEveryAttempt_throwsTheLastFailureAfterMaxAttempts() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(DynamoDbRetry.Kind.READ, tally, Long.MAX_VALUE, () -> {
            calls.incrementAndGet();
            throw throttled();
        })).isInstanceOf(ProvisionedThroughputExceededException.class);

        assertThat(calls).hasValue(4);
        assertThat(tally.readRetries).isEqualTo(3);
    }

    @Test
    void call_whenTheDeadlineIsNear_doesNotStartARetry() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(DynamoDbRetry.Kind.WRITE, tally, System.nanoTime(), () -> {
            calls.incrementAndGet();
            throw throttled();
        })).isInstanceOf(ProvisionedThroughputExceededException.class);

        assertThat(calls).hasValue(1);
    }

    @Test
    void call_conditionalCheckFailure_isNotRetried() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(DynamoDbRetry.Kind.WRITE, tally, Long.MAX_VALUE, () -> {
            calls.incrementAndGet();
            throw ConditionalCheckFailedException.builder().message("version").build();
        })).isInstanceOf(ConditionalCheckFailedException.class);

        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void isTransient_throttling5xxIoAndTransactionConflicts_butNotConditionsOrValidation() {
        assertThat(DynamoDbRetry.isTransient(throttled())).isTrue();
        assertThat(DynamoDbRetry.isTransient(service(500, "InternalServerError"))).isTrue();
        assertThat(DynamoDbRetry.isTransient(service(400, "ThrottlingException"))).isTrue();
        assertThat(DynamoDbRetry.isTransient(service(400, "RequestLimitExceeded"))).isTrue();
        assertThat(DynamoDbRetry.isTransient(service(400, "ValidationException"))).isFalse();
        assertThat(DynamoDbRetry.isTransient(service(400, "ResourceNotFoundException"))).isFalse();
        assertThat(DynamoDbRetry.isTransient(SdkClientException.create("reset", new IOException("reset")))).isTrue();
        assertThat(DynamoDbRetry.isTransient(SdkClientException.create("cannot marshal"))).isFalse();
        assertThat(DynamoDbRetry.isTransient(cancelled("None", "TransactionConflict"))).isTrue();
        assertThat(DynamoDbRetry.isTransient(cancelled("ThrottlingError", "None"))).isTrue();
        assertThat(DynamoDbRetry.isTransient(cancelled("ConditionalCheckFailed", "ThrottlingError"))).isFalse();
        assertThat(DynamoDbRetry.isTransient(cancelled("None", "ValidationError"))).isFalse();
    }

    @Test
    void constructor_refusesFewerThanOneAttempt() {
        assertThatThrownBy(() -> new DynamoDbRetry(0, Duration.ofMillis(1), Duration.ofMillis(1), pauses::add,
            new JsonLog("t", lines::add, Clock.systemUTC())))
            .hasMessageContaining("DYNAMODB_MAX_ATTEMPTS");
    }

    private static ProvisionedThroughputExceededException throttled() {
        return (ProvisionedThroughputExceededException) ProvisionedThroughputExceededException.builder()
            .statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("ProvisionedThroughputExceededException").build()).build();
    }

    private static SdkException service(int status, String code) {
        return DynamoDbException.builder().statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    private static SdkException cancelled(String... codes) {
        List<CancellationReason> reasons = new ArrayList<>();
        for (String code : codes) {
            reasons.add(CancellationReason.builder().code(code).build());
        }
        return TransactionCanceledException.builder().statusCode(400).cancellationReasons(reasons)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build()).build();
    }
}
