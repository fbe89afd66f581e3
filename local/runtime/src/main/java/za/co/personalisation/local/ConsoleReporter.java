package za.co.personalisation.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import za.co.personalisation.local.outbox.Outbox;

/**
 * The run command's console: each message the outbox receives, once, with the recipient masked, and a concise
 * status line (API requests, events in flight per stage, notifications sent, function errors, alarms) whenever it
 * changes, at most every few seconds.
 */
final class ConsoleReporter implements AutoCloseable {

    private static final long STATUS_EVERY_MS = 3_000;

    private final Outbox outbox;
    private final Supplier<Map<String, Object>> status;
    private final PrintStream console;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    /** Provider message ids already printed: the outbox lists SMS before email, so positions shift. */
    private final java.util.Set<String> printed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When a message was first seen without its ledger entry (deliver records "sent" just after sending). */
    private final Map<String, Long> unjoinedSince = new java.util.HashMap<>();
    /** Messages by provider id, joined with their ledger entry (or printed without one): never looked up again. */
    private final Map<String, Outbox.Message> joined = new java.util.HashMap<>();
    private volatile List<Outbox.Message> messages = List.of();
    private String lastStatus = "";
    private long lastStatusAt;

    ConsoleReporter(Outbox outbox, Supplier<Map<String, Object>> status, PrintStream console) {
        this.outbox = outbox;
        this.status = status;
        this.console = console;
        this.thread = new Thread(this::run, "console");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int sent() {
        return printed.size();
    }

    /**
     * The outbox as last read (the console reads it twice a second), each message joined with its ledger entry as
     * it was when first found (the entry's later delivery outcome is not read again).
     */
    List<Outbox.Message> messages() {
        return messages;
    }

    private void run() {
        while (running.get()) {
            try {
                Thread.sleep(500);
                // A message is joined with its ledger entry once, by the ledger's index, until it has been
                // printed: scanning the ledger for each new message (twice a second under load, a table that grows
                // with every notification) was a tenth of the emulator's CPU in a 3-minute run at 60 events/s, load
                // with no counterpart on AWS (issue 14).
                List<Outbox.Message> recorded = outbox.messages(false);
                List<Outbox.Message> current = new ArrayList<>(recorded.size());
                for (Outbox.Message m : recorded) {
                    Outbox.Message known = joined.get(m.providerMessageId());
                    if (known == null) {
                        known = outbox.join(m);
                        if (!known.customerId().isEmpty()) {
                            joined.put(m.providerMessageId(), known);
                        }
                    }
                    current.add(known);
                }
                messages = current;
                long seenAt = System.currentTimeMillis();
                for (Outbox.Message m : messages) {
                    if (printed.contains(m.providerMessageId())) {
                        continue;
                    }
                    if (m.customerId().isEmpty()
                        && seenAt - unjoinedSince.computeIfAbsent(m.providerMessageId(), id -> seenAt) < 3_000) {
                        continue;
                    }
                    printed.add(m.providerMessageId());
                    unjoinedSince.remove(m.providerMessageId());
                    joined.putIfAbsent(m.providerMessageId(), m); // printed without its entry: not looked up again
                    console.printf("  OUTBOX %-5s to customer %s (%s): offer %s for event %s%n      \"%s\"%n",
                        m.channel(), m.customerId(), Outbox.mask(m.recipient()), m.offerId(), m.eventId(),
                        m.subject().isEmpty() ? m.text() : m.subject());
                }
                long now = System.currentTimeMillis();
                if (now - lastStatusAt >= STATUS_EVERY_MS) {
                    String line = statusLine(status.get());
                    if (!line.equals(lastStatus)) {
                        console.println(line);
                        lastStatus = line;
                    }
                    lastStatusAt = now;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running.get()) {
                    console.println("  ! outbox unavailable: " + e.getMessage());
                }
            }
        }
    }

    /** e.g. {@code status  api 3 requests | in flight: ingest 0 · enrich 1 · … | sent: sms 1 | errors 0 | …}. */
    static String statusLine(Map<String, Object> status) {
        StringJoiner inFlight = new StringJoiner(" · ");
        map(status.get("inFlight")).forEach((stage, count) -> inFlight.add(stage + " " + count));
        StringJoiner sent = new StringJoiner(" · ");
        map(status.get("notificationsSent")).forEach((channel, count) -> sent.add(channel + " " + count));
        long errors = 0;
        long timeouts = 0;
        for (Object counts : map(status.get("functions")).values()) {
            errors += number(map(counts).get("errors"));
            timeouts += number(map(counts).get("timeouts"));
        }
        return "  status  api " + status.get("apiRequests") + " requests"
            + (number(status.get("apiRejectedByGateway")) > 0 ? " (" + status.get("apiRejectedByGateway")
            + " refused by the gateway)" : "")
            + " | in flight: " + inFlight
            + " | sent: " + (sent.length() == 0 ? "none yet" : sent.toString())
            + " | function errors " + errors + (timeouts > 0 ? " (" + timeouts + " timeouts)" : "")
            + " | alarms: " + alarming(map(status.get("alarms")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
    }

    /** The alarms in ALARM, or "none". */
    static String alarming(Map<?, ?> alarms) {
        String firing = alarms.entrySet().stream().filter(entry -> "ALARM".equals(String.valueOf(entry.getValue())))
            .map(entry -> String.valueOf(entry.getKey())).sorted().collect(java.util.stream.Collectors.joining(", "));
        return firing.isEmpty() ? "none in ALARM" : firing;
    }
}
