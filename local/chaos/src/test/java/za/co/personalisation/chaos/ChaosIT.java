package za.co.personalisation.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.LocalRuntime;
import za.co.personalisation.local.emulator.FaultProxy;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The chaos run, small: 600 events and one shadow replay of them (1,200 records) through the whole local pipeline
 * with every fault on, the functions reaching the emulator through the fault proxy. Asserts the three promises from
 * the stack's own state (nothing lost, no message twice, none without consent) and that every fault actually fired,
 * so the run could have failed. The delivery queues' visibility timeout is shorter here than in template.yaml (see
 * {@link #shortenDeliveryVisibilityTimeout}); docs/reliability.md, "In the test command".
 */
@ExtendWith(MotoExtension.class)
class ChaosIT {

    private static final int DELIVERY_VISIBILITY_SECONDS = 40;

    @Test
    void chaosRun_withEveryFaultFiring_losesNothing_sendsNothingTwice_andNothingWithoutConsent(MotoServer moto)
        throws Exception {
        // 600 live events and one replay of them: 1,200 records through enrich, which on the shared 2-core build
        // machine under load is what fits in a few minutes; ./pipeline chaos replays three times.
        // The send timeout is injected at the run's first accepted send (rate 1, at most 1): the batch it cuts off
        // comes back only after the delivery queues' visibility timeout (40 s here, see below), so injecting it first
        // lets that wait overlap the rest of the run instead of adding to it. Crashes: the first writing invocation
        // of enrich and of notify always crashes, then 0.1 of the rest (InvocationFaults), so the count below is
        // never 0 however few and large the batches are on a fast machine.
        ChaosSettings settings = new ChaosSettings(600, 100, 0.03, 0.03, 0.02, 0.05, 0.1, 1.0, 1, 0.1, 1, 0.5, 7,
            0, 0, Duration.ofMinutes(10));
        long started = System.nanoTime();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        ChaosRun.Result result;
        try (FaultProxy proxy = new FaultProxy(moto.endpoint().toString());
             LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
                 new PrintStream(PrintStream.nullOutputStream()), proxy.endpoint()))) {
            shortenDeliveryVisibilityTimeout(moto, runtime);
            result = ChaosRun.run(runtime, moto, proxy, settings, out);
        }
        long took = System.nanoTime() - started;
        ChaosCommand.report(result, out);
        out.printf(java.util.Locale.ROOT, "chaos: ChaosIT took %d s; load average %.2f%n",
            Duration.ofNanos(took).toSeconds(),
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println(result.accounting().inFlightLine());
        out.println(result.accounting().line());
        System.out.println(console.toString(StandardCharsets.UTF_8));
        String report = console.toString(StandardCharsets.UTF_8);
        StackAccounting.Accounting accounting = result.accounting();

        assertThat(result.drained()).as(report).isTrue();
        assertThat(accounting.events()).isEqualTo(600);
        assertThat(accounting.lost()).as(report).isZero();
        assertThat(accounting.shadowLost()).as(report).isZero();
        assertThat(accounting.duplicateMessages()).as(report).isZero();
        assertThat(accounting.messagesWithoutConsent()).as(report).isZero();
        assertThat(accounting.applied() + accounting.deadLettered()).isEqualTo(600);
        assertThat(accounting.messages()).as("offers reached customers: " + report).isPositive();
        ChaosRun.Injected injected = result.injected();
        assertThat(injected.throttled()).as(report).isPositive();
        assertThat(injected.serverErrors()).as(report).isPositive();
        assertThat(injected.droppedResponses()).as(report).isPositive();
        assertThat(injected.delayed()).as(report).isPositive();
        assertThat(injected.crashes()).as(report).isPositive();
        assertThat(injected.timeouts()).as(report).isPositive();
        assertThat(injected.duplicatePutRecords()).as(report).isPositive();
        assertThat(injected.replayedRecords()).isEqualTo(600);
        assertThat(injected.revocations()).as(report).isPositive();
        assertThat(result.deliverPeakConcurrency()).as("deliver's SQS pollers invoke concurrently: " + report)
            .isGreaterThan(1);
        assertThat(report).contains("chaos: events 600, applied ").contains(", lost 0, messages ")
            .endsWith("duplicate messages 0, messages without consent 0" + System.lineSeparator());
    }

    /**
     * <b>Here the local stack differs from template.yaml, for this test only:</b> the delivery queues'
     * VisibilityTimeout is {@value #DELIVERY_VISIBILITY_SECONDS} s instead of 180 s. Every delivery batch item that
     * fails (an injected 5xx on one of deliver's calls, the batch cut off by the injected send timeout) waits for the
     * visibility timeout before it comes back; at 180 s one retry late in the run keeps it over 3 minutes. 40 s is
     * still above deliver's 30 s Timeout (an attempt ends before its copy comes back, as AWS requires), and below its
     * 2-minute DELIVERY_LEASE: a copy of the cut-off send comes back while the lease holds, takes the IN_PROGRESS path
     * (re-queued until the lease ends) and then becomes {@code unknown}, as after 180 s. deliver's code is the same;
     * only the wait is shorter. {@code ./pipeline chaos} keeps the template's 180 s.
     */
    private static void shortenDeliveryVisibilityTimeout(MotoServer moto, LocalRuntime runtime) {
        try (SqsClient sqs = new AwsClients(Settings.of(Map.of(AwsClients.ENDPOINT_URL, moto.endpoint().toString(),
            "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY))).sqs()) {
            for (String queue : List.of("SmsQueue", "EmailQueue")) {
                sqs.setQueueAttributes(b -> b.queueUrl(runtime.ref(queue)).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(DELIVERY_VISIBILITY_SECONDS))));
            }
        }
    }
}
