package za.co.personalisation.deliver;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK execution interceptor for tests: counts the calls a client makes by operation name, and can make the
 * calls that match a predicate fail the way the service fails them.
 *
 * <p>The emulator never throttles. To let the SDK see a real throttling response, a matching call is sent to the
 * emulator as a harmless read ({@code ListTopics}, so nothing is published) and its response is replaced by SNS's
 * {@code Throttling} error (HTTP 400, query protocol XML), which the SDK parses into an {@code SnsException} whose
 * {@code isThrottlingException()} is true, exactly as for the real service.
 */
public final class SdkCalls implements ExecutionInterceptor {

    private static final String HARMLESS = "Action=ListTopics&Version=2010-03-31";
    private static final ExecutionAttribute<Boolean> FAILED = new ExecutionAttribute<>("test.failed");
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile Predicate<SdkRequest> throttle = request -> false;
    private volatile Predicate<SdkRequest> die = request -> false;
    private volatile String errorCode = "Throttling";
    private volatile int status = 400;
    private volatile String errorMessage = "injected by the test";

    public int count(String operation) {
        AtomicInteger count = counts.get(operation);
        return count == null ? 0 : count.get();
    }

    public void reset() {
        counts.clear();
        throttle = request -> false;
        die = request -> false;
        status = 400;
        errorMessage = "injected by the test";
    }

    /** The text of the injected errors' {@code <Message>} (what the provider says, e.g. naming the recipient). */
    public void failWithMessage(String message) {
        this.errorMessage = message;
    }

    /** The HTTP status of the injected errors (400 unless set). */
    public void failWithStatus(int httpStatus) {
        this.status = httpStatus;
    }

    /** Makes the SNS calls that match fail with this error code (HTTP 400), until {@link #reset()}. */
    public void failSns(Predicate<SdkRequest> which, String code) {
        this.errorCode = code;
        this.throttle = which;
    }

    /**
     * Makes the calls that match end the invocation after the service answered: an {@link Error} (as when the
     * sandbox dies), which no code in the function catches, until {@link #reset()}.
     */
    public void dieAfter(Predicate<SdkRequest> which) {
        this.die = which;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (die.test(context.request())) {
            throw new Error("the invocation died after " + attributes.getAttribute(
                SdkExecutionAttribute.OPERATION_NAME) + " succeeded (injected by the test)");
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        counts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
            key -> new AtomicInteger()).incrementAndGet();
        if (throttle.test(context.request())) {
            attributes.putAttribute(FAILED, true);
        }
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(FAILED))) {
            return context.httpRequest().toBuilder()
                .putHeader("Content-Length", Integer.toString(HARMLESS.getBytes(StandardCharsets.UTF_8).length))
                .build();
        }
        return context.httpRequest();
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context,
        ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(FAILED))) {
            return Optional.of(RequestBody.fromString(HARMLESS));
        }
        return context.requestBody();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(FAILED))) {
            return context.httpResponse().toBuilder().statusCode(status).build();
        }
        return context.httpResponse();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
        ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(FAILED))) {
            String xml = "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error>"
                + "<Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type>"
                + "<Code>" + errorCode + "</Code><Message>" + errorMessage + "</Message></Error>"
                + "<RequestId>test</RequestId></ErrorResponse>";
            return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        }
        return context.responseBody();
    }
}
