package za.co.personalisation.feedback;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.core.event.ConsentEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;

/**
 * Revokes a customer's SMS consent the way the CRM's {@code PUT /customers/{id}/consent} does: the latest consent
 * statement deliver checks before each send ({@link ConsentStatements}, so the opt-out holds at once) and a
 * {@code consent-event/1} on the interest-events stream, partition key the customer id, so enrich applies it in order
 * with the customer's other events and the profile records when and by which event consent ended.
 *
 * <p>The event's id and {@code receivedAt} come from the reply itself (its inbound message id and the time it reached
 * the feedback queue), not from this attempt: a retried or redelivered reply writes the same decision again, so it can
 * never override a grant the CRM recorded after the reply (consent is last-received-wins).
 */
final class ConsentRevocations {

    private final KinesisClient kinesis;
    private final String stream;
    private final ConsentStatements statements;

    ConsentRevocations(KinesisClient kinesis, String stream, ConsentStatements statements) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.statements = statements;
    }

    /** The revocation's event id for one customer and one reply: the same for every retry of that reply. */
    static String eventId(String inboundMessageId, String customerId) {
        return UUID.nameUUIDFromBytes(("sms-opt-out\u0000" + inboundMessageId + "\u0000" + customerId)
            .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Writes the revocation; an SDK error propagates (the message is retried). @return the event */
    ConsentEvent revokeSms(String customerId, String inboundMessageId, Instant receivedAt, String traceId) {
        ConsentEvent event = new ConsentEvent(eventId(inboundMessageId, customerId), customerId, Channel.SMS,
            Consent.State.REVOKED, receivedAt, receivedAt, traceId, false);
        // First the statement deliver reads before each send (honoured at once), then the event for the profile;
        // a failure of either retries the whole reply, and the conditional statement write makes that converge.
        statements.record(customerId, Channel.SMS, Consent.State.REVOKED, receivedAt);
        kinesis.putRecord(b -> b.streamName(stream).partitionKey(customerId)
            .data(SdkBytes.fromByteArray(StreamEventCodec.encode(event))));
        return event;
    }
}
