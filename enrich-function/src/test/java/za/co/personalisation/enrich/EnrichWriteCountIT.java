package za.co.personalisation.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.enrich.EnrichFixture.batch;
import static za.co.personalisation.enrich.Events.CLOCK;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import za.co.personalisation.core.event.StreamEvent;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * DynamoDB writes per batch ÷ distinct customers in the batch, for this design (coalesce per customer, one
 * conditional write each) and for a per-event design (each event read, merged and written on its own: the same
 * handler given one record at a time), measured on the same 1,000-record batch with an SDK interceptor that counts
 * the write calls that reach the emulator. docs/benchmarks.md ("Enrich") quotes the figures this test writes to
 * {@code target/enrich-write-count.txt}.
 */
@ExtendWith(MotoExtension.class)
class EnrichWriteCountIT {

    @Test
    void handleRequest_onAThousandRecordBatch_writesOncePerDistinctCustomer_perEventWritesOncePerEvent(
        MotoExtension.Emulator emulator) throws IOException {
        List<StreamEvent> events = SyntheticEvents.generate(1_000, 250, 42L);
        // the distinct customers with something to write: replayed events of these live customers are dropped
        // (docs/replay.md), so a customer with only those has nothing
        Set<String> customers = new HashSet<>();
        events.stream().filter(event -> !event.replay()).forEach(event -> customers.add(event.customerId()));

        Interceptors.Counter coalesced = new Interceptors.Counter();
        // customers one at a time: the count does not depend on it, and 250 profile creations in parallel make
        // moto's TransactWriteItems fail with 500s often enough to exhaust retries (see EnrichIdempotencyIT)
        EnrichFixture one = new EnrichFixture(emulator, Map.of("WRITE_CONCURRENCY", "1"));
        KinesisEvent whole = batch(one.records(events));
        assertThat(one.handler(CLOCK, coalesced).handleRequest(whole, null).getBatchItemFailures()).isEmpty();

        Interceptors.Counter perEvent = new Interceptors.Counter();
        EnrichFixture other = new EnrichFixture(emulator);
        EnrichHandler handler = other.handler(CLOCK, perEvent);
        for (KinesisEvent.KinesisEventRecord record : other.records(events)) {
            assertThat(handler.handleRequest(batch(List.of(record)), null).getBatchItemFailures()).isEmpty();
        }

        int retriedOurs = (int) one.metric("WriteRetries");
        int retriedPerEvent = (int) other.metric("WriteRetries");
        double ours = (double) coalesced.writes() / customers.size();
        double theirs = (double) perEvent.writes() / customers.size();
        String report = String.format(Locale.ROOT, "records=%d distinctCustomers=%d%n"
            + "coalesced: writes=%d writesPerDistinctCustomer=%.2f (emulator 5xx retried: %d)%n"
            + "perEvent: writes=%d writesPerDistinctCustomer=%.2f (emulator 5xx retried: %d)%n",
            events.size(), customers.size(), coalesced.writes(), ours, retriedOurs, perEvent.writes(), theirs,
            retriedPerEvent);
        Files.writeString(Path.of("target", "enrich-write-count.txt"), report, StandardCharsets.UTF_8);

        assertThat(coalesced.writes()).isEqualTo(customers.size());
        assertThat(ours).isEqualTo(1.0);
        // every event that changes a profile is a write of its own; an erased customer's later events are not
        assertThat(perEvent.writes()).isEqualTo((int) (other.metric("Applied") + other.metric("Erasures")));
        assertThat(theirs).isGreaterThan(3.0);
        ProfileAssertions.assertSameProfiles(other.profiles(), one.profiles());
    }
}
