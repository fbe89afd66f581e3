package za.co.personalisation.replay.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * The load tool's second reader of the profiles stream is measurement, and every call it makes is one the emulator
 * does not spend on the pipeline: once caught up with a shard it reads it again at its next poll (every 250 ms),
 * not at once. Against the emulator, through the real SDK.
 */
@ExtendWith(MotoExtension.class)
class ProfileChangeTailIT {

    @Test
    void caughtUp_readsEachShardAboutFourTimesASecond_notAgainAfterEveryRead(MotoExtension.Emulator emulator)
        throws Exception {
        AwsClients clients = new AwsClients(Settings.of(emulator.environment()));
        DynamoDbClient dynamoDb = clients.dynamoDb();
        dynamoDb.createTable(b -> b.tableName("tail-profiles").billingMode("PAY_PER_REQUEST")
            .attributeDefinitions(d -> d.attributeName("customerId").attributeType("S"))
            .keySchema(k -> k.attributeName("customerId").keyType("HASH"))
            .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        AtomicInteger reads = new AtomicInteger();
        try (DynamoDbStreamsClient counted = clients.configure(DynamoDbStreamsClient.builder())
            .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof GetRecordsRequest) {
                        reads.incrementAndGet();
                    }
                }
            })).build()) {
            long started = System.nanoTime();
            ProfileChangeTail tail = ProfileChangeTail.start(dynamoDb, counted, "tail-profiles", "run-",
                (eventId, micros) -> { });
            try {
                for (int i = 0; i < 30; i++) { // one write every 100 ms: most reads find one or two
                    String customer = "other-" + i;
                    dynamoDb.putItem(b -> b.tableName("tail-profiles").item(Map.of("customerId",
                        AttributeValue.fromS(customer))));
                    Thread.sleep(100);
                }
                Thread.sleep(1_000);
            } finally {
                tail.close();
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(tail.errors()).isZero();
            assertThat(reads.get()).as("GetRecords calls in %.1f s", seconds)
                .isLessThanOrEqualTo((int) (seconds * 4) + 2).isGreaterThanOrEqualTo((int) seconds);
        }
    }
}
