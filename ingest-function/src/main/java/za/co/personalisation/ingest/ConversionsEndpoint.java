package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.List;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.event.ConversionRequestParser;

/**
 * {@code POST /conversions} (docs/openapi.yaml, docs/offers.md): public like {@code POST /events}, no API key (a
 * shop's checkout page or its server posts it). Validates the body ({@link ConversionRequestParser}: 400 problem
 * details naming every violation) and writes one {@code conversion-event/1} to the stream, partition key the
 * customer id: 202 with its eventId, or 503 with {@code Retry-After} when the stream did not take it in time.
 *
 * <p>Why the stream and not a direct write to the ledger: ordering with erasure (a conversion accepted after
 * {@code DELETE /customers/{id}} is dropped by enrich's tombstone check; one recorded before is deleted with the
 * customer's ledger partition), replays that are marked and never count, and ingest keeps no access to the ledger.
 * The client's {@code eventId} is required: it is what makes the conversion count once, however often it is sent.
 */
record ConversionsEndpoint(ConversionRequestParser parser, StreamWriter stream) implements Endpoint {

    @Override
    public APIGatewayProxyResponseEvent handle(Call call, byte[] body) {
        ConversionEvent conversion = parser.parse(body, call.received, call.traceId());
        call.customerId = conversion.customerId();
        return stream.writeAll(call, List.of(conversion), "The conversion could not be stored in time");
    }
}
