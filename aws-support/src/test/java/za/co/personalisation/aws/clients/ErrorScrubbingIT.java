package za.co.personalisation.aws.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Segment;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Provider errors that name the recipient, through the real SDK against the emulator: the exception the caller gets,
 * the X-Ray subsegment the SDK interceptor records and the log line written from it hold no phone number and no
 * email address.
 */
@ExtendWith(MotoExtension.class)
class ErrorScrubbingIT {

    private static final String SENDER = "offers.sender@example.co.za";
    private static final String PHONE = "+27821234567";

    private final List<Segment> segments = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private AWSXRayRecorder previous;
    private AWSXRayRecorder recorder;
    private AwsClients clients;

    @BeforeEach
    void traceIntoMemory(MotoExtension.Emulator emulator) {
        Map<String, String> environment = new HashMap<>(emulator.environment());
        environment.put(AwsClients.XRAY_TRACING, "true");
        clients = new AwsClients(Settings.of(environment));
        previous = AWSXRay.getGlobalRecorder();
        recorder = AWSXRayRecorderBuilder.standard().withSamplingStrategy(new AllSamplingStrategy())
            .withEmitter(new Emitter() {
                @Override
                public boolean sendSegment(Segment segment) {
                    segments.add(segment);
                    return true;
                }

                @Override
                public boolean sendSubsegment(Subsegment subsegment) {
                    return true;
                }
            }).build();
        AWSXRay.setGlobalRecorder(recorder);
    }

    @AfterEach
    void restoreRecorder() {
        AWSXRay.setGlobalRecorder(previous);
    }

    @Test
    void sesRejection_namingTheAddress_reachesCallerTraceAndLogWithoutIt() {
        // The emulator refuses a sender that is not verified, naming it in the error ("Email address not verified").
        try (SesV2Client ses = clients.sesV2()) {
            recorder.beginSegment("deliver");
            AwsServiceException failure = catchThrowableOfType(AwsServiceException.class, () -> ses.sendEmail(b -> b
                .fromEmailAddress(SENDER)
                .destination(d -> d.toAddresses("thandi@example.co.za"))
                .content(c -> c.simple(m -> m.subject(s -> s.data("Offer")).body(x -> x.text(t -> t.data("Hi")))))));
            new JsonLog("deliver", lines::add, java.time.Clock.systemUTC()).warn("delivery.retry").error(failure)
                .log();
            recorder.endSegment();

            assertThat(failure.statusCode()).isEqualTo(400);
            assertThat(failure.getMessage()).contains("not verified").contains("[email]").doesNotContain(SENDER);
            assertThat(failure.awsErrorDetails().errorCode()).isNotBlank();
            assertNoPersonalData(segments, lines, SENDER, "[email]");
        }
    }

    @Test
    void snsAuthorizationError_namingTheNumber_reachesCallerTraceAndLogWithoutIt() {
        // The emulator does not enforce IAM; the call goes to it and its response is replaced by SNS's real
        // AuthorizationError (HTTP 403, query XML), which names the phone number as the resource.
        String xml = "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>"
            + "<Code>AuthorizationError</Code><Message>User: arn:aws:sts::123456789012:assumed-role/deliver/fn is"
            + " not authorized to perform: SNS:Publish on resource: " + PHONE + " because no identity-based policy"
            + " allows the SNS:Publish action</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
        ExecutionInterceptor authorizationError = new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
                ExecutionAttributes attributes) {
                return context.httpResponse().toBuilder().statusCode(403).build();
            }

            @Override
            public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                ExecutionAttributes attributes) {
                return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            }
        };
        try (SnsClient sns = clients.configure(SnsClient.builder(), List.of(authorizationError)).build()) {
            recorder.beginSegment("deliver");
            AwsServiceException failure = catchThrowableOfType(AwsServiceException.class,
                () -> sns.publish(b -> b.phoneNumber(PHONE).message("Offer")));
            new JsonLog("deliver", lines::add, java.time.Clock.systemUTC()).warn("delivery.retry").error(failure)
                .log();
            recorder.endSegment();

            assertThat(failure.statusCode()).isEqualTo(403);
            assertThat(failure.awsErrorDetails().errorCode()).isEqualTo("AuthorizationError");
            assertThat(failure.getClass().getSimpleName()).isEqualTo("AuthorizationErrorException");
            assertThat(failure.getMessage()).contains("on resource: [phone]").doesNotContain("821234567");
            assertNoPersonalData(segments, lines, "821234567", "[phone]");
        }
    }

    private static void assertNoPersonalData(List<Segment> segments, List<String> lines, String personal,
        String placeholder) {
        assertThat(segments).hasSize(1);
        String trace = segments.get(0).serialize();
        assertThat(segments.get(0).getSubsegments()).isNotEmpty();
        // the subsegment recorded the failure (with its scrubbed text) and nothing personal
        assertThat(trace).contains("\"exceptions\"").contains(placeholder).doesNotContain(personal);
        assertThat(lines).singleElement().asString().contains(placeholder).doesNotContain(personal);
    }
}
