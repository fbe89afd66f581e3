package za.co.personalisation.replay.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.dynamodb.NotificationLedger;

class LedgerReadingsTest {

    @Test
    void unsettled_countsEveryEntryThatIsNotFinished_includingDeferredDeadLetteredAndUnknown() {
        assertThat(LedgerReadings.unsettled(NotificationLedger.PENDING)).isTrue();
        assertThat(LedgerReadings.unsettled(NotificationLedger.QUEUED)).isTrue();
        assertThat(LedgerReadings.unsettled(NotificationLedger.SENDING)).isTrue();
        assertThat(LedgerReadings.unsettled(NotificationLedger.DEFERRED)).isTrue();
        assertThat(LedgerReadings.unsettled(NotificationLedger.DEAD_LETTERED)).isTrue();
        assertThat(LedgerReadings.unsettled(NotificationLedger.UNKNOWN)).isTrue();
        assertThat(LedgerReadings.unsettled(NotificationLedger.SENT)).isFalse();
        assertThat(LedgerReadings.unsettled(NotificationLedger.FAILED)).isFalse();
        assertThat(LedgerReadings.unsettled(NotificationLedger.SUPPRESSED)).isFalse();
    }

    @Test
    void inMotion_isWhatTheRunWaitsFor_onlyPendingQueuedAndSending() {
        LedgerReadings readings = new LedgerReadings(Map.of(NotificationLedger.PENDING, 1L, NotificationLedger.QUEUED,
            2L, NotificationLedger.SENDING, 3L, NotificationLedger.DEFERRED, 4L, NotificationLedger.UNKNOWN, 5L,
            NotificationLedger.SENT, 6L), 15, 21);

        assertThat(readings.inMotion()).isEqualTo(6);
    }
}
