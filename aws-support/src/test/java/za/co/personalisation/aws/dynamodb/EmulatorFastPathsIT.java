package za.co.personalisation.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * The emulator's CPU fast paths (local/moto/fast_paths.py) and its packed items (local/moto/memory_bounds.py), both
 * issue 14, give the answers moto's own code gives. Every test runs the same calls against the test emulator (both
 * on) and against a second one started with MOTO_FAST_PATHS=0 and MOTO_MEMORY_BOUNDS=0 (moto's own serializer,
 * TransactWriteItems and items as DynamoType objects), and compares what the SDK reads back.
 * Emulator only: nothing here is what a function does on AWS.
 */
@ExtendWith(MotoExtension.class)
class EmulatorFastPathsIT {

    private static MotoServer plain;
    private static int tables;

    private Side fast;
    private Side slow;
    private String table;
    private URI fastEndpoint;

    /** One emulator, as the SDK sees it. */
    private record Side(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, SqsClient sqs) {
    }

    @BeforeAll
    static void startPlainEmulator() {
        plain = MotoServer.start(ProjectRoot.find(), 0, ProjectRoot.find().resolve(
            ".local-aws/logs/moto-plain-test-" + ProcessHandle.current().pid() + ".log"),
            Map.of("MOTO_FAST_PATHS", "0", "MOTO_MEMORY_BOUNDS", "0"));
    }

    @AfterAll
    static void stopPlainEmulator() {
        plain.close();
    }

    @BeforeEach
    void tables(MotoExtension.Emulator emulator) {
        Map<String, String> plainEnvironment = new HashMap<>(emulator.environment());
        plainEnvironment.put("AWS_ENDPOINT_URL", plain.endpoint().toString());
        fastEndpoint = emulator.endpoint();
        fast = side(emulator.environment());
        slow = side(plainEnvironment);
        table = "fast-paths-" + ++tables;
        for (Side side : List.of(fast, slow)) {
            side.dynamoDb().createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                    a -> a.attributeName("sk").attributeType("N"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        }
    }

    private static Side side(Map<String, String> environment) {
        AwsClients clients = new AwsClients(Settings.of(environment));
        return new Side(clients.dynamoDb(), clients.dynamoDbStreams(), clients.sqs());
    }

    // --- response serialization --------------------------------------------------------------------------------

    @Test
    void itemsOfEveryAttributeType_readBackAsWritten_byEveryReadAndTheStream_asMotoItselfAnswers() {
        List<Map<String, AttributeValue>> written = items(new Random(14), 60);
        for (Side side : List.of(fast, slow)) {
            written.forEach(item -> side.dynamoDb().putItem(b -> b.tableName(table).item(item)));
        }

        for (Function<Side, List<Map<String, AttributeValue>>> read : List.<Function<Side,
                List<Map<String, AttributeValue>>>>of(this::getEach, this::queryEach, this::scanAll, this::batchGet,
                this::transactGet)) {
            List<Map<String, AttributeValue>> fastAnswer = read.apply(fast);
            assertThat(fastAnswer).containsExactlyInAnyOrderElementsOf(written);
            assertThat(fastAnswer).isEqualTo(read.apply(slow));
        }
        // the stream's images as moto streams them (moto base64-encodes a top-level B twice there, fast paths or not)
        assertThat(images(streamRecords(fast), Record::dynamodb, "keys"))
            .containsExactlyElementsOf(written.stream().map(EmulatorFastPathsIT::key).toList());
        assertSameOutcome();
    }

    @Test
    void overwriteAndUpdate_returnTheOldAndNewImages_asMotoItselfAnswers() {
        List<Map<String, AttributeValue>> first = items(new Random(7), 20);
        List<Map<String, AttributeValue>> second = items(new Random(8), 20);
        List<List<Map<String, AttributeValue>>> answers = new ArrayList<>();
        for (Side side : List.of(fast, slow)) {
            List<Map<String, AttributeValue>> answer = new ArrayList<>();
            first.forEach(item -> side.dynamoDb().putItem(b -> b.tableName(table).item(item)));
            for (int i = 0; i < second.size(); i++) {
                Map<String, AttributeValue> replacement = new HashMap<>(second.get(i));
                replacement.putAll(key(first.get(i)));
                answer.add(side.dynamoDb().putItem(b -> b.tableName(table).item(replacement)
                    .returnValues("ALL_OLD")).attributes());
                answer.add(side.dynamoDb().updateItem(b -> b.tableName(table).key(key(replacement))
                    .updateExpression("SET #n = :v").expressionAttributeNames(Map.of("#n", "added"))
                    .expressionAttributeValues(Map.of(":v", replacement.getOrDefault("a0", s("x"))))
                    .returnValues("ALL_NEW")).attributes());
            }
            answers.add(answer);
        }

        assertThat(answers.get(0)).isEqualTo(answers.get(1));
        assertThat(answers.get(0).subList(0, 1)).containsExactly(first.get(0));
    }

    @Test
    void queriesOfAnIndex_andScans_pageThroughTheItemsInMotosOrder() {
        String indexed = table + "-indexed";
        Random random = new Random(21);
        List<Map<String, AttributeValue>> written = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String number = switch (random.nextInt(4)) {
                case 0 -> Integer.toString(random.nextInt(2_000_001) - 1_000_000);
                case 1 -> String.format(java.util.Locale.ROOT, "%.3f", random.nextDouble() * 10 - 5);
                case 2 -> "1E+" + random.nextInt(5);
                default -> Integer.toString(random.nextInt(10));
            };
            written.add(Map.of("pk", s("customer-" + random.nextInt(40)),
                "sk", AttributeValue.fromN(Integer.toString(i * 7 - 300)),
                "g", s("group-" + random.nextInt(4)), "r", AttributeValue.fromN(number)));
        }
        for (Side side : List.of(fast, slow)) {
            side.dynamoDb().createTable(b -> b.tableName(indexed).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                    a -> a.attributeName("sk").attributeType("N"), a -> a.attributeName("g").attributeType("S"),
                    a -> a.attributeName("r").attributeType("N"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .globalSecondaryIndexes(g -> g.indexName("by-group").projection(p -> p.projectionType("ALL"))
                    .keySchema(k -> k.attributeName("g").keyType("HASH"),
                        k -> k.attributeName("r").keyType("RANGE"))));
            written.forEach(item -> side.dynamoDb().putItem(b -> b.tableName(indexed).item(item)));
        }
        for (String group : List.of("group-0", "group-1", "group-2", "group-3")) {
            for (boolean forward : List.of(true, false)) {
                List<List<Map<String, AttributeValue>>> answers = new ArrayList<>();
                for (Side side : List.of(fast, slow)) {
                    List<Map<String, AttributeValue>> pages = new ArrayList<>();
                    side.dynamoDb().queryPaginator(b -> b.tableName(indexed).indexName("by-group")
                        .keyConditionExpression("g = :g").expressionAttributeValues(Map.of(":g", s(group)))
                        .scanIndexForward(forward).limit(7)).items().forEach(pages::add);
                    answers.add(pages);
                }
                assertThat(answers.get(0)).as("%s, forward %s", group, forward).isNotEmpty()
                    .isEqualTo(answers.get(1));
            }
        }
        List<List<Map<String, AttributeValue>>> scans = new ArrayList<>();
        for (Side side : List.of(fast, slow)) {
            List<Map<String, AttributeValue>> pages = new ArrayList<>();
            side.dynamoDb().scanPaginator(b -> b.tableName(indexed).limit(9)).items().forEach(pages::add);
            scans.add(pages);
        }
        assertThat(scans.get(0)).hasSize(120).isEqualTo(scans.get(1));
    }

    // --- packed items (memory_bounds.py) --------------------------------------------------------------------------

    @Test
    void packedItems_changedInPlaceByUpdates_betweenReads_answerAsMotosObjectsDo() throws Exception {
        Random random = new Random(31);
        int smallTexts = TEXTS.length - 1; // without the 20,000-character one: moto takes 0.3 s an update with it
        List<Map<String, AttributeValue>> written = items(random, 30, smallTexts);
        for (Side side : List.of(fast, slow)) {
            written.forEach(item -> put(side, item));
        }
        // not REMOVE of a path into an attribute that is not a map: moto answers 500 there, and the SDK retries
        List<String> updates = List.of("SET #a = :v", "SET #a.#k = :v", "ADD #n :one", "ADD #s :set", "REMOVE #a",
            "SET #l = list_append(if_not_exists(#l, :empty), :list)", "SET #n = #n + :one");
        List<String> answered = new ArrayList<>();
        for (int step = 0; step < 150; step++) {
            Map<String, AttributeValue> key = key(written.get(random.nextInt(written.size())));
            String expression = updates.get(random.nextInt(updates.size()));
            Map<String, String> names = new HashMap<>(Map.of("#a", "a" + random.nextInt(12), "#k",
                "m" + random.nextInt(3), "#n", "count", "#s", "tags", "#l", "log"));
            names.keySet().removeIf(name -> !expression.contains(name));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":v", value(random, 1, smallTexts),
                ":one", AttributeValue.fromN("1"), ":set", AttributeValue.fromSs(List.of("t" + random.nextInt(4))),
                ":empty", AttributeValue.fromL(List.of()),
                ":list", AttributeValue.fromL(List.of(value(random, 2, smallTexts)))));
            values.keySet().removeIf(name -> !expression.contains(name));
            int read = random.nextInt(4);
            List<String> outcomes = new ArrayList<>();
            for (Side side : List.of(fast, slow)) {
                outcomes.add(outcome(() -> side.dynamoDb().updateItem(b -> b.tableName(table).key(key)
                    .updateExpression(expression).expressionAttributeNames(names)
                    .expressionAttributeValues(values.isEmpty() ? null : values).returnValues("ALL_NEW"))
                    .attributes()) + " then " + outcome(() -> switch (read) {
                        case 0 -> side.dynamoDb().getItem(b -> b.tableName(table).key(key)).item();
                        case 1 -> side.dynamoDb().query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                            .expressionAttributeValues(Map.of(":pk", key.get("pk")))).items();
                        case 2 -> side.dynamoDb().putItem(b -> b.tableName(table).item(key)
                            .conditionExpression("attribute_not_exists(pk)")).attributes();
                        default -> side.dynamoDb().scan(b -> b.tableName(table)
                            .projectionExpression("pk, sk, #c").expressionAttributeNames(Map.of("#c", "count")))
                            .items();
                    }));
            }
            assertThat(outcomes.get(0)).as("step %d: %s %s", step, expression, names).isEqualTo(outcomes.get(1));
            answered.add(outcomes.get(0));
        }

        assertThat(answered).as("some updates succeed and some are refused").anyMatch(a -> a.startsWith("{"))
            .anyMatch(a -> a.startsWith("ValidationException"));
        assertSameOutcome();
        assertThat(holdings(fastEndpoint).path("tableItemsPacked").asInt()).as("the test emulator packs its items")
            .isGreaterThanOrEqualTo(written.size());
        assertThat(holdings(plain.endpoint()).path("tableItemsPacked").asInt()).as("the plain one does not")
            .isZero();
    }

    @Test
    void indexQueries_overPackedItemsWhoseKeysChange_answerAsMotosObjectsDo() {
        String indexed = table + "-keys";
        Random random = new Random(44);
        for (Side side : List.of(fast, slow)) {
            side.dynamoDb().createTable(b -> b.tableName(indexed).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                    a -> a.attributeName("g").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .globalSecondaryIndexes(g -> g.indexName("by-g").projection(p -> p.projectionType("ALL"))
                    .keySchema(k -> k.attributeName("g").keyType("HASH"))));
        }
        List<String> answered = new ArrayList<>();
        for (int step = 0; step < 160; step++) {
            if (step == 80) { // an index added later: the items packed before it have no copy of its key
                for (Side side : List.of(fast, slow)) {
                    side.dynamoDb().updateTable(b -> b.tableName(indexed)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                            a -> a.attributeName("g").attributeType("S"),
                            a -> a.attributeName("h").attributeType("N"))
                        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("by-h")
                            .keySchema(k -> k.attributeName("h").keyType("HASH"))
                            .projection(p -> p.projectionType("ALL")))));
                }
            }
            Map<String, AttributeValue> key = Map.of("pk", s("c" + random.nextInt(25)));
            AttributeValue group = s("group-" + random.nextInt(3));
            AttributeValue number = AttributeValue.fromN(Integer.toString(random.nextInt(3)));
            int change = random.nextInt(5);
            String index = step >= 80 && random.nextBoolean() ? "by-h" : "by-g";
            List<String> outcomes = new ArrayList<>();
            for (Side side : List.of(fast, slow)) {
                DynamoDbClient dynamoDb = side.dynamoDb();
                String changed = outcome(() -> switch (change) {
                    case 0 -> dynamoDb.putItem(b -> b.tableName(indexed).item(Map.of("pk", key.get("pk"),
                        "g", group, "h", number))).attributes();
                    case 1 -> dynamoDb.updateItem(b -> b.tableName(indexed).key(key).updateExpression("SET g = :g")
                        .expressionAttributeValues(Map.of(":g", group))).attributes();
                    case 2 -> dynamoDb.updateItem(b -> b.tableName(indexed).key(key).updateExpression("REMOVE g, h"))
                        .attributes();
                    case 3 -> dynamoDb.updateItem(b -> b.tableName(indexed).key(key).updateExpression("SET h = :h")
                        .expressionAttributeValues(Map.of(":h", number))).attributes();
                    default -> dynamoDb.deleteItem(b -> b.tableName(indexed).key(key)).attributes();
                });
                String found = outcome(() -> dynamoDb.query(b -> b.tableName(indexed).indexName(index)
                    .keyConditionExpression(index.equals("by-g") ? "g = :v" : "h = :v")
                    .expressionAttributeValues(Map.of(":v", index.equals("by-g") ? group : number))).items());
                outcomes.add(changed + " then " + found);
            }
            assertThat(outcomes.get(0)).as("step %d", step).isEqualTo(outcomes.get(1));
            answered.add(outcomes.get(1));
        }

        assertThat(answered).as("queries find items").anyMatch(a -> a.contains("then [{"));
    }

    // --- a new item's size check, SQS queue counts -------------------------------------------------------------

    @Test
    void itemsAroundTheSizeLimit_areAcceptedAndRefused_whereMotoItselfDrawsTheLine() {
        // the key and v (14 bytes), 100 attributes of 2,000 two-byte characters (4,004 bytes each with the name),
        // then z of `length` ASCII bytes: moto refuses more than 405,000 bytes in all, so from length 4,586 on
        List<String> outcomes = new ArrayList<>();
        for (int length = 4_580; length <= 4_590; length++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>(item("size", length, "x"));
            for (int i = 0; i < 100; i++) {
                item.put("a%03d".formatted(i), s("\u00fc".repeat(2_000)));
            }
            item.put("z", s("y".repeat(length)));
            List<String> answers = new ArrayList<>();
            for (Side side : List.of(fast, slow)) {
                answers.add(outcome(() -> side.dynamoDb().putItem(b -> b.tableName(table).item(item)) != null
                    ? "accepted" : "?"));
            }
            assertThat(answers.get(0)).as("length %d", length).isEqualTo(answers.get(1));
            outcomes.add(answers.get(0));
        }

        assertThat(outcomes).as("both sides of the line are tried").contains("accepted")
            .anyMatch(o -> o.contains("Item size has exceeded the maximum allowed size"));
        assertThat(outcomes.indexOf("accepted")).isZero();
    }

    @Test
    void queueCounts_ofVisibleInFlightAndDelayedMessages_areWhatMotoItselfCounts() {
        List<Map<QueueAttributeName, String>> counts = new ArrayList<>();
        for (Side side : List.of(fast, slow)) {
            String queue = side.sqs().createQueue(b -> b.queueName(table)).queueUrl();
            for (int i = 0; i < 6; i++) {
                int n = i;
                side.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("visible " + n));
            }
            for (int i = 0; i < 4; i++) {
                int n = i;
                side.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("delayed " + n).delaySeconds(900));
            }
            int received = 0;
            while (received < 6) {
                received += side.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                    .visibilityTimeout(600)).messages().size();
            }
            for (int i = 0; i < 3; i++) {
                int n = i;
                side.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("later " + n));
            }
            counts.add(side.sqs().getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes());
        }

        assertThat(counts.get(0)).isEqualTo(counts.get(1)).isEqualTo(Map.of(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "3",
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "6",
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "4"));
    }

    private static String outcome(Supplier<Object> call) {
        try {
            return String.valueOf(call.get());
        } catch (DynamoDbException e) {
            return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
    }

    private static JsonNode holdings(URI endpoint) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(endpoint.resolve("/_local/memory/holdings")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }

    // --- TransactWriteItems ------------------------------------------------------------------------------------

    @Test
    void transaction_whenEveryConditionHolds_appliesEveryWrite_withOneStreamRecordEach() {
        for (Side side : List.of(fast, slow)) {
            put(side, item("a", 1, "old"));
            put(side, item("b", 1, "gone"));
            put(side, item("c", 1, "checked"));
        }
        int before = streamRecords(fast).size();

        List<TransactWriteItem> writes = List.of(
            TransactWriteItem.builder().put(p -> p.tableName(table).item(item("new", 1, "v"))
                .conditionExpression("attribute_not_exists(pk)")).build(),
            TransactWriteItem.builder().update(u -> u.tableName(table).key(key("a", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("updated")))).build(),
            TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("b", 1))).build(),
            TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key("c", 1))
                .conditionExpression("attribute_exists(pk)")).build());
        for (Side side : List.of(fast, slow)) {
            side.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
        }

        assertThat(scan(fast)).containsExactlyInAnyOrder(item("a", 1, "updated"), item("c", 1, "checked"),
            item("new", 1, "v"));
        List<Record> records = streamRecords(fast).subList(before, streamRecords(fast).size());
        assertThat(records).extracting(r -> r.eventNameAsString()).containsExactly("INSERT", "MODIFY", "REMOVE");
        assertSameOutcome();
    }

    @Test
    void transaction_whenAConditionFails_appliesNothing_givesEachItemsReasonInOrder_andNoStreamRecord() {
        for (Side side : List.of(fast, slow)) {
            put(side, item("a", 1, "old"));
            put(side, item("c", 1, "taken"));
        }
        int before = streamRecords(fast).size();
        List<Map<String, AttributeValue>> stored = scan(fast);

        List<TransactWriteItem> writes = List.of(
            TransactWriteItem.builder().put(p -> p.tableName(table).item(item("new", 1, "v"))).build(),
            TransactWriteItem.builder().update(u -> u.tableName(table).key(key("a", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("updated")))).build(),
            TransactWriteItem.builder().update(u -> u.tableName(table).key(key("created", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("created")))).build(),
            TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key("c", 1))
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        List<List<CancellationReason>> reasons = new ArrayList<>();
        for (Side side : List.of(fast, slow)) {
            Throwable thrown = catchThrowable(() -> side.dynamoDb().transactWriteItems(b -> b.transactItems(writes)));
            assertThat(thrown).isInstanceOf(TransactionCanceledException.class);
            reasons.add(((TransactionCanceledException) thrown).cancellationReasons());
        }

        assertThat(reasons.get(0)).extracting(CancellationReason::code)
            .containsExactly("None", "None", "None", "ConditionalCheckFailed");
        assertThat(reasons.get(0).get(3).item()).isEqualTo(item("c", 1, "taken"));
        assertThat(reasons.get(0)).isEqualTo(reasons.get(1));
        assertThat(scan(fast)).isEqualTo(stored);
        assertThat(streamRecords(fast)).hasSize(before);
        assertSameOutcome();
    }

    @Test
    void transaction_namingTheSameItemTwice_isRefused_andAppliesNothing() {
        List<TransactWriteItem> writes = List.of(
            TransactWriteItem.builder().put(p -> p.tableName(table).item(item("other", 1, "v"))).build(),
            TransactWriteItem.builder().put(p -> p.tableName(table).item(item("same", 1, "v"))).build(),
            TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("same", 1))).build());
        List<String> messages = new ArrayList<>();
        for (Side side : List.of(fast, slow)) {
            Throwable thrown = catchThrowable(() -> side.dynamoDb().transactWriteItems(b -> b.transactItems(writes)));
            assertThat(thrown).isInstanceOf(DynamoDbException.class)
                .isNotInstanceOf(TransactionCanceledException.class);
            assertThat(((DynamoDbException) thrown).awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            messages.add(((DynamoDbException) thrown).awsErrorDetails().errorMessage());
        }

        assertThat(messages.get(0)).contains("multiple operations on one item").isEqualTo(messages.get(1));
        assertThat(scan(fast)).isEmpty();
        assertThat(streamRecords(fast)).isEmpty();
        assertSameOutcome();
    }

    @Test
    void transaction_whoseLaterWriteIsInvalid_undoesTheEarlierWrites() {
        for (Side side : List.of(fast, slow)) {
            put(side, item("a", 1, "old"));
        }
        int before = streamRecords(fast).size();
        Map<String, AttributeValue> wrongKeyType = new HashMap<>(key("x", 1));
        wrongKeyType.put("pk", AttributeValue.fromN("5"));
        List<TransactWriteItem> writes = List.of(
            TransactWriteItem.builder().put(p -> p.tableName(table).item(item("new", 1, "v"))).build(),
            TransactWriteItem.builder().update(u -> u.tableName(table).key(key("a", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("updated")))).build(),
            TransactWriteItem.builder().put(p -> p.tableName(table).item(wrongKeyType)).build());
        List<String> errors = new ArrayList<>();
        for (Side side : List.of(fast, slow)) {
            Throwable thrown = catchThrowable(() -> side.dynamoDb().transactWriteItems(b -> b.transactItems(writes)));
            assertThat(thrown).isInstanceOf(DynamoDbException.class);
            errors.add(((DynamoDbException) thrown).awsErrorDetails().errorCode() + ": "
                + ((DynamoDbException) thrown).awsErrorDetails().errorMessage());
        }

        assertThat(errors.get(0)).startsWith("ValidationException").isEqualTo(errors.get(1));
        assertThat(scan(fast)).containsExactly(item("a", 1, "old"));
        assertThat(streamRecords(fast)).hasSize(before);
        assertSameOutcome();
    }

    @Test
    void transaction_whoseUpdateCreatesTheItem_streamsWhatMotoStreams() {
        List<TransactWriteItem> writes = List.of(
            TransactWriteItem.builder().update(u -> u.tableName(table).key(key("created", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("created")))).build());
        for (Side side : List.of(fast, slow)) {
            side.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
        }

        assertThat(scan(fast)).containsExactly(item("created", 1, "created"));
        assertThat(images(streamRecords(fast), Record::dynamodb, "new")).last()
            .isEqualTo(item("created", 1, "created"));
        assertSameOutcome();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** Both emulators hold the same items and streamed the same changes, in the same order. */
    private void assertSameOutcome() {
        assertThat(scan(fast)).isEqualTo(scan(slow));
        List<Record> fastRecords = streamRecords(fast);
        List<Record> slowRecords = streamRecords(slow);
        assertThat(fastRecords).extracting(Record::eventNameAsString)
            .isEqualTo(slowRecords.stream().map(Record::eventNameAsString).toList());
        for (String image : List.of("keys", "new", "old")) {
            assertThat(images(fastRecords, Record::dynamodb, image))
                .isEqualTo(images(slowRecords, Record::dynamodb, image));
        }
    }

    private List<Map<String, AttributeValue>> getEach(Side side) {
        return scanAll(side).stream().map(item -> side.dynamoDb().getItem(b -> b.tableName(table).key(key(item))
            .consistentRead(true)).item()).toList();
    }

    private List<Map<String, AttributeValue>> queryEach(Side side) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        scanAll(side).stream().map(item -> item.get("pk")).distinct().forEach(pk -> side.dynamoDb()
            .queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", pk)).limit(3))
            .items().forEach(all::add));
        return all;
    }

    private List<Map<String, AttributeValue>> scanAll(Side side) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        side.dynamoDb().scanPaginator(b -> b.tableName(table).limit(7)).items().forEach(all::add);
        return all;
    }

    private List<Map<String, AttributeValue>> scan(Side side) {
        ScanResponse response = side.dynamoDb().scan(b -> b.tableName(table).consistentRead(true));
        return response.items();
    }

    private List<Map<String, AttributeValue>> batchGet(Side side) {
        List<Map<String, AttributeValue>> keys = scanAll(side).stream().map(EmulatorFastPathsIT::key).toList();
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 25) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(keys.size(), from + 25));
            all.addAll(side.dynamoDb().batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(chunk).build()))).responses().get(table));
        }
        return all;
    }

    private List<Map<String, AttributeValue>> transactGet(Side side) {
        List<Map<String, AttributeValue>> keys = scanAll(side).stream().map(EmulatorFastPathsIT::key).toList();
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 25) {
            List<TransactGetItem> gets = keys.subList(from, Math.min(keys.size(), from + 25)).stream()
                .map(key -> TransactGetItem.builder().get(g -> g.tableName(table).key(key)).build()).toList();
            all.addAll(side.dynamoDb().transactGetItems(b -> b.transactItems(gets)).responses().stream()
                .map(r -> r.item()).toList());
        }
        return all;
    }

    private List<Record> streamRecords(Side side) {
        String arn = side.dynamoDb().describeTable(b -> b.tableName(table)).table().latestStreamArn();
        List<Record> records = new ArrayList<>();
        side.streams().describeStream(b -> b.streamArn(arn)).streamDescription().shards().forEach(shard -> {
            String iterator = side.streams().getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                var page = side.streams().getRecords(b -> b.shardIterator(current).limit(17));
                records.addAll(page.records());
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        });
        return records;
    }

    private static List<Map<String, AttributeValue>> images(List<Record> records,
            Function<Record, software.amazon.awssdk.services.dynamodb.model.StreamRecord> change, String which) {
        return records.stream().map(change).map(r -> switch (which) {
            case "keys" -> r.keys();
            case "new" -> r.newImage();
            default -> r.oldImage();
        }).toList();
    }

    private void put(Side side, Map<String, AttributeValue> item) {
        side.dynamoDb().putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> item(String pk, int sk, String v) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk, sk));
        item.put("v", s(v));
        return item;
    }

    private static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", s(pk), "sk", AttributeValue.fromN(Integer.toString(sk)));
    }

    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static final String[] TEXTS = {"", "a", "ü", "日本語", "emoji \uD83D\uDE00", "quote \" backslash \\ nl \n",
        "tab \t and \u0001 control", "x".repeat(20_000)};

    /** Items with every attribute type, nested, empty, unicode and large; 15 partitions, a few items each. */
    static List<Map<String, AttributeValue>> items(Random random, int count) {
        return items(random, count, TEXTS.length);
    }

    /** The same, with texts drawn from the first `texts` of TEXTS only. */
    static List<Map<String, AttributeValue>> items(Random random, int count, int texts) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("pk", s("customer-" + (i % 15) + TEXTS[random.nextInt(4)]));
            item.put("sk", AttributeValue.fromN(Integer.toString(i)));
            int attributes = random.nextInt(12);
            for (int a = 0; a < attributes; a++) {
                item.put("a" + a, value(random, 0, texts));
            }
            items.add(item);
        }
        return items;
    }

    private static AttributeValue value(Random random, int depth, int texts) {
        int kinds = depth < 3 ? 12 : 8;
        return switch (random.nextInt(kinds)) {
            case 0 -> s(TEXTS[random.nextInt(texts)] + random.nextInt(1000));
            case 1 -> AttributeValue.fromN(List.of("0", "-1", "3.14", "1E+38", "12345678901234567890123456789012345678",
                "-0.000001").get(random.nextInt(6)));
            case 2 -> AttributeValue.fromB(SdkBytes.fromByteArray(bytes(random, random.nextInt(40))));
            case 3 -> AttributeValue.fromSs(List.of("s" + random.nextInt(10), "t" + TEXTS[random.nextInt(5)]));
            case 4 -> AttributeValue.fromNs(List.of("1", Integer.toString(2 + random.nextInt(100))));
            case 5 -> AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1, (byte) random.nextInt()}),
                SdkBytes.fromByteArray(new byte[] {2})));
            case 6 -> AttributeValue.fromBool(random.nextBoolean());
            case 7 -> AttributeValue.fromNul(true);
            case 8, 9 -> {
                Map<String, AttributeValue> map = new LinkedHashMap<>();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    map.put("m" + i + TEXTS[random.nextInt(4)], value(random, depth + 1, texts));
                }
                yield AttributeValue.fromM(map);
            }
            default -> {
                List<AttributeValue> list = new ArrayList<>();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    list.add(value(random, depth + 1, texts));
                }
                yield AttributeValue.fromL(list);
            }
        };
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length + 1];
        random.nextBytes(bytes);
        return bytes;
    }
}
