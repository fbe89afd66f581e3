package za.co.personalisation.aws.testing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.notify.NotificationCodec;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.ProfileMerger;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The part of template.yaml that notify-function and deliver-function use, created in the emulator with the real
 * SDK: the profiles, contacts, offers and notifications tables, the offer-notifications topic with the sms, email,
 * audit and sandbox queues subscribed under the filter policies read from template.yaml, the delivery dead-letter
 * queue, the notify failure queue and the verified sender. Plus what enrich-function and the Lambda event source
 * mappings would do around the two functions: apply an interest event to a profile and hand notify the stream
 * record; receive a queue's messages, hand them to deliver, delete what it did not report as failed.
 */
public class NotificationStack {

    public static final String EMAIL_FROM = "offers@personalisation.example";
    public static final String UNSUBSCRIBE_URL = "https://personalisation.example/unsubscribe/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Gazetteer GAZETTEER = Gazetteer.bundled();

    public final DynamoDbClient dynamoDb;
    public final SnsClient sns;
    public final SqsClient sqs;
    public final SesV2Client ses;
    public final AwsClients clients;
    public final String topicArn;
    public final String smsQueue;
    public final String emailQueue;
    public final String auditQueue;
    public final String sandboxQueue;
    public final String deadLetterQueue;
    public final String failedChangesQueue;
    public final Settings settings;
    private final MotoExtension.Emulator emulator;
    private final ProfileMerger merger = new ProfileMerger(Duration.ofDays(14), 200);
    private final AtomicLong sequence = new AtomicLong(1000);

    protected NotificationStack(MotoExtension.Emulator emulator) {
        this.emulator = emulator;
        this.clients = new AwsClients(Settings.of(emulator.environment()));
        this.dynamoDb = clients.dynamoDb();
        this.sns = clients.sns();
        this.sqs = clients.sqs();
        this.ses = clients.sesV2();
        table("profiles-test", "customerId", null);
        table("contacts-test", "customerId", null);
        table("offers-test", "offerId", null);
        table("notifications-test", "customerId", "notificationKey");
        this.topicArn = sns.createTopic(b -> b.name("offer-notifications-test")).topicArn();
        this.smsQueue = queue("offers-sms-test");
        this.emailQueue = queue("offers-email-test");
        this.auditQueue = queue("offers-audit-test");
        this.sandboxQueue = queue("offers-sandbox-test");
        this.deadLetterQueue = queue("delivery-dlq-test");
        this.failedChangesQueue = queue("notify-failures-test");
        JsonNode resources = template().path("Resources");
        subscribe(resources.path("SmsSubscription"), smsQueue);
        subscribe(resources.path("EmailSubscription"), emailQueue);
        subscribe(resources.path("AuditSubscription"), auditQueue);
        subscribe(resources.path("SandboxSubscription"), sandboxQueue);
        ses.createEmailIdentity(b -> b.emailIdentity(EMAIL_FROM));
        Map<String, String> environment = new HashMap<>(emulator.environment());
        environment.putAll(Map.ofEntries(
            Map.entry("PROFILES_TABLE", "profiles-test"),
            Map.entry("CONTACTS_TABLE", "contacts-test"),
            Map.entry("OFFERS_TABLE", "offers-test"),
            Map.entry("NOTIFICATIONS_TABLE", "notifications-test"),
            Map.entry("NOTIFICATIONS_TOPIC_ARN", topicArn),
            Map.entry("FAILED_CHANGES_QUEUE_URL", failedChangesQueue),
            Map.entry("SMS_QUEUE_URL", smsQueue),
            Map.entry("EMAIL_QUEUE_URL", emailQueue),
            Map.entry("DELIVERY_DLQ_URL", deadLetterQueue),
            Map.entry("EMAIL_FROM", EMAIL_FROM),
            Map.entry("UNSUBSCRIBE_URL", UNSUBSCRIBE_URL),
            Map.entry("STAGE", "test"),
            Map.entry("OFFER_CACHE_TTL", "PT0S"),
            Map.entry("REQUEUE_MAX_DELAY", "PT1S"),
            Map.entry("THROTTLE_BACKOFF", "PT0.2S")));
        this.settings = Settings.of(environment);
    }

    /** Creates the resources in a freshly reset emulator (one stack per test class) and loads the test catalog. */
    public static NotificationStack create(MotoExtension.Emulator emulator) {
        NotificationStack stack = new NotificationStack(emulator);
        stack.loadCatalog("/test-catalog.json");
        return stack;
    }

    public void loadCatalog(String resource) {
        try (InputStream in = NotificationStack.class.getResourceAsStream(resource)) {
            OfferRepository.load(dynamoDb, "offers-test", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NotificationLedger ledger() {
        return new NotificationLedger(dynamoDb, "notifications-test", Duration.ofDays(90));
    }

    /** A ledger entry as deliver's claim leaves it: being sent, so that its caps may be reserved. */
    public void sending(String customerId, String ledgerKey) {
        dynamoDb.putItem(b -> b.tableName("notifications-test").item(Map.of(
            "customerId", AttributeValue.fromS(customerId),
            "notificationKey", AttributeValue.fromS(ledgerKey),
            "status", AttributeValue.fromS(NotificationLedger.SENDING))));
    }

    /** A customer as the customer endpoints would leave it: contact details, consent, an empty profile. */
    public void customer(String customerId, Consent.State sms, Consent.State email, String locale, String timeZone,
        Instant at) {
        dynamoDb.putItem(b -> b.tableName("contacts-test").item(ContactItems.toItem(new ContactItems.Contact(
            customerId, phone(customerId), email(customerId), locale, timeZone))));
        Map<Channel, Consent> consent = new java.util.EnumMap<>(Channel.class);
        consent.put(Channel.SMS, new Consent(sms, at));
        consent.put(Channel.EMAIL, new Consent(email, at));
        Profile profile = new Profile(customerId, 1, Map.of(), null, Instant.EPOCH, consent, List.of(), at);
        dynamoDb.putItem(b -> b.tableName("profiles-test").item(ProfileItems.toItem(profile)));
    }

    /** The test phone number of a customer (E.164, South African mobile). */
    public static String phone(String customerId) {
        return "+2782" + String.format("%07d", Math.abs(customerId.hashCode()) % 10_000_000);
    }

    public static String email(String customerId) {
        return customerId + "@example.co.za";
    }

    /** Sets one channel's consent in the stored profile, as a consent event would. */
    public void consent(String customerId, Channel channel, Consent.State state, Instant at) {
        Profile profile = profile(customerId).withConsent(channel, new Consent(state, at), at);
        dynamoDb.putItem(b -> b.tableName("profiles-test").item(ProfileItems.toItem(profile.withVersion(
            profile.version() + 1))));
    }

    public Profile profile(String customerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName("profiles-test")
            .key(Map.of("customerId", AttributeValue.fromS(customerId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : ProfileItems.fromItem(item);
    }

    /**
     * What enrich-function does with one interest event, and the stream record it causes: the stored profile is
     * updated and the record carries the old and new images. A replayed event marks its interest
     * {@code lastEventReplay} (the profile hint notify reads).
     */
    public DynamodbEvent.DynamodbStreamRecord interest(String customerId, String interest, String place,
        String eventId, Instant at, boolean replay) {
        Map<String, AttributeValue> oldItem = dynamoDb.getItem(b -> b.tableName("profiles-test")
            .key(Map.of("customerId", AttributeValue.fromS(customerId))).consistentRead(true)).item();
        Profile before = oldItem == null || oldItem.isEmpty() ? Profile.empty(customerId)
            : ProfileItems.fromItem(oldItem);
        InterestEvent event = new InterestEvent(eventId, customerId, interest, GAZETTEER.resolve(place), at, at, "",
            replay);
        Profile after = merger.apply(before, List.of(event), at).profile().withVersion(before.version() + 1);
        Map<String, AttributeValue> newItem = new HashMap<>(ProfileItems.toItem(after));
        Map<String, AttributeValue> interests = new HashMap<>(newItem.get("interests").m());
        Map<String, AttributeValue> stat = new HashMap<>(interests.get(interest).m());
        stat.put("lastEventReplay", AttributeValue.fromBool(replay));
        interests.put(interest, AttributeValue.fromM(stat));
        newItem.put("interests", AttributeValue.fromM(interests));
        dynamoDb.putItem(b -> b.tableName("profiles-test").item(newItem));
        return record(oldItem == null || oldItem.isEmpty() ? null : oldItem, newItem);
    }

    /** A stream record as Lambda delivers it, for these images ({@code null} old image: an INSERT). */
    public DynamodbEvent.DynamodbStreamRecord record(Map<String, AttributeValue> oldItem,
        Map<String, AttributeValue> newItem) {
        StreamRecord change = new StreamRecord()
            .withKeys(Map.of("customerId", toLambda(newItem != null ? newItem.get("customerId")
                : oldItem.get("customerId"))))
            .withSequenceNumber(Long.toString(sequence.incrementAndGet()))
            .withStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
            .withSizeBytes(1000L);
        if (oldItem != null) {
            change.setOldImage(toLambda(oldItem));
        }
        if (newItem != null) {
            change.setNewImage(toLambda(newItem));
        }
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID("event-" + change.getSequenceNumber());
        record.setEventName(oldItem == null ? "INSERT" : newItem == null ? "REMOVE" : "MODIFY");
        record.setEventSource("aws:dynamodb");
        record.setAwsRegion("af-south-1");
        record.setEventSourceARN("arn:aws:dynamodb:af-south-1:123456789012:table/profiles-test/stream/2026-11-25");
        record.setDynamodb(change);
        return record;
    }

    public static DynamodbEvent batch(List<DynamodbEvent.DynamodbStreamRecord> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    /** Every message now visible on a queue (received, so in flight until deleted or its visibility ends). */
    public List<Message> receive(String queueUrl) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> page = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")
                .visibilityTimeout(30)).messages();
            if (page.isEmpty()) {
                // visible again at once: a message a test only looked at must not reappear 30 s later, in the
                // middle of another test (the next drain removes it)
                for (Message message : all) {
                    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                        .visibilityTimeout(0));
                }
                return all;
            }
            all.addAll(page);
        }
    }

    /** Waits up to 30 s until {@code count} messages have been received from a queue (delayed copies included). */
    public List<Message> await(String queueUrl, int count) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            messages.addAll(receive(queueUrl));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        if (messages.size() != count) {
            throw new AssertionError("expected " + count + " messages on " + queueUrl + " within 30 s, got "
                + messages.size());
        }
        return messages;
    }

    /**
     * What notify-function does with a notification: claim the ledger entry, publish, confirm; here the message
     * goes straight to its channel queue, with the attributes SNS's raw delivery gives it.
     */
    public void queue(Notification notification, Instant at) {
        ledger().claim(notification);
        ledger().transition(notification.customerId(), notification.ledgerKey(),
            List.of(NotificationLedger.PENDING), NotificationLedger.QUEUED, at, Map.of());
        String queue = notification.channel() == Channel.SMS ? smsQueue : emailQueue;
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(NotificationCodec.encode(notification))
            .messageAttributes(Map.of(
                "channel", string(notification.channel().wireName()),
                "replay", string(Boolean.toString(notification.replay())))));
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** The SMS the emulator recorded as sent to a customer's test phone number. */
    public List<JsonNode> smsTo(String customerId) {
        String phone = phone(customerId);
        return smsSent().stream().filter(sms -> sms.path("phoneNumber").asText().equals(phone)).toList();
    }

    /**
     * Empties the queues: what is visible, and then what is delayed once it shows, so that a copy an
     * earlier test re-queued with a delay (deliver waiting out another attempt's lease; REQUEUE_MAX_DELAY is 1 s
     * here) cannot arrive in a later test. PurgeQueue would not do: AWS, and the emulator like it, refuse a second
     * purge of a queue within a minute.
     *
     * @throws AssertionError when a queue still holds delayed messages after 10 s
     */
    public void drain(String... queueUrls) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (String queueUrl : queueUrls) {
            while (true) {
                // counted before the receive: a message whose delay ends between the two is then received by this
                // pass, not left visible after a count of 0 (counted after, it was: a fresh clone's run caught it)
                String delayed = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
                for (Message message : receive(queueUrl)) {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                }
                if (delayed == null || "0".equals(delayed)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("queue " + queueUrl + " still holds " + delayed + " delayed messages");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while draining " + queueUrl, e);
                }
            }
        }
    }

    public static SQSEvent.SQSMessage sqsMessage(Message message, String queueUrl) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        Map<String, String> attributes = new HashMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
        record.setAttributes(attributes);
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
        message.messageAttributes().forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            messageAttributes.put(name, attribute);
        });
        record.setMessageAttributes(messageAttributes);
        record.setEventSource("aws:sqs");
        record.setEventSourceArn("arn:aws:sqs:af-south-1:123456789012:" + queueUrl.substring(
            queueUrl.lastIndexOf('/') + 1));
        return record;
    }

    /** The SMS messages the emulator recorded as sent: phone number and text. */
    public List<JsonNode> smsSent() {
        return outbox("sms");
    }

    /** The emails the emulator recorded as sent. */
    public List<JsonNode> emailsSent() {
        return outbox("email");
    }

    private List<JsonNode> outbox(String kind) {
        try {
            List<JsonNode> messages = new ArrayList<>();
            JSON.readTree(emulator.server().outboxJson()).path(kind).forEach(messages::add);
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, AttributeValue> ledgerEntry(String customerId, String ledgerKey) {
        return ledger().get(customerId, ledgerKey);
    }

    private void table(String name, String hashKey, String rangeKey) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        attributes.add(AttributeDefinition.builder().attributeName(hashKey).attributeType(ScalarAttributeType.S)
            .build());
        keys.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
        if (rangeKey != null) {
            attributes.add(AttributeDefinition.builder().attributeName(rangeKey).attributeType(ScalarAttributeType.S)
                .build());
            keys.add(KeySchemaElement.builder().attributeName(rangeKey).keyType(KeyType.RANGE).build());
        }
        dynamoDb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(attributes).keySchema(keys));
    }

    private String queue(String name) {
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    private void subscribe(JsonNode subscription, String queueUrl) {
        JsonNode properties = subscription.path("Properties");
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
            .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<String, String> attributes = new HashMap<>();
        attributes.put("RawMessageDelivery", properties.path("RawMessageDelivery").asText("false"));
        if (properties.has("FilterPolicy")) {
            attributes.put("FilterPolicy", properties.path("FilterPolicy").toString());
            attributes.put("FilterPolicyScope", properties.path("FilterPolicyScope").asText("MessageAttributes"));
        }
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn).attributes(attributes));
    }

    private static JsonNode template() {
        try {
            return new YAMLMapper().readTree(ProjectRoot.find().resolve("template.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template.yaml", e);
        }
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> toLambda(
        Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image =
            new HashMap<>();
        item.forEach((name, value) -> image.put(name, toLambda(value)));
        return image;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue toLambda(
        AttributeValue value) {
        var converted = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        if (value.s() != null) {
            converted.setS(value.s());
        } else if (value.n() != null) {
            converted.setN(value.n());
        } else if (value.bool() != null) {
            converted.setBOOL(value.bool());
        } else if (value.hasM()) {
            converted.setM(toLambda(value.m()));
        } else if (value.hasL()) {
            List<com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> list = new ArrayList<>();
            value.l().forEach(element -> list.add(toLambda(element)));
            converted.setL(list);
        } else if (value.hasSs()) {
            converted.setSS(value.ss());
        } else {
            converted.setNULL(true);
        }
        return converted;
    }
}
