package za.co.personalisation.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.profile.AppliedEvents;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;

/**
 * The chaos run's accounting, read from what the stack holds once it has drained, never from the run's own
 * counters: the profiles (which events each applied), the failure and dead-letter queues (which events were set
 * aside, and why), the stream (to name the events an event source's on-failure record points at), the notification
 * ledger, the contacts, and the emulator's record of every SMS and email sent (the outbox).
 *
 * <ul>
 *   <li><b>applied</b>: the event's id is among its customer's applied events, or at or below the profile's
 *   horizon (applied, then forgotten: {@link AppliedEvents#isAtOrBelowHorizon});</li>
 *   <li><b>dead-lettered</b>: not applied, and named by a message in enrich's failed-events queue (the raw record)
 *   or its event source's on-failure queue (a range of sequence numbers in the stream);</li>
 *   <li><b>lost</b>: neither;</li>
 *   <li><b>duplicate messages</b>: messages beyond the first with the same channel, recipient, subject and text;</li>
 *   <li><b>messages without consent</b>: messages to a recipient no contact entry has, to a shadow customer, to a
 *   customer who never granted the channel, or dispatched (the ledger's {@code dispatchedAt}) after the API
 *   acknowledged the customer's revocation of the channel (from its receipt when no acknowledgement is known);
 *   those dispatched between receipt and acknowledgement are counted apart, as in flight ({@link ConsentAudit}).</li>
 * </ul>
 */
public final class StackAccounting {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An event the run sent, as the stack should know it: its id, customer and key time. */
    public record SentEvent(String eventId, String customerId, Instant keyTime) {
    }

    /** Where the stack keeps things (physical names and queue URLs). */
    public record Names(String profilesTable, String contactsTable, String ledgerTable, String stream,
        String failedEventsQueue, String enrichFailureQueue, String notifyFailureQueue,
        String deliveryDeadLetterQueue) {
    }

    /**
     * The figures. {@code deadLetterReasons}: dead-lettered events by reason; {@code ledger}: entries by status.
     */
    public record Accounting(int events, int applied, int appliedBelowHorizon, int deadLettered,
        Map<String, Integer> deadLetterReasons, int lost, List<String> lostSample, int shadowEvents,
        int shadowApplied, int shadowDeadLettered, int shadowLost, int notifyDeadLettered,
        Map<String, Integer> notifyReasons, int deliveryDeadLettered, Map<String, Integer> deliveryReasons,
        Map<String, Integer> ledger, int messages, int duplicateMessages, int messagesWithoutConsent,
        List<String> withoutConsentSample, int inFlightAtOptOut, List<String> inFlightSample) {

        /** The run's last line. */
        public String line() {
            StringBuilder reasons = new StringBuilder();
            deadLetterReasons.forEach((reason, count) -> reasons.append(reasons.length() == 0 ? "" : "; ")
                .append(reason).append(' ').append(count));
            return "chaos: events " + events + ", applied " + applied + ", dead-lettered " + deadLettered
                + " (reasons: " + (reasons.length() == 0 ? "none" : reasons) + "), lost " + lost + ", messages "
                + messages + ", duplicate messages " + duplicateMessages + ", messages without consent "
                + messagesWithoutConsent;
        }

        /** The line before the last: messages whose dispatch began between an opt-out's receipt and its 202. */
        public String inFlightLine() {
            return "chaos: messages in flight when the opt-out arrived " + inFlightAtOptOut
                + " (dispatch began after the API received the revocation, before it acknowledged it: allowed)";
        }

        /** The three promises: nothing lost, nothing sent twice, nothing sent without consent. */
        public boolean kept() {
            return lost == 0 && shadowLost == 0 && duplicateMessages == 0 && messagesWithoutConsent == 0;
        }
    }

    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final KinesisClient kinesis;
    private final Names names;

    public StackAccounting(DynamoDbClient dynamoDb, SqsClient sqs, KinesisClient kinesis, Names names) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.kinesis = kinesis;
        this.names = names;
    }

    /**
     * @param live     the events sent for live customers
     * @param shadow   the replayed events as the replays remapped them (each once, however often it was replayed)
     * @param outbox   the emulator's outbox (JSON, as {@code GET /_local/outbox} answers)
     * @param revocations the revocations the run asked for, with when the API acknowledged each (the one figure not
     *                 read from the stack: only the client sees the acknowledgement)
     */
    public Accounting read(List<SentEvent> live, List<SentEvent> shadow, String outbox,
        List<Revocation> revocations) {
        Map<String, Profile> profiles = new HashMap<>();
        scan(names.profilesTable(), item -> {
            Profile profile = ProfileItems.fromItem(item);
            profiles.put(profile.customerId(), profile);
        });
        Map<String, String> deadLetters = new HashMap<>();
        readFailedEvents(deadLetters);
        readOnFailure(deadLetters);

        int[] liveCounts = new int[4];
        List<String> lostSample = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        classify(live, profiles, deadLetters, liveCounts, lostSample, reasons);
        int[] shadowCounts = new int[4];
        classify(shadow, profiles, deadLetters, shadowCounts, lostSample, reasons);

        Map<String, Integer> notifyReasons = new TreeMap<>();
        int notifyDead = readQueue(names.notifyFailureQueue(), message -> notifyReasons.merge(condition(message), 1,
            Integer::sum));
        Map<String, Integer> deliveryReasons = new TreeMap<>();
        int deliveryDead = readQueue(names.deliveryDeadLetterQueue(), message -> deliveryReasons.merge(
            attribute(message, "reason"), 1, Integer::sum));

        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, List<ConsentAudit.Dispatch>> dispatched = new HashMap<>();
        scan(names.ledgerTable(), item -> {
            String key = text(item, "notificationKey");
            if (key.startsWith("cap#") || key.startsWith(ConsentStatements.KEY_PREFIX)) {
                return;
            }
            statuses.merge(text(item, "status"), 1, Integer::sum);
            String at = text(item, "dispatchedAt");
            if (!at.isEmpty()) {
                dispatched.computeIfAbsent(ConsentAudit.key(text(item, "customerId"), text(item, "channel")),
                    k -> new ArrayList<>()).add(new ConsentAudit.Dispatch(key, text(item, "status"),
                        Instant.parse(at)));
            }
        });
        Map<String, String> customersByRecipient = new HashMap<>();
        scan(names.contactsTable(), item -> {
            String id = text(item, "customerId");
            for (String field : List.of("phone", "email")) {
                if (!text(item, field).isEmpty()) {
                    customersByRecipient.put(text(item, field), id);
                }
            }
        });

        List<String[]> messages = outboxMessages(outbox);
        Map<String, Integer> copies = new HashMap<>();
        Map<String, Integer> perRecipient = new HashMap<>();
        for (String[] message : messages) {
            copies.merge(String.join("\u0000", message), 1, Integer::sum);
            perRecipient.merge(message[0] + "|" + message[1], 1, Integer::sum);
        }
        int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
        Map<String, Consent> consents = new HashMap<>();
        profiles.values().forEach(profile -> profile.consent().forEach((channel, consent) ->
            consents.put(ConsentAudit.key(profile.customerId(), channel.wireName()), consent)));
        ConsentAudit.Result consent = new ConsentAudit(customersByRecipient, consents, dispatched, revocations)
            .judge(perRecipient);
        return new Accounting(live.size(), liveCounts[0], liveCounts[1], liveCounts[2], reasons, liveCounts[3],
            lostSample, shadow.size(), shadowCounts[0], shadowCounts[2], shadowCounts[3], notifyDead, notifyReasons,
            deliveryDead, deliveryReasons, statuses, messages.size(), duplicates, consent.withoutConsent(),
            consent.withoutConsentDetails(), consent.inFlight(), consent.inFlightDetails());
    }

    /** counts: applied, of them below the horizon, dead-lettered, lost. */
    private static void classify(List<SentEvent> events, Map<String, Profile> profiles,
        Map<String, String> deadLetters, int[] counts, List<String> lostSample, Map<String, Integer> reasons) {
        for (SentEvent event : events) {
            Profile profile = profiles.get(event.customerId());
            AppliedEvents applied = profile == null ? AppliedEvents.NONE : profile.applied();
            if (applied.contains(event.eventId())) {
                counts[0]++;
            } else if (applied.isAtOrBelowHorizon(event.keyTime(), event.eventId())) {
                counts[0]++;
                counts[1]++;
            } else if (deadLetters.containsKey(event.eventId())) {
                counts[2]++;
                reasons.merge(deadLetters.get(event.eventId()), 1, Integer::sum);
            } else {
                counts[3]++;
                if (lostSample.size() < 10) {
                    lostSample.add(event.eventId());
                }
            }
        }
    }

    private void readFailedEvents(Map<String, String> deadLetters) {
        readQueue(names.failedEventsQueue(), message -> {
            try {
                JsonNode body = JSON.readTree(message.body());
                byte[] raw = Base64.getDecoder().decode(body.path("rawRecordBase64").asText());
                String reason = body.path("reason").asText("");
                deadLetters.put(StreamEventCodec.decode(raw).eventId(), "failed-events: " + shorten(reason));
            } catch (IOException | RuntimeException e) {
                // a record that is not an envelope has no eventId: none of the run's events
            }
        });
    }

    /** The event source's on-failure records name a shard and a range of sequence numbers: read them back. */
    private void readOnFailure(Map<String, String> deadLetters) {
        List<JsonNode> failures = new ArrayList<>();
        readQueue(names.enrichFailureQueue(), message -> {
            try {
                failures.add(JSON.readTree(message.body()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (failures.isEmpty()) {
            return;
        }
        Map<String, List<Record>> records = new HashMap<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(names.stream())).shards()) {
            records.put(shard.shardId(), shardRecords(shard.shardId()));
        }
        for (JsonNode failure : failures) {
            String condition = "enrich on-failure: " + failure.path("requestContext").path("condition").asText();
            for (JsonNode info : failure) {
                if (!info.has("startSequenceNumber")) {
                    continue;
                }
                BigInteger from = new BigInteger(info.path("startSequenceNumber").asText());
                BigInteger to = new BigInteger(info.path("endSequenceNumber").asText());
                for (Record record : records.getOrDefault(info.path("shardId").asText(), List.of())) {
                    BigInteger sequence = new BigInteger(record.sequenceNumber());
                    if (sequence.compareTo(from) >= 0 && sequence.compareTo(to) <= 0) {
                        try {
                            deadLetters.putIfAbsent(StreamEventCodec.decode(record.data().asByteArray()).eventId(),
                                condition);
                        } catch (RuntimeException e) {
                            // not an envelope
                        }
                    }
                }
            }
        }
    }

    private List<Record> shardRecords(String shardId) {
        List<Record> records = new ArrayList<>();
        String iterator = kinesis.getShardIterator(b -> b.streamName(names.stream()).shardId(shardId)
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            // pages of 1,000: a busy emulator answers each well within the client's timeout
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(1_000));
            records.addAll(page.records());
            if (page.records().isEmpty() || page.millisBehindLatest() != null && page.millisBehindLatest() == 0
                && page.records().size() < 1_000) {
                break;
            }
            iterator = page.nextShardIterator();
        }
        return records;
    }

    /**
     * Reads every message of a queue without deleting any or hiding it (visibility timeout 0), so that reading
     * again reads the same; stops when it has seen as many as the queue holds, or nothing new comes in 20 tries.
     */
    private int readQueue(String url, Consumer<Message> each) {
        Map<QueueAttributeName, String> depth = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        long held = Long.parseLong(depth.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
            + Long.parseLong(depth.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
        Set<String> seen = new HashSet<>();
        int fruitless = 0;
        while (seen.size() < held && fruitless < 20) {
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .visibilityTimeout(0).waitTimeSeconds(0).messageAttributeNames("All")).messages();
            int before = seen.size();
            for (Message message : received) {
                if (seen.add(message.messageId())) {
                    each.accept(message);
                }
            }
            fruitless = seen.size() == before ? fruitless + 1 : 0;
        }
        return seen.size();
    }

    private void scan(String table, Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            // small pages: each call holds the emulator's lock briefly, so a busy stack still answers in time
            ScanResponse page = dynamoDb.scan(b -> b.tableName(table).consistentRead(true).limit(200)
                .exclusiveStartKey(from));
            page.items().forEach(each);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** channel, recipient, subject, text of each message the emulator recorded as sent. */
    static List<String[]> outboxMessages(String outbox) {
        JsonNode recorded;
        try {
            recorded = JSON.readTree(outbox);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the emulator keeps the latest MOTO_SENT_LIMIT messages of each kind; a count over fewer would miss copies
        long dropped = recorded.path("dropped").path("sms").asLong() + recorded.path("dropped").path("email").asLong();
        if (dropped > 0) {
            throw new IllegalStateException("the emulator's outbox no longer holds " + dropped + " of the messages"
                + " sent (MOTO_SENT_LIMIT): duplicates cannot be counted over what is left");
        }
        List<String[]> messages = new ArrayList<>();
        for (JsonNode sms : recorded.path("sms")) {
            messages.add(new String[] {"sms", sms.path("phoneNumber").asText(), "", sms.path("message").asText()});
        }
        for (JsonNode email : recorded.path("email")) {
            List<String> to = new ArrayList<>();
            email.path("destinations").path("ToAddresses").forEach(address -> to.add(address.asText()));
            messages.add(new String[] {"email", String.join(",", to), email.path("subject").asText(),
                email.path("body").asText()});
        }
        return messages;
    }

    static String condition(Message message) {
        try {
            return "notify on-failure: " + JSON.readTree(message.body()).path("requestContext").path("condition")
                .asText();
        } catch (IOException e) {
            return "notify on-failure: unreadable";
        }
    }

    private static String attribute(Message message, String name) {
        MessageAttributeValue value = message.messageAttributes().get(name);
        return value == null || value.stringValue() == null ? "(no reason)" : shorten(value.stringValue());
    }

    private static String shorten(String reason) {
        String flat = reason.replaceAll("[\\s,;()]+", " ").trim();
        return flat.length() > 60 ? flat.substring(0, 60) : flat;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            return "";
        }
        return value.s() != null ? value.s() : value.n() != null ? value.n() : "";
    }

    /** Entries of the ledger that are not settled: pending, queued or sending. */
    static int unsettled(Map<String, Integer> ledger) {
        return ledger.getOrDefault(NotificationLedger.PENDING, 0) + ledger.getOrDefault(NotificationLedger.QUEUED, 0)
            + ledger.getOrDefault(NotificationLedger.SENDING, 0);
    }
}
