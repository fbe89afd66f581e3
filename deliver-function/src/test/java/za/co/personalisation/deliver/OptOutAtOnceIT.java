package za.co.personalisation.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * An opt-out the API acknowledged holds at once: deliver checks the latest consent statement (written by ingest
 * before its 202, and by a STOP reply) just before sending, even while the profile, which enrich updates from a
 * stream that may lag, still says granted (ChaosIT's finding, docs/reliability.md).
 */
@ExtendWith(MotoExtension.class)
class OptOutAtOnceIT {

    private static final Instant MIDDAY = Instant.parse("2026-11-25T10:00:00Z");
    private static final TestClock CLOCK = new TestClock(MIDDAY);
    private static OfferStack stack;
    private static DeliverHandler deliver;
    private static ConsentStatements statements;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = OfferStack.create(emulator);
        deliver = stack.deliverHandler(CLOCK);
        statements = stack.ledger().consentStatements();
    }

    @BeforeEach
    void reset() {
        CLOCK.set(MIDDAY);
        stack.drain(stack.smsQueue, stack.emailQueue, stack.deadLetterQueue);
    }

    @Test
    void revocationAcknowledged_whileTheProfileSaysGranted_isSuppressedNoConsent_andNothingIsSent() {
        grantedProfile("oo-revoked");
        queue("oo-revoked", "ELEC-CPT-01");
        assertThat(statements.record("oo-revoked", Channel.SMS, Consent.State.REVOKED, MIDDAY.minusSeconds(1)))
            .isTrue();

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(stack.smsTo("oo-revoked")).isEmpty();
        assertSuppressedNoConsent("oo-revoked", "ELEC-CPT-01#sms");
        // The profile was not what stopped it: it still says granted.
        assertThat(stack.profile("oo-revoked").consentFor(Channel.SMS).granted()).isTrue();
    }

    @Test
    void laterGrant_liftsTheRevocation() {
        grantedProfile("oo-lifted");
        statements.record("oo-lifted", Channel.SMS, Consent.State.REVOKED, MIDDAY.minusSeconds(60));
        queue("oo-lifted", "ELEC-CPT-01");
        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(stack.smsTo("oo-lifted")).isEmpty();

        assertThat(statements.record("oo-lifted", Channel.SMS, Consent.State.GRANTED, MIDDAY.minusSeconds(30)))
            .isTrue();
        queue("oo-lifted", "ELEC-WC-01");
        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(stack.smsTo("oo-lifted")).hasSize(1);
        assertThat(stack.ledgerEntry("oo-lifted", "ELEC-WC-01#sms").get("status").s())
            .isEqualTo(NotificationLedger.SENT);
    }

    @Test
    void olderGrant_arrivingLate_doesNotOverrideANewerRevocation() {
        grantedProfile("oo-late");
        assertThat(statements.record("oo-late", Channel.SMS, Consent.State.REVOKED, MIDDAY.minusSeconds(10)))
            .isTrue();
        assertThat(statements.record("oo-late", Channel.SMS, Consent.State.GRANTED, MIDDAY.minusSeconds(20)))
            .isFalse();
        queue("oo-late", "ELEC-CPT-01");

        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(statements.latest("oo-late", Channel.SMS)).isEqualTo(Consent.State.REVOKED);
        assertThat(stack.smsTo("oo-late")).isEmpty();
        assertSuppressedNoConsent("oo-late", "ELEC-CPT-01#sms");
    }

    @Test
    void sameStatementRetried_changesNothing_andAGrantAtTheSameInstantLosesToTheRevocation() {
        grantedProfile("oo-retried");
        Instant at = MIDDAY.minusSeconds(5);
        assertThat(statements.record("oo-retried", Channel.SMS, Consent.State.REVOKED, at)).isTrue();
        Map<String, AttributeValue> first = stack.ledgerEntry("oo-retried", ConsentStatements.key(Channel.SMS));

        assertThat(statements.record("oo-retried", Channel.SMS, Consent.State.REVOKED, at)).isFalse();
        assertThat(statements.record("oo-retried", Channel.SMS, Consent.State.GRANTED, at)).isFalse();

        assertThat(stack.ledgerEntry("oo-retried", ConsentStatements.key(Channel.SMS))).isEqualTo(first);
        queue("oo-retried", "ELEC-CPT-01");
        assertThat(stack.deliver(deliver, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();
        assertThat(stack.smsTo("oo-retried")).isEmpty();
        assertSuppressedNoConsent("oo-retried", "ELEC-CPT-01#sms");
    }

    @Test
    void revocationOfOneChannel_leavesTheOtherAlone() {
        stack.customer("oo-email", Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY.minus(Duration.ofDays(1)));
        statements.record("oo-email", Channel.SMS, Consent.State.REVOKED, MIDDAY.minusSeconds(1));
        stack.queue(notification("oo-email", "ELEC-CPT-01", Channel.EMAIL), MIDDAY);

        assertThat(stack.deliver(deliver, stack.emailQueue, stack.receive(stack.emailQueue))).isEmpty();

        assertThat(stack.ledgerEntry("oo-email", "ELEC-CPT-01#email").get("status").s())
            .isEqualTo(NotificationLedger.SENT);
    }

    @Test
    void revocationAcknowledgedAfterTheChecks_butBeforeTheSendBegins_stillStopsIt() {
        grantedProfile("oo-race");
        queue("oo-race", "ELEC-CPT-01");
        // The API acknowledges the revocation while deliver is between its consent checks and the send: just
        // before the transaction that counts the caps and marks the entry dispatched.
        AtomicBoolean revoked = new AtomicBoolean();
        DynamoDbClient racing = stack.clients.configure(DynamoDbClient.builder()).overrideConfiguration(o -> o
            .addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof TransactWriteItemsRequest && revoked.compareAndSet(false, true)) {
                        statements.record("oo-race", Channel.SMS, Consent.State.REVOKED, MIDDAY);
                    }
                }
            })).build();
        DeliverHandler handler = new DeliverHandler(stack.settings, racing, stack.sns, stack.ses, stack.sqs, CLOCK);

        assertThat(stack.deliver(handler, stack.smsQueue, stack.receive(stack.smsQueue))).isEmpty();

        assertThat(revoked).isTrue();
        assertThat(stack.smsTo("oo-race")).isEmpty();
        assertSuppressedNoConsent("oo-race", "ELEC-CPT-01#sms");
        assertThat(stack.ledgerEntry("oo-race", "ELEC-CPT-01#sms")).doesNotContainKey("dispatchedAt");
    }

    private static void grantedProfile(String customerId) {
        stack.customer(customerId, Consent.State.GRANTED, Consent.State.GRANTED, "en-ZA", "Africa/Johannesburg",
            MIDDAY.minus(Duration.ofDays(1)));
    }

    private static void assertSuppressedNoConsent(String customerId, String ledgerKey) {
        Map<String, AttributeValue> entry = stack.ledgerEntry(customerId, ledgerKey);
        assertThat(entry.get("status").s()).isEqualTo(NotificationLedger.SUPPRESSED);
        assertThat(entry.get("reason").s()).isEqualTo("no_consent");
    }

    private static void queue(String customerId, String offerId) {
        stack.queue(notification(customerId, offerId, Channel.SMS), MIDDAY);
    }

    private static Notification notification(String customerId, String offerId, Channel channel) {
        return new Notification(customerId, offerId, channel, "ev-" + customerId + "-" + offerId, "electronics",
            "ZA/WC/cape-town", "test-1", "new_interest", false, MIDDAY, "");
    }
}
