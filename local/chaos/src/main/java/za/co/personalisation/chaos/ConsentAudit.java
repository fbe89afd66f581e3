package za.co.personalisation.chaos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.ShadowCustomers;

/**
 * Which of the messages the emulator recorded were sent without consent, and which were in flight when an opt-out
 * arrived. The promise to a customer is: <b>after the API has acknowledged the opt-out ({@code 202}), no message is
 * dispatched</b>. So a message to a customer who revoked the channel counts as <em>without consent</em> when its
 * dispatch began (the ledger's {@code dispatchedAt}) after the acknowledgement; a dispatch that began between the
 * API's receipt of the request (the consent's {@code receivedAt}) and its acknowledgement is <em>in flight when the
 * opt-out arrived</em>: allowed (the API had not promised anything yet), but counted and shown.
 *
 * <p>A revocation the client never saw acknowledged (every answer an error, or none: a timeout) counts from its
 * receipt, conservatively: the customer asked, and the client cannot tell whether the API acted on it, so the only
 * safe reading is that the opt-out held from the moment the API had it (or, if the profile never recorded it, from
 * the moment it was asked for). A revocation not made by the run (a seeded or STOP revocation) has no known
 * acknowledgement either and counts from its receipt too.
 *
 * <p>Messages to a recipient no contact entry holds, to a shadow customer, or to a customer who never granted the
 * channel are without consent, all of them.
 */
final class ConsentAudit {

    /** One ledger entry whose dispatch began. */
    record Dispatch(String notificationKey, String status, Instant dispatchedAt) {
    }

    /** The figures, and one line of data for each message counted in either. */
    record Result(int withoutConsent, int inFlight, List<String> withoutConsentDetails, List<String> inFlightDetails) {
    }

    private final Map<String, String> customersByRecipient;
    private final Map<String, Consent> consents;
    private final Map<String, List<Dispatch>> dispatches;
    private final Map<String, Revocation> revocations = new HashMap<>();

    /**
     * @param customersByRecipient customer id by phone number or email address
     * @param consents             the profiles' consent by {@code customerId|channel}
     * @param dispatches           the ledger's dispatched entries by {@code customerId|channel}
     * @param revocations          what the run asked for
     */
    ConsentAudit(Map<String, String> customersByRecipient, Map<String, Consent> consents,
        Map<String, List<Dispatch>> dispatches, List<Revocation> revocations) {
        this.customersByRecipient = customersByRecipient;
        this.consents = consents;
        this.dispatches = dispatches;
        for (Revocation revocation : revocations) {
            this.revocations.put(key(revocation.customerId(), revocation.channel()), revocation);
        }
    }

    static String key(String customerId, String channel) {
        return customerId + "|" + channel;
    }

    /** @param messagesByRecipient messages in the outbox by {@code channel|recipient} */
    Result judge(Map<String, Integer> messagesByRecipient) {
        int without = 0;
        int inFlight = 0;
        List<String> withoutDetails = new ArrayList<>();
        List<String> inFlightDetails = new ArrayList<>();
        for (Map.Entry<String, Integer> recipient : messagesByRecipient.entrySet()) {
            String channel = recipient.getKey().substring(0, recipient.getKey().indexOf('|'));
            String address = recipient.getKey().substring(channel.length() + 1);
            int messages = recipient.getValue();
            String customer = customersByRecipient.get(address);
            if (customer == null || ShadowCustomers.isShadow(customer)) {
                without += messages;
                withoutDetails.add(messages + " " + channel + " to " + (customer == null
                    ? "a recipient no contact entry has" : "shadow customer " + customer));
                continue;
            }
            String key = key(customer, channel);
            Consent consent = consents.getOrDefault(key, Consent.UNKNOWN);
            Revocation revocation = revocations.get(key);
            if (revocation == null && consent.granted()) {
                continue;
            }
            if (consent.state() != Consent.State.REVOKED && !consent.granted()) {
                without += messages;
                withoutDetails.add(messages + " " + channel + " to customer " + customer + ": consent never granted");
                continue;
            }
            // revoked: by the run (acknowledged or not), or otherwise (no acknowledgement known)
            Instant received = consent.state() == Consent.State.REVOKED ? consent.receivedAt() : null;
            Instant from = received != null ? received : revocation.requested();
            Instant promised = revocation != null && revocation.isAcknowledged() ? revocation.acknowledged() : from;
            int late = 0;
            int early = 0;
            for (Dispatch dispatch : dispatches.getOrDefault(key, List.of())) {
                if (dispatch.dispatchedAt().isAfter(promised) && late < messages) {
                    late++;
                    withoutDetails.add(describe(channel, customer, dispatch, received, revocation));
                } else if (dispatch.dispatchedAt().isAfter(from) && late + early < messages) {
                    early++;
                    inFlightDetails.add(describe(channel, customer, dispatch, received, revocation));
                }
            }
            without += late;
            inFlight += early;
        }
        return new Result(without, inFlight, withoutDetails, inFlightDetails);
    }

    private static String describe(String channel, String customer, Dispatch dispatch, Instant received,
        Revocation revocation) {
        String asked = revocation == null ? "not revoked by the run"
            : "requested " + revocation.requested() + ", " + (revocation.isAcknowledged()
                ? "acknowledged " + revocation.acknowledged() : "never acknowledged (last status "
                + (revocation.status() == Revocation.NO_ANSWER ? "none" : revocation.status()) + ")")
                + " after " + revocation.attempts() + " request(s)";
        return channel + " to customer " + customer + " (" + dispatch.notificationKey() + ", " + dispatch.status()
            + "): dispatchedAt " + dispatch.dispatchedAt() + ", receivedAt " + (received == null ? "none" : received)
            + ", " + asked;
    }
}
