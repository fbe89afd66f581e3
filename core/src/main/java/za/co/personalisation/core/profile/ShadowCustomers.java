package za.co.personalisation.core.profile;

/**
 * Shadow customers: the customers replayed traffic may act on (docs/replay.md, "The rule"). A customer id that
 * starts with {@link #PREFIX} is a shadow customer; every other id is a live customer.
 *
 * <ul>
 *   <li>enrich applies replayed events (interest, consent, erasure) only to shadow customers and drops every
 *       replayed event of a live customer, so replayed traffic can never change a live customer's profile, consent
 *       or existence;</li>
 *   <li>notify marks every notification of a shadow customer as replayed traffic (sandbox only), and deliver
 *       suppresses every notification that is replayed or of a shadow customer, so nothing about a shadow customer
 *       can reach a person.</li>
 * </ul>
 *
 * The replay tool remaps customer ids to this prefix ({@code --remap prefix|hash}, whose prefix must start with it).
 */
public final class ShadowCustomers {

    /** The prefix that makes a customer id a shadow customer's. */
    public static final String PREFIX = "shadow-";

    private ShadowCustomers() {
    }

    public static boolean isShadow(String customerId) {
        return customerId != null && customerId.startsWith(PREFIX);
    }
}
