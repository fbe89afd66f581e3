package za.co.personalisation.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import za.co.personalisation.core.notify.FrequencyCaps;
import za.co.personalisation.core.notify.Notification;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.aws.testing.NotificationStack;

/** The notifications table's conditional writes, against the emulator: claims and cap counters under races. */
@ExtendWith(MotoExtension.class)
class NotificationLedgerIT {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static NotificationStack stack;
    private static NotificationLedger ledger;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = NotificationStack.create(emulator);
        ledger = stack.ledger();
    }

    @Test
    void claim_byEightParallelInvocations_isWonOnce_andLaterClaimsAreDuplicatesOnceConfirmed() throws Exception {
        Notification notification = new Notification("lg-1", "ELEC-CPT-01", Channel.SMS, "ev-1", "electronics",
            "ZA/WC/cape-town", "v1", "new_interest", false, NOW, "");
        List<NotificationLedger.Claim> claims = parallel(8, () -> ledger.claim(notification));

        assertThat(claims).filteredOn(claim -> claim == NotificationLedger.Claim.CLAIMED).hasSize(1);
        assertThat(claims).filteredOn(claim -> claim == NotificationLedger.Claim.UNCONFIRMED).hasSize(7);

        ledger.transition("lg-1", notification.ledgerKey(), List.of(NotificationLedger.PENDING),
            NotificationLedger.QUEUED, NOW, Map.of());
        assertThat(ledger.claim(notification)).isEqualTo(NotificationLedger.Claim.DUPLICATE);
    }

    @Test
    void claimDelivery_byParallelInvocations_isWonOnce() throws Exception {
        Notification notification = new Notification("lg-2", "BOOK-ZA-01", Channel.EMAIL, "ev-2", "books", "ZA",
            "v1", "new_interest", false, NOW, "");
        ledger.claim(notification);

        List<NotificationLedger.DeliveryClaim> claims = parallel(6, () -> ledger.claimDelivery("lg-2",
            notification.ledgerKey(), NOW, Duration.ofMinutes(2)));

        assertThat(claims).filteredOn(claim -> claim == NotificationLedger.DeliveryClaim.CLAIMED).hasSize(1);
        assertThat(claims).filteredOn(claim -> claim == NotificationLedger.DeliveryClaim.IN_PROGRESS).hasSize(5);
        assertThat(ledger.claimDelivery("lg-2", "NOT-THERE#sms", NOW, Duration.ofMinutes(2)))
            .isEqualTo(NotificationLedger.DeliveryClaim.MISSING);
    }

    @Test
    void reserve_countsEachNotificationOnce_andTenParallelReservationsNeverPassTheLimit() throws Exception {
        List<FrequencyCaps.Window> windows = new FrequencyCaps(Map.of(Channel.SMS, 3),
            Map.of(Channel.SMS, 5)).windows(Channel.SMS, NOW, ZoneId.of("Africa/Johannesburg"));

        stack.sending("lg-3", "A#sms");
        assertThat(ledger.reserve("lg-3", "A#sms", windows)).isNull();
        assertThat(ledger.reserve("lg-3", "A#sms", windows)).as("a retry of the same notification").isNull();
        assertThat(ledger.counted("lg-3", windows.get(0))).isEqualTo(1);

        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            indexes.add(i);
            stack.sending("lg-3", "O" + i + "#sms");
        }
        List<FrequencyCaps.Window> outcomes = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            List<Future<FrequencyCaps.Window>> futures = new ArrayList<>();
            for (int i : indexes) {
                futures.add(threads.submit(() -> reserveRetryingConflicts("O" + i + "#sms", windows)));
            }
            for (Future<FrequencyCaps.Window> future : futures) {
                outcomes.add(future.get());
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(outcomes).filteredOn(window -> window == null).hasSize(2);
        assertThat(outcomes).filteredOn(window -> window != null).allSatisfy(window ->
            assertThat(window.key()).isEqualTo("cap#sms#day#2026-11-25"));
        assertThat(ledger.counted("lg-3", windows.get(0))).isEqualTo(3);
        assertThat(ledger.counted("lg-3", windows.get(1))).isEqualTo(3);

        ledger.release("lg-3", "A#sms", windows);
        assertThat(ledger.counted("lg-3", windows.get(0))).isEqualTo(2);
    }

    @Test
    void deleteAll_removesTheCustomersEntriesAndCounters_andNobodyElses() {
        for (String customer : List.of("lg-erase", "lg-keep")) {
            ledger.claim(new Notification(customer, "BOOK-ZA-01", Channel.SMS, "ev", "books", "ZA", "v1", "", false,
                NOW, ""));
            stack.sending(customer, "BOOK-ZA-01#sms");
        }
        ledger.reserve("lg-erase", "BOOK-ZA-01#sms", new FrequencyCaps(Map.of(Channel.SMS, 2),
            Map.of()).windows(Channel.SMS, NOW, ZoneOffset.UTC));

        assertThat(ledger.deleteAll("lg-erase")).isEqualTo(2);
        assertThat(ledger.get("lg-erase", "BOOK-ZA-01#sms")).isNull();
        assertThat(ledger.get("lg-keep", "BOOK-ZA-01#sms")).isNotNull();
    }

    @Test
    void reserveAndRelease_afterTheCustomerWasErased_leaveNoCounterBehind() {
        List<FrequencyCaps.Window> windows = new FrequencyCaps(Map.of(Channel.SMS, 2), Map.of(Channel.SMS, 5))
            .windows(Channel.SMS, NOW, ZoneOffset.UTC);
        stack.sending("lg-gone", "BOOK-ZA-01#sms");
        assertThat(ledger.reserve("lg-gone", "BOOK-ZA-01#sms", windows)).isNull();

        // the erasure lands between this delivery's profile read and its cap reservation or its release
        assertThat(ledger.deleteAll("lg-gone")).isEqualTo(3);
        ledger.release("lg-gone", "BOOK-ZA-01#sms", windows);
        assertThatThrownBy(() -> ledger.reserve("lg-gone", "BOOK-ZA-01#sms", windows))
            .isInstanceOf(NotificationLedger.EntryGone.class);

        assertThat(stack.dynamoDb.query(q -> q.tableName("notifications-test")
            .keyConditionExpression("customerId = :c")
            .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("lg-gone")))
            .consistentRead(true)).items()).isEmpty();
    }

    /** DynamoDB cancels a transaction that conflicts with another in flight on the same item: the caller retries. */
    private static FrequencyCaps.Window reserveRetryingConflicts(String key, List<FrequencyCaps.Window> windows) {
        for (int attempt = 0; ; attempt++) {
            try {
                return ledger.reserve("lg-3", key, windows);
            } catch (TransactionCanceledException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static <T> List<T> parallel(int invocations, Callable<T> call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(invocations);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < invocations; i++) {
                futures.add(threads.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
