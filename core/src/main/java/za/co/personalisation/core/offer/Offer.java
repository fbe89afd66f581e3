package za.co.personalisation.core.offer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import za.co.personalisation.core.profile.Channel;

/**
 * A marketing offer.
 *
 * @param offerId    stable id
 * @param title      for people reading the ledger and dashboards
 * @param interests  case-folded interests it is for
 * @param locations  location rules: gazetteer keys ({@code ZA}, {@code ZA/WC}, {@code ZA/WC/cape-town}) or
 *                   {@code *} for everywhere
 * @param channels   channels it may go out on, in order of preference
 * @param validFrom  first instant it may be sent
 * @param validUntil instant from which it may no longer be sent
 * @param priority   higher wins between offers that match equally well
 * @param messages   by locale (e.g. {@code en-ZA}); {@link #DEFAULT_LOCALE} must be present
 * @param controlShare the share of the customers it would be sent to who are held out instead, the control group
 *                   its conversions are compared with: at least 0, below 1; {@link #DEFAULT_CONTROL_SHARE} when the
 *                   catalog does not say (docs/offers.md, "Holdouts")
 */
public record Offer(
    String offerId,
    String title,
    Set<String> interests,
    List<String> locations,
    List<Channel> channels,
    Instant validFrom,
    Instant validUntil,
    int priority,
    Map<String, OfferMessage> messages,
    double controlShare) {

    public static final String DEFAULT_LOCALE = "en-ZA";
    public static final double DEFAULT_CONTROL_SHARE = 0.10;

    /** An offer with the default control share. */
    public Offer(String offerId, String title, Set<String> interests, List<String> locations, List<Channel> channels,
        Instant validFrom, Instant validUntil, int priority, Map<String, OfferMessage> messages) {
        this(offerId, title, interests, locations, channels, validFrom, validUntil, priority, messages,
            DEFAULT_CONTROL_SHARE);
    }

    public Offer {
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        interests = Set.copyOf(interests);
        locations = List.copyOf(locations);
        channels = List.copyOf(channels);
        messages = Map.copyOf(messages);
        if (offerId.isBlank()) {
            throw new IllegalArgumentException("an offer needs a non-blank offerId");
        }
        if (interests.isEmpty() || locations.isEmpty() || channels.isEmpty()) {
            throw new IllegalArgumentException("offer " + offerId + " needs at least one interest, location rule"
                + " and channel");
        }
        if (Set.copyOf(channels).size() != channels.size()) {
            throw new IllegalArgumentException("offer " + offerId + " lists a channel twice: " + channels);
        }
        if (!validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("offer " + offerId + " ends before it starts");
        }
        if (!(controlShare >= 0 && controlShare < 1)) {
            throw new IllegalArgumentException("offer " + offerId + " has controlShare " + controlShare
                + "; it must be at least 0 and below 1");
        }
        if (!messages.containsKey(DEFAULT_LOCALE)) {
            throw new IllegalArgumentException("offer " + offerId + " has no " + DEFAULT_LOCALE + " message");
        }
        for (Map.Entry<String, OfferMessage> message : messages.entrySet()) {
            String problem = SmsText.problem(message.getValue().sms(), message.getKey());
            if (problem != null) {
                throw new IllegalArgumentException("offer " + offerId + " (" + message.getKey() + "): " + problem);
            }
        }
    }

    public boolean isValidAt(Instant now) {
        return !now.isBefore(validFrom) && now.isBefore(validUntil);
    }

    /**
     * The locale whose message a customer with {@code locale} gets: the exact locale, else another of the same
     * language (af-NA for af-ZA), else {@link #DEFAULT_LOCALE}.
     */
    public String localeFor(String locale) {
        if (locale != null) {
            if (messages.containsKey(locale)) {
                return locale;
            }
            String language = language(locale);
            String best = null;
            for (String candidate : messages.keySet()) {
                if (language(candidate).equals(language) && (best == null || candidate.compareTo(best) < 0)) {
                    best = candidate;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return DEFAULT_LOCALE;
    }

    /** The message for a locale, chosen as {@link #localeFor} says. */
    public OfferMessage messageFor(String locale) {
        return messages.get(localeFor(locale));
    }

    /** The language part of a locale tag: {@code af} for {@code af-ZA}. */
    public static String language(String locale) {
        int dash = locale.indexOf('-');
        return dash < 0 ? locale : locale.substring(0, dash);
    }
}
