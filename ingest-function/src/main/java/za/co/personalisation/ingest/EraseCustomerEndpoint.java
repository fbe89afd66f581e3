package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.core.event.CustomerRequestParser;
import za.co.personalisation.core.event.ErasureEvent;

/** {@code DELETE /customers/{id}}: 202, the contact item deleted and an erasure event on the stream. */
record EraseCustomerEndpoint(CustomerRequestParser customers, ContactStore contacts, StreamWriter stream)
    implements Endpoint {

    @Override
    public APIGatewayProxyResponseEvent handle(Call call, byte[] body) {
        String customerId = call.customer(customers);
        ErasureEvent erasure = customers.erasure(customerId, body, call.received, call.traceId());
        try {
            // Personal data first: even if the stream write below fails, the contact details are gone, and from
            // now on the id cannot be given contact details or consent again (the tombstone).
            contacts.erase(erasure, call.received);
        } catch (SdkException e) {
            return ContactProblems.contactsUnavailable(call, e, "The erasure could not be completed");
        }
        return stream.writeAll(call, List.of(erasure), "The erasure could not be completed in time");
    }
}
