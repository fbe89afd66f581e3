package za.co.personalisation.enrich;

import java.util.ArrayList;
import java.util.List;
import za.co.personalisation.aws.metrics.Metrics;

/**
 * Counts for one customer's share of a batch (or, summed, for the whole batch), emitted as EMF metrics. Each
 * customer's task has its own tally, so no counter is shared between threads; the batch adds them up at the end.
 */
final class Tally {

    int records;
    int applied;
    int duplicatesSkipped;
    int tooLate;
    int invalid;
    int erasedDropped;
    int erasures;
    int ledgerEntriesDeleted;
    int writes;
    int writeRetries;
    int readRetries;
    int conditionalConflicts;
    int writeFailed;
    int deadLetterFailed;
    int parked;
    int interestsEvicted;
    int replayDropped;
    int conversionsRecorded;
    int conversionsNotCounted;
    /** Profiles this invocation created, to be checked against erasure once every customer is written. */
    final List<Creation> creations = new ArrayList<>();

    /** A profile created by this invocation: the customer, the last version written, and what it applied. */
    static final class Creation {
        final String customerId;
        final String firstSequence;
        long version;
        int applied;
        final List<String> eventIds = new ArrayList<>();

        Creation(String customerId, String firstSequence) {
            this.customerId = customerId;
            this.firstSequence = firstSequence;
        }
    }

    /** Notes a write of {@code customerId}'s profile as {@code version}: a creation, or a later write of one. */
    void wrote(String customerId, boolean created, String firstSequence, long version, int appliedEvents,
        List<String> appliedEventIds) {
        Creation creation = null;
        for (Creation c : creations) {
            if (c.customerId.equals(customerId)) {
                creation = c;
            }
        }
        if (creation == null) {
            if (!created) {
                return;
            }
            creation = new Creation(customerId, firstSequence);
            creations.add(creation);
        }
        creation.version = version;
        creation.applied += appliedEvents;
        creation.eventIds.addAll(appliedEventIds);
    }

    void add(Tally other) {
        records += other.records;
        applied += other.applied;
        duplicatesSkipped += other.duplicatesSkipped;
        tooLate += other.tooLate;
        invalid += other.invalid;
        erasedDropped += other.erasedDropped;
        erasures += other.erasures;
        ledgerEntriesDeleted += other.ledgerEntriesDeleted;
        writes += other.writes;
        writeRetries += other.writeRetries;
        readRetries += other.readRetries;
        conditionalConflicts += other.conditionalConflicts;
        writeFailed += other.writeFailed;
        deadLetterFailed += other.deadLetterFailed;
        parked += other.parked;
        interestsEvicted += other.interestsEvicted;
        replayDropped += other.replayDropped;
        creations.addAll(other.creations);
        conversionsRecorded += other.conversionsRecorded;
        conversionsNotCounted += other.conversionsNotCounted;
    }

    /** Writes every count, zeros included, so a dashboard sees 0 rather than a gap. */
    void emit(Metrics.Unit unit) {
        unit.count("Records", records)
            .count("Applied", applied)
            .count("Duplicates", duplicatesSkipped)
            .count("TooLate", tooLate)
            .count("Invalid", invalid)
            .count("ErasedDropped", erasedDropped)
            .count("Erasures", erasures)
            .count("LedgerEntriesDeleted", ledgerEntriesDeleted)
            .count("Writes", writes)
            .count("WriteRetries", writeRetries)
            .count("ReadRetries", readRetries)
            .count("ConditionalConflicts", conditionalConflicts)
            .count("WriteFailed", writeFailed)
            .count("DeadLetterFailed", deadLetterFailed)
            .count("Parked", parked)
            .count("InterestsEvicted", interestsEvicted)
            .count("ReplayDropped", replayDropped)
            .count("ConversionsRecorded", conversionsRecorded)
            .count("ConversionsNotCounted", conversionsNotCounted);
    }
}
