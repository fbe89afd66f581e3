package za.co.personalisation.aws.clients;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.TraceHeader;
import com.amazonaws.xray.interceptors.TracingInterceptor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.config.Settings;

/**
 * Builds SDK clients the same way for every function: region and credentials explicit, the lean url-connection
 * HTTP client (Apache and Netty are excluded from function jars), and the endpoint from the SDK's standard
 * {@code AWS_ENDPOINT_URL} when it is set (the local emulator).
 *
 * <p>Create clients once, at init, and reuse them.
 *
 * <p>Clients that send a message to a person ({@link #snsSender()}, {@link #sesV2Sender()}) never retry: a retried
 * SNS {@code Publish} or SES {@code SendEmail} whose first response was lost sends the message twice. The caller
 * decides from the error what happened (see deliver-function and docs/architecture.md, Delivery semantics).
 */
public final class AwsClients {

    public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
    /** {@code true} or {@code false}; defaults to true inside Lambda (where LAMBDA_TASK_ROOT is set). */
    public static final String XRAY_TRACING = "XRAY_TRACING";
    /**
     * The whole of one call that sends a message to a person, connection included: one attempt, no retry. SNS and
     * SES answer in well under a second; a call still open after this is abandoned and its outcome is unknown.
     */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    /** The system property the Lambda Java runtime sets to each invocation's X-Ray trace header. */
    public static final String LAMBDA_TRACE_HEADER = "com.amazonaws.xray.traceHeader";

    private final Settings settings;
    private final SdkHttpClient http;

    public AwsClients(Settings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build();
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    public DynamoDbStreamsClient dynamoDbStreams() {
        return configure(DynamoDbStreamsClient.builder()).build();
    }

    public KinesisClient kinesis() {
        return kinesis(List.of());
    }

    /** A Kinesis client whose calls also pass through {@code interceptors} (tests count calls this way). */
    public KinesisClient kinesis(List<ExecutionInterceptor> interceptors) {
        if (isEmulated()) {
            // The emulator speaks JSON only; real Kinesis uses CBOR. Read by the SDK when the client is built.
            System.setProperty("aws.cborEnabled", "false");
        }
        return configure(KinesisClient.builder(), interceptors).build();
    }

    public SnsClient sns() {
        return configure(SnsClient.builder()).build();
    }

    /** An SNS client for SMS to people: no SDK retries, one attempt of at most {@link #SEND_TIMEOUT}. */
    public SnsClient snsSender() {
        return snsSender(List.of());
    }

    /** Like {@link #snsSender()}, with execution interceptors added to every call (tests inject faults this way). */
    public SnsClient snsSender(List<ExecutionInterceptor> interceptors) {
        return configure(SnsClient.builder(), interceptors).overrideConfiguration(sending(interceptors)).build();
    }

    /** An SES v2 client for email to people: no SDK retries, one attempt of at most {@link #SEND_TIMEOUT}. */
    public SesV2Client sesV2Sender() {
        return sesV2Sender(List.of());
    }

    /** Like {@link #sesV2Sender()}, with execution interceptors added to every call. */
    public SesV2Client sesV2Sender(List<ExecutionInterceptor> interceptors) {
        return configure(SesV2Client.builder(), interceptors).overrideConfiguration(sending(interceptors)).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    public SesV2Client sesV2() {
        return configure(SesV2Client.builder()).build();
    }

    /** True when the clients talk to an emulator rather than to AWS. */
    public boolean isEmulated() {
        return settings.has(ENDPOINT_URL);
    }

    public Region region() {
        return Region.of(settings.has("AWS_REGION") ? settings.require("AWS_REGION")
            : settings.require("AWS_DEFAULT_REGION"));
    }

    /** Applies region, credentials, HTTP client and endpoint to any service's builder. */
    public <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, List.of());
    }

    /** Like {@link #configure(AwsClientBuilder)}, with execution interceptors added to every call. */
    public <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder,
        List<ExecutionInterceptor> interceptors) {
        builder.region(region())
            .credentialsProvider(credentials())
            .httpClient(http)
            .overrideConfiguration(overrides(interceptors));
        if (isEmulated()) {
            builder.endpointOverride(URI.create(settings.require(ENDPOINT_URL)));
        }
        return builder;
    }

    private ClientOverrideConfiguration overrides(List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(20))
            .executionInterceptors(interceptors)
            // before anything else sees a failure (X-Ray's subsegment, our logs): no phone number or email address
            .addExecutionInterceptor(new ScrubbingInterceptor());
        if (isTraced()) {
            // one X-Ray subsegment per AWS call, under the function's segment
            overrides.addExecutionInterceptor(new TracingInterceptor());
        }
        return overrides.build();
    }

    /** The overrides of a client that sends to people: {@link #overrides(List)} without retries, shorter timeouts. */
    private ClientOverrideConfiguration sending(List<ExecutionInterceptor> interceptors) {
        return overrides(interceptors).toBuilder()
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(SEND_TIMEOUT)
            .apiCallTimeout(SEND_TIMEOUT)
            .build();
    }

    /**
     * The X-Ray trace id of the invocation this thread is serving, or {@code null}: from the trace header the Lambda
     * Java runtime sets for each invocation, else from the segment the X-Ray recorder holds for this thread (the
     * local runtime begins one per invocation). The X-Ray SDK is used here and in {@link #overrides} only.
     */
    public static String currentTraceId() {
        String header = System.getProperty(LAMBDA_TRACE_HEADER);
        if (header != null && !header.isBlank()) {
            TraceHeader parsed = TraceHeader.fromString(header);
            return parsed.getRootTraceId() == null ? null : parsed.getRootTraceId().toString();
        }
        return AWSXRay.getGlobalRecorder().getCurrentSegmentOptional()
            .map(segment -> segment.getTraceId().toString()).orElse(null);
    }

    /**
     * {@code task}, to run on another thread in the calling thread's X-Ray trace: its AWS calls become subsegments
     * of the invocation's segment instead of being dropped with a "context missing" error. Without a trace on the
     * calling thread the task is returned as it is.
     */
    public static <T> Callable<T> inCurrentTrace(Callable<T> task) {
        AWSXRayRecorder recorder = AWSXRay.getGlobalRecorder();
        Entity entity = recorder.getTraceEntity();
        if (entity == null) {
            return task;
        }
        return () -> {
            recorder.setTraceEntity(entity);
            try {
                return task.call();
            } finally {
                recorder.clearTraceEntity();
            }
        };
    }

    /** True when AWS calls are recorded as X-Ray subsegments. */
    public boolean isTraced() {
        return settings.getBoolean(XRAY_TRACING, settings.has("LAMBDA_TASK_ROOT"));
    }

    private AwsCredentialsProvider credentials() {
        if (!settings.has("AWS_ACCESS_KEY_ID")) {
            return DefaultCredentialsProvider.builder().build();
        }
        String key = settings.require("AWS_ACCESS_KEY_ID");
        String secret = settings.require("AWS_SECRET_ACCESS_KEY");
        return StaticCredentialsProvider.create(settings.has("AWS_SESSION_TOKEN")
            ? AwsSessionCredentials.create(key, secret, settings.require("AWS_SESSION_TOKEN"))
            : AwsBasicCredentials.create(key, secret));
    }
}
