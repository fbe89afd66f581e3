package za.co.personalisation.replay.playback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.LocalRuntime;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.outbox.Outbox;
import za.co.personalisation.replay.Fixtures;
import za.co.personalisation.replay.cli.ReplayTool;

/**
 * Replays recorded traffic into the whole local stack (API, Kinesis, the four functions, DynamoDB, SNS, SQS,
 * outbox), through the command line as an analyst would: {@code capture} from a stream of recorded traffic, then
 * {@code replay} into the pipeline's own stream or its API.
 *
 * <p>The recorded traffic is what would make customers 12345 (SMS) and 23456 (email) get an offer at once, so a
 * replay that is not kept away from customers shows up in the outbox. The rule these tests hold the pipeline to is
 * docs/replay.md's: replayed traffic acts on shadow customers ({@code shadow-…}) only, and nothing about a shadow
 * customer reaches anyone.
 */
@ExtendWith(MotoExtension.class)
class ReplayIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static LocalRuntime runtime;
    private static String endpoint;
    private static KinesisClient kinesis;
    private static DynamoDbClient dynamoDb;
    private static SqsClient sqs;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(MotoServer moto) {
        runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local", moto,
            new PrintStream(CONSOLE, true, StandardCharsets.UTF_8)));
        endpoint = moto.endpoint().toString();
        AwsClients clients = new AwsClients(Settings.of(Map.of(AwsClients.ENDPOINT_URL, endpoint,
            "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local")));
        kinesis = clients.kinesis();
        dynamoDb = clients.dynamoDb();
        sqs = clients.sqs();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void replay_marksEveryRecordItWritesAsAReplay_andThePipelineNeverAppliesThemToLiveCustomers() throws Exception {
        Recorded recorded = recordAndCapture();

        int code = ReplayTool.run("replay", "--endpoint-url", endpoint, "--archive", recorded.archive().toString(),
            "--to-stream", pipelineStream(), "--max");

        assertThat(code).isZero();
        List<InterestEvent> written = pipelineRecords(recorded.eventIds());
        assertThat(written).hasSize(recorded.eventIds().size());
        assertThat(written).allSatisfy(event -> assertThat(event.replay()).as(event.eventId()).isTrue());
        // docs/replay.md, "The rule": 12345 and 23456 are live customers, so enrich drops their replayed events
        awaitLogged("event.replay_dropped", "12345", "replayed traffic never acts on a live customer");
        awaitLogged("event.replay_dropped", "23456", "replayed traffic never acts on a live customer");
        assertThat(appliedTo("12345", recorded.eventIds().get(0))).isFalse();
        assertThat(appliedTo("23456", recorded.eventIds().get(1))).isFalse();
    }

    @Test
    void replayedTrafficOfShadowCustomers_consentIncluded_isNotifiedInTheSandboxOnly_andLiveConsentIsUntouched()
        throws Exception {
        // recorded: consent grants and then interests that match offers; replayed with --remap prefix, so to the
        // shadow customers shadow-12345 and shadow-23456, whose replayed consent enrich applies
        Instant at = Instant.now().minusSeconds(60);
        int run = RUNS.incrementAndGet();
        List<StreamEvent> events = List.of(
            new ConsentEvent("recorded-" + run + "-g1", "34567", Channel.SMS, Consent.State.GRANTED, at, at, "",
                false),
            Fixtures.interest("recorded-" + run + "-a", "34567", "fashion", "Johannesburg", at.plusSeconds(1)),
            new ConsentEvent("recorded-" + run + "-g2", "45678", Channel.EMAIL, Consent.State.GRANTED, at, at, "",
                false),
            Fixtures.interest("recorded-" + run + "-b", "45678", "books", "Durban", at.plusSeconds(2)));
        Path archive = capture(run, events);
        Map<String, AttributeValue> liveBefore = profileItem("34567");

        assertThat(ReplayTool.run("replay", "--endpoint-url", endpoint, "--archive", archive.toString(),
            "--to-stream", pipelineStream(), "--remap", "prefix", "--max")).isZero();

        // notify publishes a shadow customer's notifications with replay=true, which only the sandbox subscription
        // takes; once both are in the sandbox and the SMS and email queues are empty, deliver has had its chance to
        // send something, and must not have.
        String sandbox = sqs.getQueueUrl(b -> b.queueName("offers-sandbox-local")).queueUrl();
        Set<String> seen = new HashSet<>();
        List<String> interests = List.of("recorded-" + run + "-a", "recorded-" + run + "-b");
        await(() -> {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(sandbox).maxNumberOfMessages(10)
                .waitTimeSeconds(1)).messages()) {
                JsonNode body = json(message.body());
                assertThat(body.path("customerId").asText()).startsWith("shadow-");
                seen.add(body.path("eventId").asText());
            }
            return seen.containsAll(interests);
        }, "both shadow customers' notifications in the sandbox queue; seen " + seen);
        awaitDeliveryQueuesEmpty();
        assertThat(runtime.outbox().messages()).noneMatch(message -> interests.contains(message.eventId())
            || message.customerId().startsWith("shadow-"));
        // the same archive without --remap: the live customer's recorded grant is dropped, their consent (revoked)
        // and profile stay as they were
        assertThat(ReplayTool.run("replay", "--endpoint-url", endpoint, "--archive", archive.toString(),
            "--to-stream", pipelineStream(), "--shift-to-now", "--max")).isZero();
        awaitLogged("event.replay_dropped", "34567", "replayed traffic never acts on a live customer");
        assertThat(profileItem("34567")).isEqualTo(liveBefore);
    }

    @Test
    void replayIntoTheApi_withRemappedCustomers_appliesThemToShadowProfiles_andReachesNobody() throws Exception {
        Recorded recorded = recordAndCapture();
        String prefix = "shadow-r" + RUNS.incrementAndGet() + "-";

        int code = ReplayTool.run("replay", "--endpoint-url", endpoint, "--archive", recorded.archive().toString(),
            "--to-api", "http://127.0.0.1:" + runtime.port(), "--remap", "prefix", "--remap-prefix", prefix,
            "--speed", "50");

        assertThat(code).isZero();
        awaitApplied(prefix + "12345", recorded.eventIds().get(0));
        awaitApplied(prefix + "23456", recorded.eventIds().get(1));
        // notify matched the offers and held them back: shadow customers never gave consent
        awaitLogged("notification.suppressed", prefix + "12345", "no_consent");
        awaitLogged("notification.suppressed", prefix + "23456", "no_consent");
        awaitDeliveryQueuesEmpty();
        assertThat(runtime.outbox().messages()).noneMatch(message -> message.customerId().startsWith(prefix)
            || recorded.eventIds().contains(message.eventId()));
    }

    @Test
    void replayIntoTheApi_withoutRemapping_isRefused_andSendsNothing() throws Exception {
        Recorded recorded = recordAndCapture();

        int code = ReplayTool.run("replay", "--endpoint-url", endpoint, "--archive", recorded.archive().toString(),
            "--to-api", "http://127.0.0.1:" + runtime.port());

        assertThat(code).isEqualTo(2);
        assertThat(pipelineRecords(recorded.eventIds())).isEmpty();
    }

    /** Traffic recorded from production, as a stream of its own: ingest's envelopes, replay=false. */
    private Recorded recordAndCapture() {
        return recordAndCapture("electronics", "Cape Town", "electronics", "Stellenbosch");
    }

    /** Records one event for 12345 and one for 23456 in a stream of their own and captures it to an archive. */
    private Recorded recordAndCapture(String interestA, String placeA, String interestB, String placeB) {
        int run = RUNS.incrementAndGet();
        Instant at = Instant.now().minusSeconds(60);
        List<InterestEvent> events = List.of(
            Fixtures.interest("recorded-" + run + "-a", "12345", interestA, placeA, at),
            Fixtures.interest("recorded-" + run + "-b", "23456", interestB, placeB, at.plusSeconds(1)));
        return new Recorded(capture(run, events), events.stream().map(InterestEvent::eventId).toList());
    }

    /** Writes these events to a stream of their own, as ingest would, and captures it to an archive. */
    private Path capture(int run, List<? extends StreamEvent> events) {
        String source = "recorded-traffic-" + run;
        kinesis.createStream(b -> b.streamName(source).shardCount(1));
        for (StreamEvent event : events) {
            kinesis.putRecord(b -> b.streamName(source).partitionKey(event.customerId())
                .data(SdkBytes.fromByteArray(StreamEventCodec.encode(event))));
        }
        Path archive = dir.resolve("recorded-" + run + ".ndjson.gz");
        assertThat(ReplayTool.run("capture", "--endpoint-url", endpoint, "--stream", source, "--out",
            archive.toString())).isZero();
        return archive;
    }

    private record Recorded(Path archive, List<String> eventIds) {
    }

    private static String pipelineStream() {
        return runtime.ref("InterestEventsStream");
    }

    /** The pipeline stream's records with these eventIds. */
    private static List<InterestEvent> pipelineRecords(List<String> eventIds) {
        List<InterestEvent> found = new ArrayList<>();
        String iterator = kinesis.getShardIterator(b -> b.streamName(pipelineStream()).shardId("shardId-000000000000")
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            var page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
            for (Record record : page.records()) {
                StreamEvent event = StreamEventCodec.decode(record.data().asByteArray());
                if (event instanceof InterestEvent interest && eventIds.contains(event.eventId())) {
                    found.add(interest);
                }
            }
            iterator = page.records().isEmpty() ? null : page.nextShardIterator();
        }
        return found;
    }

    private static void awaitApplied(String customerId, String eventId) throws InterruptedException {
        await(() -> {
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(runtime.ref("ProfilesTable"))
                .consistentRead(true).key(Map.of(ProfileItems.KEY, AttributeValue.fromS(customerId)))).item();
            return item != null && !item.isEmpty() && ProfileItems.fromItem(item).applied().contains(eventId);
        }, "event " + eventId + " applied to profile " + customerId);
    }

    private static boolean appliedTo(String customerId, String eventId) {
        Map<String, AttributeValue> item = profileItem(customerId);
        return item != null && !item.isEmpty() && ProfileItems.fromItem(item).applied().contains(eventId);
    }

    private static Map<String, AttributeValue> profileItem(String customerId) {
        return dynamoDb.getItem(b -> b.tableName(runtime.ref("ProfilesTable")).consistentRead(true)
            .key(Map.of(ProfileItems.KEY, AttributeValue.fromS(customerId)))).item();
    }

    private static void awaitDeliveryQueuesEmpty() throws InterruptedException {
        for (String queue : List.of("SmsQueue", "EmailQueue")) {
            String url = runtime.ref(queue);
            await(() -> {
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                return "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            }, queue + " drained by deliver-function");
        }
    }

    /** A line of the functions' log (the local runtime writes it) with this message, customer and reason. */
    private static void awaitLogged(String message, String customerId, String reason) throws InterruptedException {
        Path log = ProjectRoot.find().resolve(".local-aws/logs/functions.log");
        await(() -> {
            try {
                return Files.readAllLines(log).stream().anyMatch(line -> line.contains("\"message\":\"" + message
                    + "\"") && line.contains("\"customerId\":\"" + customerId + "\"")
                    && line.contains("\"reason\":\"" + reason + "\""));
            } catch (IOException e) {
                return false;
            }
        }, message + " for " + customerId + " (" + reason + ") in " + log);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what + "; outbox: "
            + runtime.outbox().messages().stream().map(Outbox.Message::eventId).toList());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
