package za.co.personalisation.replay.load;

/**
 * One synthetic interest event of a run.
 *
 * @param index        its place in the run (0-based); its eventId ends in it
 * @param eventId      {@code load-<runId>-e<index>}
 * @param customerId   {@code load-<runId>-c<rank>}, rank drawn from the Zipf distribution
 * @param customerRank 1 = the most active customer
 * @param interest     as a client would send it
 * @param place        as a client would type it
 * @param offsetNanos  when it is to be sent, after the run's start (open loop: fixed in advance)
 */
public record LoadEvent(int index, String eventId, String customerId, int customerRank, String interest,
    String place, long offsetNanos) {
}
