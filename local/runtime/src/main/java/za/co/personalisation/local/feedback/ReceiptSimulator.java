package za.co.personalisation.local.feedback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import za.co.personalisation.local.outbox.Outbox;

/**
 * The providers' delivery receipts, locally: each message the emulator recorded as sent gets one "delivered" event
 * ({@link ProviderEvents}) on the feedback topic once {@code delay} has passed since the simulator first saw it, by
 * the injected clock. Nothing here decides what a receipt means: the feedback function does, as on AWS.
 */
public final class ReceiptSimulator {

    private final Supplier<List<Outbox.Sent>> outbox;
    private final Consumer<String> publish;
    private final Clock clock;
    private final Duration delay;
    private final Map<String, Instant> firstSeen = new HashMap<>();
    private final Set<String> receipted = new HashSet<>();

    /**
     * @param outbox  what the emulator recorded as sent
     * @param publish publishes one provider event to the feedback topic
     */
    public ReceiptSimulator(Supplier<List<Outbox.Sent>> outbox, Consumer<String> publish, Clock clock,
        Duration delay) {
        this.outbox = outbox;
        this.publish = publish;
        this.clock = clock;
        this.delay = delay;
    }

    /** Publishes the receipts that are due. @return how many */
    public synchronized int tick() {
        Instant now = clock.instant();
        int published = 0;
        for (Outbox.Sent sent : outbox.get()) {
            String id = sent.providerMessageId();
            if (id.isEmpty() || receipted.contains(id)) {
                continue;
            }
            Instant seen = firstSeen.computeIfAbsent(id, key -> now);
            if (now.isBefore(seen.plus(delay))) {
                continue;
            }
            publish.accept(sent.channel().equals("sms") ? ProviderEvents.smsDelivered(id, sent.recipient(), now)
                : ProviderEvents.email("Delivery", id, sent.recipient(), now));
            receipted.add(id);
            firstSeen.remove(id);
            published++;
        }
        return published;
    }
}
