package za.co.personalisation.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.testing.Catalogs;
import za.co.personalisation.aws.testing.TestClock;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.local.emulator.MotoExtension;

/** The offers table against the emulator: the functions' cache of the catalog and the head item of a load. */
@ExtendWith(MotoExtension.class)
class OfferRepositoryIT {

    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void clients(MotoExtension.Emulator emulator) {
        dynamoDb = new AwsClients(Settings.of(emulator.environment())).dynamoDb();
        offersTable("offers-test");
    }

    @Test
    void cachedCatalog_isReadAgainOnlyAfterItsTtl_andOnlyWhenTheVersionChanged() throws IOException {
        TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
        offersTable("offers-cache");
        load("offers-cache", Catalogs.json("v1", "A-1"));
        OfferRepository repository = new OfferRepository(dynamoDb, "offers-cache", Duration.ofMinutes(1), clock);
        OfferCatalog first = repository.catalog();

        load("offers-cache", Catalogs.json("v2", "A-1", "B-1"));
        clock.advance(Duration.ofSeconds(59));
        assertThat(repository.catalog()).isSameAs(first);

        clock.advance(Duration.ofSeconds(1));
        OfferCatalog second = repository.catalog();
        assertThat(second.version()).isEqualTo("v2");
        assertThat(second.size()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        assertThat(repository.catalog()).as("same version: no rescan").isSameAs(second);

        // The table is gone (an outage): the function keeps serving the copy it has.
        dynamoDb.deleteTable(b -> b.tableName("offers-cache"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(repository.catalog()).isSameAs(second);
    }

    @Test
    void headItem_recordsTheLoadedVersion() throws IOException {
        try (InputStream in = OfferRepositoryIT.class.getResourceAsStream("/test-catalog.json")) {
            assertThat(OfferRepository.load(dynamoDb, "offers-test", in.readAllBytes())).isEqualTo(6);
        }
        Map<String, AttributeValue> head = dynamoDb.getItem(b -> b.tableName("offers-test").key(Map.of(
            "offerId", AttributeValue.fromS(OfferRepository.HEAD_ID)))).item();

        assertThat(head.get("catalogVersion").s()).isEqualTo("test-1");
        assertThat(head.get("offerCount").n()).isEqualTo("6");
    }

    private static void offersTable(String name) {
        dynamoDb.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
            .attributeDefinitions(a -> a.attributeName("offerId").attributeType("S"))
            .keySchema(k -> k.attributeName("offerId").keyType("HASH")));
    }

    private static void load(String table, String json) throws IOException {
        OfferRepository.load(dynamoDb, table, json.getBytes(StandardCharsets.UTF_8));
    }
}
