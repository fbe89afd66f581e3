package za.co.personalisation.local;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import za.co.personalisation.local.outbox.Outbox;

/** Prints each message the outbox receives, once, with the recipient masked. */
final class ConsoleReporter implements AutoCloseable {

    private final Outbox outbox;
    private final PrintStream console;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile int printed;

    ConsoleReporter(Outbox outbox, PrintStream console) {
        this.outbox = outbox;
        this.console = console;
        this.thread = new Thread(this::run, "console");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int sent() {
        return printed;
    }

    private void run() {
        while (running.get()) {
            try {
                Thread.sleep(500);
                List<Outbox.Message> messages = outbox.messages();
                for (int i = printed; i < messages.size(); i++) {
                    Outbox.Message m = messages.get(i);
                    console.printf("  OUTBOX %-5s to customer %s (%s): offer %s for event %s%n      \"%s\"%n",
                        m.channel(), m.customerId(), Outbox.mask(m.recipient()), m.offerId(), m.eventId(),
                        m.subject().isEmpty() ? m.text() : m.subject());
                }
                printed = Math.max(printed, messages.size());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running.get()) {
                    console.println("  ! outbox unavailable: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
    }
}
