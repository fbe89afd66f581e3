package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.local.emulator.MotoExtension;

/** PutRecords against moto through the real SDK: n events take exactly ceil(n / 500) calls, all records land. */
@ExtendWith(MotoExtension.class)
class KinesisEventPublisherIT {

    @ParameterizedTest
    @ValueSource(ints = {1, 499, 500, 501, 1000, 1201})
    void publish_makesExactlyCeilOfNOver500Calls_andWritesEveryEvent(int n, MotoExtension.Emulator emulator) {
        IngestTestBed bed = new IngestTestBed(emulator, "chunks-" + n);
        KinesisEventPublisher publisher = new KinesisEventPublisher(bed.kinesis, bed.stream, Clock.systemUTC(),
            d -> Thread.sleep(d.toMillis()), new Random());
        List<InterestEvent> events = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            events.add(new InterestEvent("e-" + i, "c-" + (i % 7), "books", new Location("ZA/WC", "Western Cape",
                true), now, now, "", false));
        }

        KinesisEventPublisher.Outcome outcome = publisher.publish(events, Duration.ofSeconds(20));

        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.retries()).isZero();
        assertThat(bed.putRecordsCalls.get()).isEqualTo((n + 499) / 500);
        assertThat(bed.records()).hasSize(n).allSatisfy(record -> assertThat(record.path("partitionKey").asText())
            .isEqualTo(record.path("customerId").asText()));
    }
}
