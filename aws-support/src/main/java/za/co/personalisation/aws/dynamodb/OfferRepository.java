package za.co.personalisation.aws.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.core.offer.OfferCatalogCodec;

/**
 * The {@code offers} table: one item per offer, {@code offerId S | catalogVersion S | document S} where the
 * document is the offer's JSON from the catalog file. Reads are cached for a TTL so that a warm function does not
 * scan the table per record.
 */
public final class OfferRepository {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration ttl;
    private final Clock clock;
    private volatile OfferCatalog cached;
    private volatile Instant loadedAt = Instant.MIN;

    public OfferRepository(DynamoDbClient dynamoDb, String table, Duration ttl, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The catalog, from the cache when it is younger than the TTL. */
    public OfferCatalog catalog() {
        Instant now = clock.instant();
        OfferCatalog current = cached;
        if (current == null || !now.isBefore(loadedAt.plus(ttl))) {
            synchronized (this) {
                if (cached == null || !now.isBefore(loadedAt.plus(ttl))) {
                    cached = load();
                    loadedAt = now;
                }
                current = cached;
            }
        }
        return current;
    }

    private OfferCatalog load() {
        List<Offer> offers = new ArrayList<>();
        String version = "";
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = dynamoDb.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(start)
                .build());
            for (Map<String, AttributeValue> item : page.items()) {
                try {
                    offers.add(OfferCatalogCodec.offer(MAPPER.readTree(item.get("document").s())));
                } catch (IOException e) {
                    throw new UncheckedIOException("offer " + item.get("offerId").s() + " holds bad JSON", e);
                }
                String itemVersion = item.get("catalogVersion").s();
                version = itemVersion.compareTo(version) > 0 ? itemVersion : version;
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new OfferCatalog(version, offers);
    }

    /**
     * Writes a catalog file's offers (validated first: nothing is written when one is bad), 25 per
     * BatchWriteItem call, retrying unprocessed items.
     */
    public static int load(DynamoDbClient dynamoDb, String table, byte[] catalogJson) throws IOException {
        OfferCatalog catalog = OfferCatalogCodec.read(new java.io.ByteArrayInputStream(catalogJson));
        List<WriteRequest> writes = new ArrayList<>();
        for (var node : MAPPER.readTree(catalogJson).path("offers")) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                "offerId", AttributeValue.fromS(node.path("offerId").asText()),
                "catalogVersion", AttributeValue.fromS(catalog.version()),
                "document", AttributeValue.fromS(node.toString()))).build()).build());
        }
        for (int i = 0; i < writes.size(); i += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(i, Math.min(i + 25,
                writes.size())));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw new IllegalStateException("DynamoDB kept items unprocessed while loading offers");
                }
                var response = dynamoDb.batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    sleep(50L << attempt);
                }
            }
        }
        return catalog.size();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading offers", e);
        }
    }
}
