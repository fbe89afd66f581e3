package za.co.personalisation.aws.clients;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import za.co.personalisation.aws.log.PersonalData;

/**
 * Takes phone numbers and email addresses out of every exception an AWS call raises, before anyone sees it.
 *
 * <p>The SDK runs every interceptor's {@code modifyException} before any interceptor's {@code onExecutionFailure},
 * and throws the modified exception to the caller. So X-Ray's {@code TracingInterceptor} records the scrubbed
 * exception in the call's subsegment, and the function's logs and dead-letter reasons start from scrubbed text.
 * The exception keeps its type, status code, error code and request id (what the code decides on); its message and
 * the error details' message are scrubbed, and the raw response body (which repeats them) is dropped. The retries'
 * suppressed exceptions ("Request attempt 1 failure: ...") are not carried over. An exception with nothing to scrub
 * (the everyday {@code ConditionalCheckFailedException}) is passed on untouched.
 */
public final class ScrubbingInterceptor implements ExecutionInterceptor {

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        return scrub(context.exception());
    }

    /** {@code failure} with its message scrubbed; the same object when there was nothing to scrub. */
    static Throwable scrub(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            AwsErrorDetails details = service.awsErrorDetails();
            String message = details == null ? service.getMessage() : details.errorMessage();
            boolean raw = details != null && details.rawResponse() != null
                && PersonalData.contains(details.rawResponse().asUtf8String());
            if (!PersonalData.contains(message) && !raw) {
                return failure;
            }
            AwsServiceException.Builder copy = service.toBuilder().message(PersonalData.scrub(message));
            if (details != null) {
                copy.awsErrorDetails(details.toBuilder().errorMessage(PersonalData.scrub(details.errorMessage()))
                    .rawResponse(null).build());
            }
            return withStackOf(copy.build(), failure);
        }
        if (failure instanceof SdkException sdk && PersonalData.contains(sdk.getMessage())) {
            return withStackOf(sdk.toBuilder().message(PersonalData.scrub(sdk.getMessage())).build(), failure);
        }
        return failure;
    }

    private static Throwable withStackOf(Throwable copy, Throwable original) {
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }
}
