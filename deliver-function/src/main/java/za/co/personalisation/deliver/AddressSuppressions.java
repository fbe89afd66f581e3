package za.co.personalisation.deliver;

import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.DeliveryOutcomes;
import za.co.personalisation.core.profile.Channel;

/**
 * Addresses that must not be emailed any more: a hard bounce or a complaint recorded by the feedback function
 * ({@link DeliveryOutcomes#suppressEmail}), as SES's account-level suppression list would. Looked up by the keyed hash
 * of the address deliver is about to use, so a customer who gives a new address is emailed again; SMS has no
 * address-level list (a STOP revokes consent instead).
 */
final class AddressSuppressions {

    private final DeliveryOutcomes outcomes;
    private final ContactHashes hashes;

    AddressSuppressions(DeliveryOutcomes outcomes, ContactHashes hashes) {
        this.outcomes = outcomes;
        this.hashes = hashes;
    }

    /** Why the address is suppressed ({@code bounced}, {@code complained}), or {@code null} when it is not. */
    String reason(String customerId, Channel channel, String address) {
        if (channel != Channel.EMAIL) {
            return null;
        }
        DeliveryOutcomes.Suppression suppression = outcomes.emailSuppression(customerId, hashes.email(address));
        return suppression == null ? null : suppression.reason();
    }
}
