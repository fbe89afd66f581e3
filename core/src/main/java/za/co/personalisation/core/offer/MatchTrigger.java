package za.co.personalisation.core.offer;

import java.util.Locale;

/** The meaningful profile changes that make the matcher look for offers; the wire name goes into the ledger. */
public enum MatchTrigger {
    /** An interest the profile did not have before. */
    NEW_INTEREST,
    /** An interest whose score rose across the configured threshold. */
    SCORE_THRESHOLD,
    /** The customer's place changed: every interest still relevant is looked at again. */
    LOCATION_CHANGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
