package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.CustomerRequestParser;

/** {@code PUT /customers/{id}/consent}: 202, one consent event per channel on the stream. */
record ConsentEndpoint(CustomerRequestParser customers, ContactStore contacts, StreamWriter stream)
    implements Endpoint {

    @Override
    public APIGatewayProxyResponseEvent handle(Call call, byte[] body) {
        String customerId = call.customer(customers);
        List<ConsentEvent> consents = customers.consent(customerId, body, call.received, call.traceId());
        try {
            contacts.requireNotErased(customerId, call.received);
        } catch (ContactStore.CustomerErased e) {
            return ContactProblems.erased(call, e);
        } catch (SdkException e) {
            return ContactProblems.contactsUnavailable(call, e, "The consent could not be stored");
        }
        return stream.writeAll(call, consents, "The consent could not be stored in time");
    }
}
