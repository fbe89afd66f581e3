package za.co.personalisation.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.core.offer.Offer;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.core.offer.OfferCatalogCodec;

/**
 * The {@code offers} table: one item per offer, {@code offerId S | catalogVersion S | document S} where the
 * document is the offer's JSON from the catalog file, plus one head item ({@code offerId = "#catalog"}:
 * {@code catalogVersion}, {@code offerCount}, {@code loadedAt}) written last by every load.
 *
 * <p>Reads are cached: a warm function reads the head item (one GetItem) when its copy is older than the TTL and
 * scans the table only when the version changed. When a refresh fails and a copy is cached, the copy is served
 * (stale) and the refresh is tried again after another TTL, so a DynamoDB hiccup does not stop notifications.
 */
public final class OfferRepository {

    /** The head item's key; never a valid offer id (offer ids cannot start with '#'). */
    public static final String HEAD_ID = "#catalog";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a load did. */
    public record LoadResult(String version, int written, int removed) {
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration ttl;
    private final Clock clock;
    private final JsonLog log = JsonLog.forFunction("offer-repository");
    private volatile OfferCatalog cached;
    private volatile Instant checkedAt = Instant.MIN;

    public OfferRepository(DynamoDbClient dynamoDb, String table, Duration ttl, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The catalog, from the cache when it was checked less than the TTL ago. */
    public OfferCatalog catalog() {
        Instant now = clock.instant();
        OfferCatalog current = cached;
        if (current != null && now.isBefore(checkedAt.plus(ttl))) {
            return current;
        }
        synchronized (this) {
            if (cached == null || !now.isBefore(checkedAt.plus(ttl))) {
                try {
                    cached = refresh(cached);
                } catch (RuntimeException e) {
                    if (cached == null) {
                        throw e;
                    }
                    log.warn("offer_catalog.stale").with("catalogVersion", cached.version()).error(e).log();
                }
                checkedAt = now;
            }
            return cached;
        }
    }

    private OfferCatalog refresh(OfferCatalog current) {
        Map<String, AttributeValue> head = dynamoDb.getItem(GetItemRequest.builder().tableName(table)
            .key(Map.of("offerId", AttributeValue.fromS(HEAD_ID))).consistentRead(true).build()).item();
        String headVersion = head == null || !head.containsKey("catalogVersion") ? null
            : head.get("catalogVersion").s();
        if (current != null && headVersion != null && headVersion.equals(current.version())) {
            return current;
        }
        List<Offer> offers = new ArrayList<>();
        String newest = "";
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = dynamoDb.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(start)
                .consistentRead(true).build());
            for (Map<String, AttributeValue> item : page.items()) {
                String offerId = item.get("offerId").s();
                if (HEAD_ID.equals(offerId)) {
                    continue;
                }
                try {
                    offers.add(OfferCatalogCodec.offer(MAPPER.readTree(item.get("document").s())));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("offer " + offerId + " in table " + table + " cannot be read ("
                        + e.getMessage() + "); load the catalog again with the offer catalog loader", e);
                }
                String itemVersion = item.get("catalogVersion").s();
                newest = itemVersion.compareTo(newest) > 0 ? itemVersion : newest;
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new OfferCatalog(headVersion != null ? headVersion : newest, offers);
    }

    /** Loads a catalog file, replacing the table's offers; returns how many offers it has. */
    public static int load(DynamoDbClient dynamoDb, String table, byte[] catalogJson) throws IOException {
        return load(dynamoDb, table, catalogJson, true).written();
    }

    /**
     * Writes a catalog file's offers, validated first (nothing is written when one is bad), 25 per BatchWriteItem
     * call; then, when {@code replace}, deletes the offers the file no longer has; then writes the head item with
     * the new version, which is what running functions notice within their cache TTL.
     */
    public static LoadResult load(DynamoDbClient dynamoDb, String table, byte[] catalogJson, boolean replace)
        throws IOException {
        OfferCatalog catalog = OfferCatalogCodec.read(new ByteArrayInputStream(catalogJson));
        List<WriteRequest> writes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode node : MAPPER.readTree(catalogJson).path("offers")) {
            String offerId = node.path("offerId").asText();
            ids.add(offerId);
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                "offerId", AttributeValue.fromS(offerId),
                "catalogVersion", AttributeValue.fromS(catalog.version()),
                "document", AttributeValue.fromS(node.toString()))).build()).build());
        }
        BatchWrites.write(dynamoDb, table, writes);
        int removed = 0;
        if (replace) {
            List<WriteRequest> deletes = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                ScanResponse page = dynamoDb.scan(ScanRequest.builder().tableName(table).projectionExpression(
                    "offerId").exclusiveStartKey(start).consistentRead(true).build());
                for (Map<String, AttributeValue> item : page.items()) {
                    String offerId = item.get("offerId").s();
                    if (!ids.contains(offerId) && !HEAD_ID.equals(offerId)) {
                        deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(Map.of(
                            "offerId", AttributeValue.fromS(offerId))).build()).build());
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                    : null;
            } while (start != null);
            removed = BatchWrites.write(dynamoDb, table, deletes);
        }
        dynamoDb.putItem(PutItemRequest.builder().tableName(table).item(Map.of(
            "offerId", AttributeValue.fromS(HEAD_ID),
            "catalogVersion", AttributeValue.fromS(catalog.version()),
            "offerCount", AttributeValue.fromN(Integer.toString(catalog.size())),
            "loadedAt", AttributeValue.fromS(Instant.now().toString()))).build());
        return new LoadResult(catalog.version(), catalog.size(), removed);
    }

    /** Reads a catalog file without writing anything: for a dry run. */
    public static OfferCatalog validate(byte[] catalogJson) {
        try {
            return OfferCatalogCodec.read(new ByteArrayInputStream(catalogJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
