package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.observe.MetricStore;

/**
 * The local stand-in for CloudWatch, against the running stack: the functions' EMF lines reach the emulator's
 * CloudWatch as metrics, the template's alarms are evaluated, and a state change is reported on the console and
 * mirrored in the emulator (moto stores alarms but never evaluates them).
 */
@ExtendWith(MotoExtension.class)
class LocalAlarmsIT {

    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private static LocalRuntime runtime;
    private static AwsClients clients;

    @BeforeAll
    static void start(MotoServer moto, MotoExtension.Emulator emulator) {
        runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
            new PrintStream(CONSOLE, true, StandardCharsets.UTF_8)));
        clients = new AwsClients(Settings.of(emulator.environment()));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void emfFromTheFunctions_reachesTheEmulatorsCloudWatch() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.port() + "/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"customerId\":\"45678\",\"interest\":\"garden\",\"location\":\"Bloemfontein\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);

        CloudWatchClient cloudWatch = clients.configure(CloudWatchClient.builder()).build();
        double accepted = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (accepted < 1 && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            accepted = cloudWatch.getMetricStatistics(b -> b.namespace("Personalisation").metricName("Accepted")
                .dimensions(d -> d.name("Service").value("ingest")).startTime(Instant.now().minusSeconds(600))
                .endTime(Instant.now().plusSeconds(60)).period(60).statistics(Statistic.SUM)).datapoints().stream()
                .mapToDouble(point -> point.sum()).sum();
        }
        assertThat(accepted).as("ingest's Accepted metric in the emulator's CloudWatch").isGreaterThanOrEqualTo(1);
    }

    @Test
    void aMessageInADeadLetterQueue_raisesItsAlarm_onTheConsoleAndInTheEmulator() throws Exception {
        SqsClient sqs = clients.sqs();
        sqs.sendMessage(b -> b.queueUrl(runtime.ref("FailedEventsQueue")).messageBody("{\"reason\":\"test\"}"));
        MetricStore.MetricId depth = new MetricStore.MetricId("AWS/SQS", "ApproximateNumberOfMessagesVisible",
            Map.of("QueueName", "failed-events-local"));
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        Double seen = null;
        while ((seen == null || seen < 1) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            seen = runtime.observability().store().statistic(depth, "Maximum", Instant.now().minusSeconds(600),
                Instant.now().plusSeconds(1));
        }
        assertThat(seen).as("queue depth sampled by the local runtime").isGreaterThanOrEqualTo(1);

        // The alarm's period is 5 minutes, aligned as CloudWatch aligns periods, and CloudWatch judges a period once
        // it is over: evaluate at the end of the aligned period that holds the sampled message. (Evaluating at "now
        // plus 5 minutes" judged the period after it whenever the sample fell just before a 5-minute mark, so the
        // test depended on the time of day.) The runtime's own evaluation every 10 s, on the real clock, judges the
        // period before and may set the alarm back to OK in between: each round re-evaluates and reads both states.
        String alarm = "personalisation-failed-events-dlq-local";
        long period = Duration.ofMinutes(5).toMillis();
        long current = Instant.now().toEpochMilli() / period * period;
        Double inCurrent = runtime.observability().store().statistic(depth, "Maximum", Instant.ofEpochMilli(current),
            Instant.ofEpochMilli(current + period));
        Instant periodEnd = Instant.ofEpochMilli(inCurrent != null && inCurrent >= 1 ? current + period : current);
        CloudWatchClient cloudWatch = clients.configure(CloudWatchClient.builder()).build();
        String local = null;
        StateValue emulated = null;
        for (int round = 0; round < 20 && !(StateValue.ALARM.equals(emulated) && "ALARM".equals(local)); round++) {
            runtime.observability().evaluate(periodEnd.plusMillis(1));
            local = runtime.observability().alarmStates().get(alarm).value();
            emulated = cloudWatch.describeAlarms(b -> b.alarmNames(alarm)).metricAlarms().get(0).stateValue();
        }

        assertThat(local).as("local state of " + alarm + " judged at " + periodEnd).isEqualTo("ALARM");
        assertThat(emulated).as("the emulator's state of " + alarm).isEqualTo(StateValue.ALARM);
        assertThat(CONSOLE.toString(StandardCharsets.UTF_8)).contains("ALARM " + alarm + " -> ALARM");
        assertThat(runtime.observability().alarmStates()).hasSize(16);
    }
}
