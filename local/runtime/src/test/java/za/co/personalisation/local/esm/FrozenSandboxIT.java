package za.co.personalisation.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.template.FunctionDefinition;

/**
 * A timed-out invocation has no late side effects, as when Lambda freezes the sandbox: the handler, interrupted,
 * goes on to send a message, and the message never reaches the emulator. The handler's client is built the way
 * every function builds its clients ({@link AwsClients}), so the runtime's global interceptor applies to it.
 */
@ExtendWith(MotoExtension.class)
class FrozenSandboxIT {

    private static Settings settings;
    private static SqsClient sqs;
    private static String queueUrl;

    @BeforeAll
    static void createQueue(MotoExtension.Emulator emulator) {
        settings = Settings.of(emulator.environment());
        sqs = new AwsClients(settings).sqs();
        queueUrl = sqs.createQueue(b -> b.queueName("frozen-sandbox-test")).queueUrl();
    }

    @Test
    void invocationPastItsTimeout_cannotSendAnythingAfterwards_butTheNextInvocationCan() throws Exception {
        AtomicReference<Throwable> lateCall = new AtomicReference<>();
        CountDownLatch lateCallDone = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        FunctionDefinition definition = new FunctionDefinition("SlowFunction", "personalisation-slow-local",
            "x.Handler::handleRequest", "", 512, Duration.ofMillis(500), Map.of(), List.of());
        LocalFunction function = new LocalFunction(definition,
            "arn:aws:lambda:af-south-1:123456789012:function:personalisation-slow-local", () -> {
                SqsClient client = new AwsClients(settings).sqs();
                return (event, context) -> {
                    if ("slow".equals(event)) {
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            // Interrupted by the timeout; a handler that ignores it carries on with its send.
                        }
                        try {
                            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("late"));
                        } catch (RuntimeException e) {
                            lateCall.set(e);
                        } finally {
                            lateCallDone.countDown();
                        }
                        return "too late";
                    }
                    client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("in time"));
                    return "ok";
                };
            });
        LocalFunction.Instance instance = function.newInstance();

        assertThatThrownBy(() -> instance.invoke("slow")).isInstanceOf(LocalFunction.FunctionTimeoutException.class);
        assertThat(lateCallDone.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(lateCall.get()).as("the late send failed").isNotNull()
            .hasMessageContaining("sandbox is frozen");
        assertThat(instance.invoke("fast")).isEqualTo("ok");
        List<String> bodies = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
            .waitTimeSeconds(1)).messages().stream().map(m -> m.body()).toList();
        assertThat(bodies).containsExactly("in time");
    }
}
