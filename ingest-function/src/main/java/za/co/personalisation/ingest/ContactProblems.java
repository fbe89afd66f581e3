package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** The answers of the customer endpoints when the contacts table refuses or fails. */
final class ContactProblems {

    private ContactProblems() {
    }

    /**
     * An erased customer's id may not be used again until its tombstone expires: nothing that would re-create
     * data about them (contact details, consent) is taken. A returning customer is registered under a new id.
     */
    static APIGatewayProxyResponseEvent erased(Call call, ContactStore.CustomerErased e) {
        call.reason("customer_erased");
        return Responses.problem(409, "customer-erased", "The customer was erased",
            "Customer " + call.customerId + " was erased; nothing is stored for this id"
                + (e.until() == null ? "" : " and it cannot be used again before " + e.until()) + ". Register a"
                + " returning customer under a new id.", List.of());
    }

    static APIGatewayProxyResponseEvent contactsUnavailable(Call call, SdkException e, String title) {
        call.errorType = errorCode(e);
        call.reason("contacts_unavailable");
        return Responses.retryLater(Responses.problem(503, "contacts-unavailable", title,
            "Nothing is confirmed; send the same request again: applying it twice has the same effect as once.",
            List.of()));
    }

    private static String errorCode(SdkException e) {
        return e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
            ? aws.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
    }
}
