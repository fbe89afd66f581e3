package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;

/**
 * One structured log line and one set of EMF metrics per request; neither ever holds a body, a phone number or an
 * email address.
 */
record RequestLog(Clock clock, JsonLog log, Metrics metrics) {

    void finish(Call call, APIGatewayProxyResponseEvent response) {
        int status = response.getStatusCode();
        Metrics.Unit unit = metrics.unit();
        unit.count("Requests", 1).count("Accepted", call.accepted).count("KinesisRetries", call.kinesisRetries)
            .count("Traced", Requests.sampled(call.request) ? 1 : 0);
        for (Map.Entry<String, Integer> reason : call.reasons.entrySet()) {
            if (reason.getKey().endsWith("_unavailable")) {
                unit.dimension("Reason", reason.getKey(), "RetryableFailures", Math.max(1, call.retry));
            } else {
                unit.dimension("Reason", reason.getKey(), "Rejected", reason.getValue());
            }
        }
        if (status >= 500) {
            unit.count("ServerErrors", 1);
        }
        unit.flush();
        JsonLog.Entry line = (status >= 500 ? log.error("request") : log.info("request"))
            .with("requestId", call.requestId())
            .with("method", call.request.getHttpMethod())
            .with("route", call.route == null ? "unknown" : call.route.resource)
            .with("status", status)
            .with("accepted", call.accepted)
            .with("rejected", call.rejected)
            .with("retry", call.retry)
            .with("kinesisRetries", call.kinesisRetries)
            .with("reasons", String.join(",", call.reasons.keySet()))
            .with("traceId", call.traceId())
            .with("durationMs", Duration.between(call.received, clock.instant()).toMillis());
        if (call.customerId != null) {
            line.with("customerId", call.customerId);
        }
        if (call.errorType != null) {
            line.with("errorType", call.errorType);
        }
        line.log();
    }
}
