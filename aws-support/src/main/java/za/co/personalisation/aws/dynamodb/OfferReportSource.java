package za.co.personalisation.aws.dynamodb;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import za.co.personalisation.core.outcome.Attribution;
import za.co.personalisation.core.outcome.OfferReport;

/**
 * Reads the {@code notifications} table for the offer report: every live ledger entry and every conversion, with a
 * paginated Scan (eventually consistent) that reads only the attributes the report needs. Fine for the local stack
 * and a test stage; at scale the same rows come from a DynamoDB export to S3 and one Athena query
 * (docs/offers.md, "At scale").
 */
public final class OfferReportSource {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public OfferReportSource(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** The report over entries created in [from, to) (either may be {@code null}: no bound). */
    public OfferReport report(Instant from, Instant to) {
        List<OfferReport.Entry> entries = new ArrayList<>();
        List<OfferReport.Conversion> conversions = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = dynamoDb.scan(ScanRequest.builder()
                .tableName(table)
                .projectionExpression("customerId, notificationKey, offerId, #status, createdAt, #replay, #group,"
                    + " creditedKey, creditedOfferId, #value, currency")
                .expressionAttributeNames(Map.of("#status", "status", "#replay", "replay", "#group", "group",
                    "#value", "value"))
                .exclusiveStartKey(start)
                .build());
            for (Map<String, AttributeValue> item : page.items()) {
                String key = ConversionLedger.text(item, "notificationKey");
                if (key.startsWith(ConversionLedger.KEY_PREFIX)) {
                    AttributeValue value = item.get("value");
                    conversions.add(new OfferReport.Conversion(ConversionLedger.text(item, "customerId"),
                        ConversionLedger.text(item, "creditedKey"), ConversionLedger.text(item, "creditedOfferId"),
                        Attribution.Group.fromWire(ConversionLedger.text(item, "group")),
                        value == null || value.n() == null ? BigDecimal.ZERO : new BigDecimal(value.n()),
                        ConversionLedger.text(item, "currency")));
                } else if (ConversionLedger.isLiveEntry(key) && !ConversionLedger.text(item, "createdAt").isEmpty()
                    && !(item.get("replay") != null && Boolean.TRUE.equals(item.get("replay").bool()))) {
                    entries.add(new OfferReport.Entry(ConversionLedger.text(item, "customerId"), key,
                        ConversionLedger.text(item, "offerId"), ConversionLedger.text(item, "status"),
                        Instant.parse(ConversionLedger.text(item, "createdAt"))));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return OfferReport.build(entries, conversions, from, to);
    }
}
