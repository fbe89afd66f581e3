package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.core.event.ContactDetails;
import za.co.personalisation.core.event.CustomerRequestParser;

/** {@code PUT /customers/{id}/contact}: 204, written to the contacts table (never to the stream). */
record ContactEndpoint(CustomerRequestParser customers, ContactStore contacts) implements Endpoint {

    @Override
    public APIGatewayProxyResponseEvent handle(Call call, byte[] body) {
        String customerId = call.customer(customers);
        ContactDetails contact = customers.contact(customerId, body);
        try {
            contacts.put(contact, call.received);
        } catch (ContactStore.CustomerErased e) {
            return ContactProblems.erased(call, e);
        } catch (SdkException e) {
            return ContactProblems.contactsUnavailable(call, e, "The contact details could not be stored");
        }
        call.accepted = 1;
        return Responses.noContent();
    }
}
