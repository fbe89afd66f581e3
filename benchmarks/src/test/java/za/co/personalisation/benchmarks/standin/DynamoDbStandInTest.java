package za.co.personalisation.benchmarks.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The stand-in through the real AWS SDK client: what the benchmark relies on it to answer. */
class DynamoDbStandInTest {

    private DynamoDbStandIn standIn;
    private DynamoDbClient dynamoDb;

    @BeforeEach
    void start() throws IOException {
        standIn = DynamoDbStandIn.start(Map.of("profiles", List.of("customerId"),
            "ledger", List.of("customerId", "notificationKey")), LatencyDistribution.none());
        dynamoDb = DynamoDbClient.builder()
            .endpointOverride(standIn.endpoint())
            .region(Region.AF_SOUTH_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
            .build();
    }

    @AfterEach
    void stop() {
        dynamoDb.close();
        standIn.close();
    }

    @Test
    void putThenGet_returnsTheItem_andBatchGetFindsOnlyStoredKeys() {
        dynamoDb.putItem(b -> b.tableName("profiles").item(profile("c1", 1)));

        assertThat(dynamoDb.getItem(b -> b.tableName("profiles").key(key("c1"))).item())
            .containsEntry("version", AttributeValue.fromN("1"));
        assertThat(dynamoDb.getItem(b -> b.tableName("profiles").key(key("c2"))).hasItem()).isFalse();
        var found = dynamoDb.batchGetItem(b -> b.requestItems(Map.of("profiles",
            software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                .keys(key("c1"), key("c2")).consistentRead(true).build()))).responses().get("profiles");
        assertThat(found).extracting(item -> item.get("customerId").s()).containsExactly("c1");
        assertThat(standIn.requests()).containsEntry("PutItem", 1L).containsEntry("GetItem", 2L)
            .containsEntry("BatchGetItem", 1L);
    }

    @Test
    void conditionalPut_onTheWrongVersion_failsAndChangesNothing() {
        dynamoDb.putItem(b -> b.tableName("profiles").item(profile("c1", 3)));

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName("profiles").item(profile("c1", 5))
            .conditionExpression("#version = :expected").expressionAttributeNames(Map.of("#version", "version"))
            .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN("4")))))
            .isInstanceOf(ConditionalCheckFailedException.class);
        dynamoDb.putItem(b -> b.tableName("profiles").item(profile("c1", 4))
            .conditionExpression("#version = :expected").expressionAttributeNames(Map.of("#version", "version"))
            .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN("3"))));

        assertThat(dynamoDb.getItem(b -> b.tableName("profiles").key(key("c1"))).item().get("version").n())
            .isEqualTo("4");
    }

    @Test
    void transaction_whoseConditionFails_isCancelledWithReasons_andWritesNothing() {
        dynamoDb.putItem(b -> b.tableName("profiles").item(profile("erased", 1)));
        TransactWriteItem check = TransactWriteItem.builder().conditionCheck(c -> c.tableName("profiles")
            .key(key("erased")).conditionExpression("attribute_not_exists(customerId) OR version < :v")
            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1")))).build();
        TransactWriteItem create = TransactWriteItem.builder().put(p -> p.tableName("profiles")
            .item(profile("new", 1)).conditionExpression("attribute_not_exists(customerId)")).build();

        assertThatThrownBy(() -> dynamoDb.transactWriteItems(b -> b.transactItems(check, create)))
            .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons())
                .extracting(reason -> reason.code()).containsExactly("ConditionalCheckFailed", "None"));
        assertThat(standIn.size("profiles")).isEqualTo(1);

        dynamoDb.deleteItem(b -> b.tableName("profiles").key(key("erased")));
        dynamoDb.transactWriteItems(b -> b.transactItems(check, create));
        assertThat(dynamoDb.getItem(b -> b.tableName("profiles").key(key("new"))).hasItem()).isTrue();
    }

    @Test
    void updateSet_andProjection_touchOnlyTheNamedAttributes() {
        dynamoDb.putItem(b -> b.tableName("profiles").item(profile("c1", 1)));

        dynamoDb.updateItem(b -> b.tableName("profiles").key(key("c1"))
            .updateExpression("SET #consent = :consent, #version = :next")
            .expressionAttributeNames(Map.of("#consent", "consent", "#version", "version"))
            .expressionAttributeValues(Map.of(":consent", AttributeValue.fromS("sms"), ":next",
                AttributeValue.fromN("2"))));

        Map<String, AttributeValue> projected = dynamoDb.getItem(b -> b.tableName("profiles").key(key("c1"))
            .projectionExpression("customerId, #version").expressionAttributeNames(Map.of("#version", "version")))
            .item();
        assertThat(projected).containsOnlyKeys("customerId", "version").containsEntry("version",
            AttributeValue.fromN("2"));
        assertThat(dynamoDb.getItem(b -> b.tableName("profiles").key(key("c1"))).item())
            .containsEntry("consent", AttributeValue.fromS("sms")).containsEntry("interests",
                AttributeValue.fromS("books"));
    }

    @Test
    void query_andBatchWrite_onATableWithASortKey() {
        dynamoDb.batchWriteItem(b -> b.requestItems(Map.of("ledger", List.of(
            software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(Map.of(
                "customerId", AttributeValue.fromS("c1"), "notificationKey", AttributeValue.fromS("a")))).build(),
            software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(Map.of(
                "customerId", AttributeValue.fromS("c1"), "notificationKey", AttributeValue.fromS("b")))).build(),
            software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(Map.of(
                "customerId", AttributeValue.fromS("c2"), "notificationKey", AttributeValue.fromS("a")))).build()))));

        assertThat(dynamoDb.query(q -> q.tableName("ledger").keyConditionExpression("customerId = :c")
            .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("c1")))).count()).isEqualTo(2);
        assertThat(standIn.size("ledger")).isEqualTo(3);
    }

    @Test
    void unknownTable_andUnsupportedUpdate_areRefusedByName() {
        assertThatThrownBy(() -> dynamoDb.getItem(b -> b.tableName("nope").key(key("c1"))))
            .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> dynamoDb.updateItem(b -> b.tableName("profiles").key(key("c1"))
            .updateExpression("ADD visits :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))))
            .isInstanceOf(DynamoDbException.class).hasMessageContaining("only SET");
    }

    @Test
    void latency_delaysEveryAnswer() {
        standIn.latency(LatencyDistribution.of(Duration.ofMillis(40), Duration.ofMillis(40)));
        long started = System.nanoTime();

        dynamoDb.getItem(b -> b.tableName("profiles").key(key("c1")));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }

    private static Map<String, AttributeValue> key(String customerId) {
        return Map.of("customerId", AttributeValue.fromS(customerId));
    }

    private static Map<String, AttributeValue> profile(String customerId, int version) {
        return Map.of("customerId", AttributeValue.fromS(customerId), "version",
            AttributeValue.fromN(Integer.toString(version)), "interests", AttributeValue.fromS("books"));
    }
}
