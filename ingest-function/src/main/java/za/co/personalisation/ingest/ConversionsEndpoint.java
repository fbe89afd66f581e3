package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Instant;
import java.util.List;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.event.ConversionRequestParser;
import za.co.personalisation.core.event.StreamEvent;

/**
 * {@code POST /conversions} (docs/openapi.yaml, docs/offers.md): public like {@code POST /events}, no API key (a
 * shop's checkout page or its server posts it). Validates the body ({@link ConversionRequestParser}: 400 problem
 * details naming every violation) and writes one {@code conversion-event/1} to the stream, partition key the
 * customer id, so the conversion is applied in order with the customer's erasure: 202 with its eventId, or 503
 * with {@code Retry-After} when the stream did not take it in time.
 *
 * <p>Why the stream and not a direct write to the ledger: ordering with erasure (a conversion accepted after
 * {@code DELETE /customers/{id}} is dropped by enrich's tombstone check; one accepted before is deleted with the
 * customer's ledger), replays that are marked and never count, and ingest keeps no read access to the ledger.
 * The client's {@code eventId} is required: it is what makes the conversion count once, however often it is sent.
 */
final class ConversionsEndpoint {

    /** Writes events to the stream and answers 202 with their ids, or 503; IngestApi's shared path. */
    @FunctionalInterface
    interface StreamWriter {
        APIGatewayProxyResponseEvent write(List<? extends StreamEvent> events, String titleIfNotStored);
    }

    private final ConversionRequestParser parser;

    ConversionsEndpoint(ConversionRequestParser parser) {
        this.parser = parser;
    }

    /** @throws za.co.personalisation.core.event.InvalidRequestException listing every violation */
    APIGatewayProxyResponseEvent post(byte[] body, Instant received, String traceId, StreamWriter stream) {
        ConversionEvent conversion = parser.parse(body, received, traceId);
        return stream.write(List.of(conversion), "The conversion could not be stored in time");
    }
}
