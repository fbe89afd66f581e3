package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

/**
 * What one {@link Route} does with a request once {@link IngestApi} has routed it and checked its method, media
 * type and size. An endpoint records what it did on the {@link Call} (accepted, rejected, reasons) for the request's
 * log line and metrics; a {@link za.co.personalisation.core.event.InvalidRequestException} it throws becomes a 400.
 */
interface Endpoint {

    APIGatewayProxyResponseEvent handle(Call call, byte[] body);
}
