package za.co.personalisation.aws.dynamodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import za.co.personalisation.core.outcome.OfferReport;

/**
 * Reads the {@code notifications} table for the offer report: every live ledger entry (through {@link LedgerEntry})
 * and every conversion, with a paginated Scan (eventually consistent). Fine for the local stack
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
                .exclusiveStartKey(start)
                .build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (ConversionLedger.isConversion(item)) {
                    conversions.add(ConversionLedger.conversion(item));
                } else {
                    LedgerEntry entry = ConversionLedger.liveEntry(item);
                    if (entry != null && entry.createdAt() != null) {
                        entries.add(new OfferReport.Entry(entry.customerId(), entry.ledgerKey(), entry.offerId(),
                            entry.status(), entry.outcome(), entry.createdAt()));
                    }
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return OfferReport.build(entries, conversions, from, to);
    }
}
