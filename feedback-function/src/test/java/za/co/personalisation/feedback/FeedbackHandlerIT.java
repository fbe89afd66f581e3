package za.co.personalisation.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.DeliveryOutcomes;
import za.co.personalisation.aws.dynamodb.LedgerEntry;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.log.LogSink;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.notify.DeliveryOutcome;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * The feedback function against the emulator through the real SDK: SES events and SMS receipts recorded on the
 * ledger (repeated, out of order, late, unknown), bounces and complaints suppressing the address, STOP replies
 * revoking SMS consent on the stream. Messages are handed to the handler as the SQS event source mapping would.
 */
@ExtendWith(MotoExtension.class)
class FeedbackHandlerIT {

    private static final Instant SENT = Instant.parse("2026-12-01T10:00:00Z");
    private static final String EMAIL = "thandi@example.co.za";
    private static final String PHONE = "+27821234567";

    private static DynamoDbClient dynamoDb;
    private static KinesisClient kinesis;
    private static SqsClient sqs;
    private static String deadLetters;
    private static NotificationLedger ledger;
    private static DeliveryOutcomes outcomes;
    private static Settings settings;
    private static final AtomicInteger CUSTOMERS = new AtomicInteger();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicInteger sqsIds = new AtomicInteger();

    @BeforeAll
    static void stack(MotoExtension.Emulator emulator) {
        AwsClients clients = new AwsClients(Settings.of(emulator.environment()));
        dynamoDb = clients.dynamoDb();
        kinesis = clients.kinesis();
        sqs = clients.sqs();
        dynamoDb.createTable(b -> b.tableName("notifications-test").billingMode("PAY_PER_REQUEST")
            .attributeDefinitions(a -> a.attributeName("customerId").attributeType("S"),
                a -> a.attributeName("notificationKey").attributeType("S"),
                a -> a.attributeName("providerMessageId").attributeType("S"))
            .keySchema(k -> k.attributeName("customerId").keyType("HASH"),
                k -> k.attributeName("notificationKey").keyType("RANGE"))
            .globalSecondaryIndexes(i -> i.indexName(DeliveryOutcomes.MESSAGE_ID_INDEX)
                .keySchema(k -> k.attributeName("providerMessageId").keyType("HASH"))
                .projection(p -> p.projectionType("KEYS_ONLY"))));
        dynamoDb.createTable(b -> b.tableName("contacts-test").billingMode("PAY_PER_REQUEST")
            .attributeDefinitions(a -> a.attributeName("customerId").attributeType("S"),
                a -> a.attributeName(ContactItems.PHONE_HASH).attributeType("S"))
            .keySchema(k -> k.attributeName("customerId").keyType("HASH"))
            .globalSecondaryIndexes(i -> i.indexName(ContactItems.PHONE_INDEX)
                .keySchema(k -> k.attributeName(ContactItems.PHONE_HASH).keyType("HASH"))
                .projection(p -> p.projectionType("KEYS_ONLY"))));
        kinesis.createStream(b -> b.streamName("interest-events-test").shardCount(1));
        deadLetters = sqs.createQueue(b -> b.queueName("feedback-dlq-test")).queueUrl();
        ledger = new NotificationLedger(dynamoDb, "notifications-test", Duration.ofDays(90));
        outcomes = new DeliveryOutcomes(dynamoDb, "notifications-test");
        Map<String, String> environment = new HashMap<>(emulator.environment());
        environment.putAll(Map.of("NOTIFICATIONS_TABLE", "notifications-test", "CONTACTS_TABLE", "contacts-test",
            "EVENTS_STREAM", "interest-events-test", "FEEDBACK_DLQ_URL", deadLetters, "FEEDBACK_MAX_RECEIVES", "3"));
        settings = Settings.of(environment);
    }

    @BeforeEach
    void captureLogs() {
        JsonLog.setDefaultSink(lines::add);
    }

    @AfterEach
    void restoreLogs() {
        JsonLog.setDefaultSink(LogSink.stdout());
    }

    private FeedbackHandler handler(Instant now) {
        return new FeedbackHandler(settings, dynamoDb, kinesis, sqs, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String customer() {
        return "fb-" + CUSTOMERS.incrementAndGet();
    }

    /** A ledger entry sent under {@code providerMessageId}, as deliver leaves it. */
    private static String sent(String customerId, String offerId, Channel channel, String providerMessageId,
        Instant at) {
        Notification notification = new Notification(customerId, offerId, channel, "ev-" + customerId, "electronics",
            "ZA/WC/cape-town", "2026-11-25.2", "new_interest", false, at.minusSeconds(30), "");
        ledger.claim(notification);
        ledger.claimDelivery(customerId, notification.ledgerKey(), "owner", at, Duration.ofMinutes(2));
        ledger.transition(customerId, notification.ledgerKey(), List.of(NotificationLedger.SENDING),
            NotificationLedger.SENT, at, Map.of("providerMessageId", providerMessageId, "locale", "en-ZA",
                "sentAt", at.toString()));
        return notification.ledgerKey();
    }

    private SQSEvent batch(int receiveCount, Instant queuedAt, String... bodies) {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (String body : bodies) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("sqs-" + sqsIds.incrementAndGet());
            message.setBody(body);
            message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount),
                "SentTimestamp", Long.toString(queuedAt.toEpochMilli())));
            messages.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    private static String ses(String type, String messageId, String detailJson) {
        return "{\"eventType\":\"" + type + "\",\"mail\":{\"messageId\":\"" + messageId + "\",\"timestamp\":\""
            + SENT + "\",\"destination\":[\"" + EMAIL + "\"]}" + detailJson + "}";
    }

    private static String bounce(String messageId) {
        return ses("Bounce", messageId, ",\"bounce\":{\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\","
            + "\"timestamp\":\"2026-12-01T10:00:05Z\",\"bouncedRecipients\":[{\"emailAddress\":\"" + EMAIL + "\","
            + "\"diagnosticCode\":\"smtp; 550 5.1.1 <" + EMAIL + ">: user unknown\"}]}");
    }

    private static String smsReceipt(String messageId, String type, Instant at) {
        return "{\"eventType\":\"" + type + "\",\"eventVersion\":\"1.0\",\"eventTimestamp\":" + at.toEpochMilli()
            + ",\"messageId\":\"" + messageId + "\",\"destinationPhoneNumber\":\"" + PHONE + "\","
            + "\"messageStatus\":\"DELIVERED\"}";
    }

    private static String inbound(String from, String text, String id) {
        return "{\"originationNumber\":\"" + from + "\",\"destinationNumber\":\"+27800000000\","
            + "\"messageKeyword\":\"KEYWORD_27800000000\",\"messageBody\":\"" + text + "\",\"inboundMessageId\":\""
            + id + "\",\"previousPublishedMessageId\":\"\"}";
    }

    private static LedgerEntry entry(String customerId, String key) {
        return LedgerEntry.from(ledger.get(customerId, key));
    }

    @Test
    void hardBounce_recordsBounced_andSuppressesTheAddress_onceHoweverOftenItArrives() {
        String customer = customer();
        String key = sent(customer, "ELEC-CPT-01", Channel.EMAIL, "ses-bounce-1", SENT);
        FeedbackHandler handler = handler(SENT.plusSeconds(10));

        SQSBatchResponse first = handler.handleRequest(batch(1, SENT.plusSeconds(6), bounce("ses-bounce-1"),
            bounce("ses-bounce-1")), null);
        Map<String, AttributeValue> after = ledger.get(customer, key);
        handler.handleRequest(batch(2, SENT.plusSeconds(6), bounce("ses-bounce-1")), null);

        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(ledger.get(customer, key)).isEqualTo(after);
        assertThat(entry(customer, key).outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
        assertThat(entry(customer, key).outcomeDetail()).isEqualTo("Permanent/General");
        ContactHashes hashes = ContactHashes.from(settings);
        assertThat(outcomes.emailSuppression(customer, hashes.email(EMAIL)))
            .isEqualTo(new DeliveryOutcomes.Suppression("bounced", Instant.parse("2026-12-01T10:00:05Z"), key));
        assertThat(lines).filteredOn(line -> line.contains("EmailSuppressed")).hasSize(1);
        assertThat(lines).noneMatch(line -> line.contains(EMAIL) || line.contains("example.co.za"));
    }

    @Test
    void transientBounce_recordsNothing_andSuppressesNothing() {
        String customer = customer();
        String key = sent(customer, "ELEC-CPT-01", Channel.EMAIL, "ses-soft-1", SENT);

        handler(SENT.plusSeconds(10)).handleRequest(batch(1, SENT, ses("Bounce", "ses-soft-1",
            ",\"bounce\":{\"bounceType\":\"Transient\",\"bounceSubType\":\"MailboxFull\"}")), null);

        assertThat(entry(customer, key).outcome()).isNull();
        assertThat(outcomes.emailSuppression(customer, ContactHashes.from(settings).email(EMAIL))).isNull();
    }

    @Test
    void deliveryArrivingAfterTheComplaint_leavesComplained() {
        String customer = customer();
        String key = sent(customer, "ELEC-CPT-01", Channel.EMAIL, "ses-complaint-1", SENT);
        String complaint = ses("Complaint", "ses-complaint-1", ",\"complaint\":{\"complaintFeedbackType\":\"abuse\","
            + "\"timestamp\":\"2026-12-01T11:00:00Z\",\"complainedRecipients\":[{\"emailAddress\":\"" + EMAIL
            + "\"}]}");
        String delivery = ses("Delivery", "ses-complaint-1", ",\"delivery\":{\"timestamp\":\"2026-12-01T10:00:02Z\"}");

        handler(SENT.plusSeconds(3700)).handleRequest(batch(1, SENT.plusSeconds(3600), complaint, delivery), null);

        LedgerEntry entry = entry(customer, key);
        assertThat(entry.outcome()).isEqualTo(DeliveryOutcome.COMPLAINED);
        assertThat(entry.delivered()).isTrue();
        assertThat(outcomes.emailSuppression(customer, ContactHashes.from(settings).email(EMAIL)).reason())
            .isEqualTo("complained");
    }

    @Test
    void smsReceipt_71HoursLate_isRecorded_andTheEntryOutlivesIt() {
        String customer = customer();
        String key = sent(customer, "ELEC-CPT-01", Channel.SMS, "sns-late-1", SENT);
        Instant late = SENT.plus(Duration.ofHours(71));

        SQSBatchResponse response = handler(late).handleRequest(batch(1, late,
            smsReceipt("sns-late-1", "TEXT_DELIVERED", SENT.plusSeconds(30))), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(entry(customer, key).outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(entry(customer, key).deliveredAt()).isEqualTo(SENT.plusSeconds(30));
        long expiresAt = Long.parseLong(ledger.get(customer, key).get("expiresAt").n());
        assertThat(Instant.ofEpochSecond(expiresAt)).isAfter(SENT.plus(FeedbackProcessor.REPLY_WINDOW));
    }

    @Test
    void smsDeliveredReceipt_arrivingAfterTheFailure_leavesFailed() {
        String customer = customer();
        String key = sent(customer, "ELEC-CPT-01", Channel.SMS, "sns-fail-1", SENT);

        handler(SENT.plusSeconds(60)).handleRequest(batch(1, SENT, smsReceipt("sns-fail-1", "TEXT_UNREACHABLE",
            SENT.plusSeconds(20)), smsReceipt("sns-fail-1", "TEXT_DELIVERED", SENT.plusSeconds(10))), null);

        assertThat(entry(customer, key).outcome()).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(entry(customer, key).delivered()).isFalse();
    }

    @Test
    void unknownMessageId_isRetried_thenDeadLetteredWithItsReason_andNoAddress() {
        String body = bounce("ses-nobody");

        SQSBatchResponse early = handler(SENT).handleRequest(batch(1, SENT, body), null);
        SQSBatchResponse last = handler(SENT).handleRequest(batch(3, SENT, body), null);

        assertThat(early.getBatchItemFailures()).hasSize(1);
        assertThat(last.getBatchItemFailures()).isEmpty();
        Message dead = deadLettered("ses-nobody");
        assertThat(dead.messageAttributes().get("reason").stringValue()).isEqualTo("unknown_message_id");
        assertThat(dead.body()).contains("\"reason\":\"unknown_message_id\"").doesNotContain(EMAIL)
            .doesNotContain("example.co.za");
    }

    @Test
    void notAFeedbackEvent_isDeadLetteredAtOnce() {
        SQSBatchResponse response = handler(SENT).handleRequest(batch(1, SENT,
            "{\"hello\":\"" + EMAIL + "\",\"providerMessageId\":\"x-invalid\"}", "not json"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        List<Message> dead = drain();
        assertThat(dead).hasSize(2).allSatisfy(message -> {
            assertThat(message.messageAttributes().get("reason").stringValue()).isEqualTo("invalid_event");
            assertThat(message.body()).doesNotContain(EMAIL);
        });
    }

    @Test
    void stopReply_revokesSmsConsentOnTheStream_andMarksTheLatestSmsOptedOut_sameEventOnRedelivery() {
        String customer = customer();
        String phone = "+2782555" + String.format("%04d", CUSTOMERS.get());
        dynamoDb.putItem(b -> b.tableName("contacts-test").item(ContactItems.toItem(new ContactItems.Contact(
            customer, phone, null, "af-ZA", "Africa/Johannesburg"), ContactHashes.from(settings))));
        String older = sent(customer, "FASH-JHB-01", Channel.SMS, "sns-old-" + customer, SENT.minusSeconds(7200));
        String latest = sent(customer, "ELEC-CPT-01", Channel.SMS, "sns-new-" + customer, SENT);
        Instant replied = SENT.plusSeconds(600);
        String stop = inbound(phone, "Stop", "in-" + customer);

        handler(replied.plusSeconds(1)).handleRequest(batch(1, replied, stop), null);
        handler(replied.plusSeconds(400)).handleRequest(batch(2, replied, stop), null);

        List<ConsentEvent> revocations = consentEvents(customer);
        assertThat(revocations).hasSize(2).allSatisfy(event -> {
            assertThat(event.channel()).isEqualTo(Channel.SMS);
            assertThat(event.state()).isEqualTo(Consent.State.REVOKED);
            assertThat(event.receivedAt()).isEqualTo(replied);
        });
        assertThat(revocations.get(0).eventId()).isEqualTo(revocations.get(1).eventId());
        // deliver's send-time check holds the opt-out at once, before enrich applies the event to the profile
        ConsentStatements statements = new ConsentStatements(dynamoDb, "notifications-test");
        assertThat(statements.latest(customer, Channel.SMS)).isEqualTo(Consent.State.REVOKED);
        assertThat(dynamoDb.getItem(b -> b.tableName("notifications-test").consistentRead(true).key(Map.of(
            "customerId", AttributeValue.fromS(customer), "notificationKey",
            AttributeValue.fromS(ConsentStatements.key(Channel.SMS))))).item().get("receivedAt").s())
            .isEqualTo(replied.toString());
        assertThat(entry(customer, latest).outcome()).isEqualTo(DeliveryOutcome.OPTED_OUT);
        assertThat(entry(customer, older).outcome()).isNull();
        assertThat(lines).noneMatch(line -> line.contains(phone) || line.contains(phone.substring(1)));
    }

    @Test
    void stopFromAnUnknownNumber_revokesNothing_andOtherTextIsIgnored() {
        String customer = customer();
        String phone = "+2783666" + String.format("%04d", CUSTOMERS.get());
        dynamoDb.putItem(b -> b.tableName("contacts-test").item(ContactItems.toItem(new ContactItems.Contact(
            customer, phone, null, "en-ZA", "Africa/Johannesburg"), ContactHashes.from(settings))));

        SQSBatchResponse response = handler(SENT).handleRequest(batch(1, SENT,
            inbound("+27839999999", "STOP", "in-unknown-" + customer), inbound(phone, "YES PLEASE", "in-yes-"
                + customer), inbound(phone, "don't stop", "in-sentence-" + customer)), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(consentEvents(customer)).isEmpty();
        assertThat(new ConsentStatements(dynamoDb, "notifications-test").latest(customer, Channel.SMS))
            .isEqualTo(Consent.State.UNKNOWN);
        assertThat(lines).anyMatch(line -> line.contains("inbound.unknown_sender"))
            .noneMatch(line -> line.contains("27839999999"));
    }

    private List<ConsentEvent> consentEvents(String customerId) {
        String shard = kinesis.listShards(b -> b.streamName("interest-events-test")).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(b -> b.streamName("interest-events-test").shardId(shard)
            .shardIteratorType("TRIM_HORIZON")).shardIterator();
        List<ConsentEvent> events = new ArrayList<>();
        for (Record record : kinesis.getRecords(b -> b.shardIterator(iterator).limit(1000)).records()) {
            StreamEvent event = StreamEventCodec.decode(record.data().asByteArray());
            if (event instanceof ConsentEvent consent && consent.customerId().equals(customerId)) {
                assertThat(record.partitionKey()).isEqualTo(customerId);
                events.add(consent);
            }
        }
        return events;
    }

    private Message deadLettered(String providerMessageId) {
        return drain().stream().filter(message -> message.body().contains(providerMessageId)).findFirst()
            .orElseThrow(() -> new AssertionError("nothing dead-lettered for " + providerMessageId));
    }

    private static List<Message> drain() {
        List<Message> all = new ArrayList<>();
        List<Message> page;
        do {
            page = sqs.receiveMessage(b -> b.queueUrl(deadLetters).maxNumberOfMessages(10).waitTimeSeconds(0)
                .messageAttributeNames("All")).messages();
            for (Message message : page) {
                all.add(message);
                sqs.deleteMessage(b -> b.queueUrl(deadLetters).receiptHandle(message.receiptHandle()));
            }
        } while (!page.isEmpty());
        return all;
    }

}
