package za.co.personalisation.replay;

import java.time.Instant;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.replay.archive.ArchiveRecord;

/** Real-shaped records for tests: the envelope ingest writes, as a capture archives it. */
public final class Fixtures {

    private Fixtures() {
    }

    /** An interest event as ingest would have accepted it (replay=false). */
    public static InterestEvent interest(String eventId, String customerId, String interest, String place,
        Instant at) {
        return new InterestEvent(eventId, customerId, interest, Gazetteer.bundled().resolve(place), at, at, "",
            false);
    }

    /** Customer 12345's electronics event in Cape Town, archived. */
    public static ArchiveRecord record(String eventId, Instant arrival) {
        return new ArchiveRecord("shardId-000000000000", eventId, arrival, "12345",
            StreamEventCodec.encode(interest(eventId, "12345", "electronics", "Cape Town", arrival)));
    }
}
