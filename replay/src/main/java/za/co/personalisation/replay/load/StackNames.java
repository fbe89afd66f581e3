package za.co.personalisation.replay.load;

import java.util.List;

/**
 * The names of a deployed stage's resources, as template.yaml gives them ({@code interest-events-<stage>},
 * {@code profiles-<stage>}, …). Each can be overridden for a stack named otherwise.
 */
public record StackNames(String stage, String stream, String profilesTable, String contactsTable,
    String offersTable, String notificationsTable, String sandboxQueue, List<String> failureQueues) {

    public static StackNames forStage(String stage) {
        return new StackNames(stage, "interest-events-" + stage, "profiles-" + stage, "contacts-" + stage,
            "offers-" + stage, "notifications-" + stage, "offers-sandbox-" + stage,
            List.of("failed-events-" + stage, "enrich-failures-" + stage, "notify-failures-" + stage,
                "delivery-dlq-" + stage));
    }

    public StackNames withStream(String name) {
        return new StackNames(stage, name, profilesTable, contactsTable, offersTable, notificationsTable, sandboxQueue,
            failureQueues);
    }
}
