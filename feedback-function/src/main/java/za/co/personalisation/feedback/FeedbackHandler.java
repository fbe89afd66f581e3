package za.co.personalisation.feedback;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.DeliveryOutcomes;
import za.co.personalisation.aws.lambda.SnapStartPriming;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;

/**
 * SQS (fed by the delivery-feedback SNS topic: SES event publishing, SMS delivery receipts, inbound SMS) → the
 * notification ledger's delivery outcomes, email suppressions and SMS consent revocations. Environment:
 * {@code NOTIFICATIONS_TABLE}, {@code CONTACTS_TABLE} (its phone-hash index only), {@code EVENTS_STREAM},
 * {@code FEEDBACK_DLQ_URL}, {@code ERASURE_KEY} (the contact hashes' key is derived from it); optional
 * {@code FEEDBACK_MAX_RECEIVES} (5: receives of an event whose message id is not in the ledger before it is
 * dead-lettered). See docs/offers.md (Delivery feedback).
 */
public final class FeedbackHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final FeedbackProcessor processor;
    private final JsonLog log;
    /** CRaC holds resources weakly: the handler keeps its priming reachable. */
    private final SnapStartPriming priming;

    /** For the Lambda runtime. */
    public FeedbackHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public FeedbackHandler(Settings settings) {
        this(settings, new AwsClients(settings), Clock.systemUTC());
    }

    private FeedbackHandler(Settings settings, AwsClients clients, Clock clock) {
        this(settings, clients.dynamoDb(), clients.kinesis(), clients.sqs(), clock);
    }

    /** For tests: the clients and the clock are given. */
    public FeedbackHandler(Settings settings, DynamoDbClient dynamoDb, KinesisClient kinesis, SqsClient sqs,
        Clock clock) {
        this.log = JsonLog.forFunction(settings.functionName("feedback-function"));
        ContactHashes hashes = ContactHashes.from(settings);
        this.processor = new FeedbackProcessor(
            new DeliveryOutcomes(dynamoDb, settings.require("NOTIFICATIONS_TABLE")), hashes,
            new PhoneDirectory(dynamoDb, settings.require("CONTACTS_TABLE"), hashes),
            new ConsentRevocations(kinesis, settings.require("EVENTS_STREAM"),
                new ConsentStatements(dynamoDb, settings.require("NOTIFICATIONS_TABLE"))),
            sqs, settings.require("FEEDBACK_DLQ_URL"), settings.getInt("FEEDBACK_MAX_RECEIVES", 5), clock, log,
            Metrics.forService("feedback", clock));
        // SnapStart: parse each kind of event before the snapshot; nothing is read or written.
        this.priming = SnapStartPriming.register(settings.functionName("feedback-function"), () -> {
            try {
                FeedbackEvents.parse("{\"eventType\":\"Delivery\",\"mail\":{\"messageId\":\"p\"}}", Instant.EPOCH);
                FeedbackEvents.parse("{\"eventType\":\"TEXT_DELIVERED\",\"messageId\":\"p\"}", Instant.EPOCH);
            } catch (FeedbackEvents.Invalid e) {
                throw new IllegalStateException("the priming events must parse", e);
            }
            hashes.phone("+27000000000");
        });
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        JsonLog.Scope invocation = log.invocation(context);
        try {
            return processor.apply(event);
        } finally {
            invocation.close();
        }
    }

    SnapStartPriming priming() {
        return priming;
    }
}
