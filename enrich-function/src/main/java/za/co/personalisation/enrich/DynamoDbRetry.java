package za.co.personalisation.enrich;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.retry.Backoff;
import za.co.personalisation.aws.retry.Jitter;
import za.co.personalisation.aws.retry.Sleeper;

/**
 * Retries transient DynamoDB failures (throttling, 5xx, I/O errors, transaction conflicts) with exponential
 * backoff and full jitter, within the invocation's deadline; everything else is thrown at once.
 *
 * <p>The enrich function's DynamoDB client is built with the SDK's own retries switched off
 * ({@link EnrichHandler#dynamoDb}) so that this is the one place retries happen: they are counted
 * ({@code WriteRetries}, {@code ReadRetries}) and bounded by the time the invocation has left.
 */
final class DynamoDbRetry {

    /** Cancellation reasons of a transaction that a later attempt can get past. */
    private static final Set<String> TRANSIENT_CANCELLATIONS = Set.of("ThrottlingError",
        "ProvisionedThroughputExceeded", "RequestLimitExceeded", "TransactionConflict", "InternalServerError");
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalServerError", "ServiceUnavailable",
        "TransactionInProgressException", "TransactionConflictException", "LimitExceededException");

    /** Whether a retry counts as a read or a write retry. */
    enum Kind { READ, WRITE }

    private final int maxAttempts;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final JsonLog log;

    /**
     * @param maxAttempts attempts per call, the first included
     * @param base        the first backoff's upper bound; it doubles per attempt
     * @param cap         the largest backoff
     */
    DynamoDbRetry(int maxAttempts, Duration base, Duration cap, Sleeper sleeper, JsonLog log) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("DYNAMODB_MAX_ATTEMPTS must be at least 1, not " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.backoff = new Backoff(base, cap);
        this.sleeper = sleeper;
        this.log = log;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Runs {@code call}, retrying transient failures.
     *
     * @param deadlineNanos {@link System#nanoTime()} after which no retry is started
     * @throws SdkException the last failure, when it was not transient, attempts ran out, or the deadline is near
     */
    <T> T call(Kind kind, Tally tally, long deadlineNanos, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (!isTransient(e) || !backoff(attempt, kind, tally, deadlineNanos)) {
                    throw e;
                }
                log.warn("dynamodb.retry").with("kind", kind.name()).with("attempt", attempt).error(e).log();
            }
        }
    }

    /**
     * Waits before attempt {@code attempt + 1}, when attempts and time allow; also for partial results such as
     * a batch call's unprocessed items.
     *
     * @return false when no further attempt should be made
     */
    boolean backoff(int attempt, Kind kind, Tally tally, long deadlineNanos) {
        if (attempt >= maxAttempts) {
            return false;
        }
        Duration pause = backoff.delay(attempt - 1, Jitter.source());
        if (System.nanoTime() + pause.toNanos() > deadlineNanos) {
            return false;
        }
        if (kind == Kind.WRITE) {
            tally.writeRetries++;
        } else {
            tally.readRetries++;
        }
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while backing off before a DynamoDB retry", e);
        }
        return true;
    }

    /** Throttling, a 5xx, an I/O failure, an attempt timeout, or a transaction cancelled only for such reasons. */
    static boolean isTransient(SdkException e) {
        if (e instanceof TransactionCanceledException cancelled) {
            boolean transientReason = false;
            for (CancellationReason reason : cancelled.cancellationReasons()) {
                String code = reason.code();
                if ("ConditionalCheckFailed".equals(code) || "ValidationError".equals(code)
                    || "ItemCollectionSizeLimitExceeded".equals(code)) {
                    return false;
                }
                transientReason |= code != null && TRANSIENT_CANCELLATIONS.contains(code);
            }
            return transientReason;
        }
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.isThrottlingException() || service.statusCode() >= 500
                || (code != null && TRANSIENT_CODES.contains(code));
        }
        return e instanceof ApiCallAttemptTimeoutException || e.getCause() instanceof IOException;
    }
}
