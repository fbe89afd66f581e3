package za.co.personalisation.local.esm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends a discarded batch's description to an event source mapping's on-failure destination (an SQS queue), in
 * the shape Lambda uses: requestContext (condition, attempts) and the stream batch info (shard, first and last
 * sequence numbers, batch size, stream ARN). The records themselves are not copied, as in AWS.
 */
public final class OnFailureDestination {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;

    public OnFailureDestination(SqsClient sqs, String queueArn) {
        this.sqs = sqs;
        String name = queueArn.substring(queueArn.lastIndexOf(':') + 1);
        this.queueUrl = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    public void send(String functionArn, String condition, int retries, String error, String batchInfoName,
        ObjectNode batchInfo, Instant now) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode context = body.putObject("requestContext");
        context.put("requestId", java.util.UUID.randomUUID().toString());
        context.put("functionArn", functionArn);
        context.put("condition", condition);
        context.put("approximateInvokeCount", retries + 1);
        body.putObject("responseContext").put("functionError", error);
        body.put("version", "1.0");
        body.put("timestamp", now.toString());
        body.set(batchInfoName, batchInfo);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body.toString()));
    }

    public static ObjectNode batchInfo() {
        return MAPPER.createObjectNode();
    }
}
