package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import za.co.personalisation.core.event.CustomerRequestParser;

/** One request and what it did, for its log line and metrics ({@link RequestLog}). */
final class Call {
    final APIGatewayProxyRequestEvent request;
    final Instant received;
    /** How long stream writes may take, counted from {@link #received}. */
    final Duration budget;
    final Map<String, Integer> reasons = new LinkedHashMap<>();
    Route route;
    int accepted;
    int rejected;
    int retry;
    int kinesisRetries;
    String customerId;
    String errorType;

    Call(APIGatewayProxyRequestEvent request, Instant received, Duration budget) {
        this.request = request;
        this.received = received;
        this.budget = budget;
    }

    void reason(String code) {
        reasons.merge(code, 1, Integer::sum);
    }

    String requestId() {
        return request.getRequestContext() == null || request.getRequestContext().getRequestId() == null ? ""
            : request.getRequestContext().getRequestId();
    }

    /** The customer id of a {@code /customers/{id}...} request, validated, and noted for the log line. */
    String customer(CustomerRequestParser customers) {
        customerId = customers.customerId(Requests.pathId(request));
        return customerId;
    }

    String traceId() {
        return Requests.traceId(request);
    }
}
