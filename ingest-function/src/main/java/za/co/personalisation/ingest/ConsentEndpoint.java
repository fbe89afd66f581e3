package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.CustomerRequestParser;

/**
 * {@code PUT /customers/{id}/consent}: records the latest consent statement per channel where deliver reads it just
 * before sending ({@link ConsentStatements}), then puts one consent event per channel on the stream for the
 * profile; 202 only when both are written. The statement comes first: an opt-out holds from the 202 even while
 * the stream has a backlog. If the stream write fails after it, the request fails and its retry converges (the
 * statement write is conditional on being newer, so writing it again changes nothing).
 */
record ConsentEndpoint(CustomerRequestParser customers, ContactStore contacts, ConsentStatements statements,
    StreamWriter stream) implements Endpoint {

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
        try {
            for (ConsentEvent consent : consents) {
                statements.record(customerId, consent.channel(), consent.state(), consent.receivedAt());
            }
        } catch (SdkException e) {
            return ContactProblems.contactsUnavailable(call, e, "The consent could not be stored");
        }
        return stream.writeAll(call, consents, "The consent could not be stored in time");
    }
}
