package za.co.personalisation.core.profile;

import java.time.Instant;
import za.co.personalisation.core.event.ConversionEvent;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEvent;

/**
 * What enrich checks in a decoded stream record before it may touch a profile: the limits ingest enforces
 * (lengths, no control characters, occurredAt within the accepted window around receivedAt), so that a record
 * written by anything else (a replay tool, a bug, a hand-made put) cannot bloat or corrupt a profile. A record
 * that fails goes to the failed-events queue with the reason.
 *
 * <p>Deliberately not stricter than ingest on character classes: the stream contract is ingest's output.
 */
public final class EventValidator {

    private final EventLimits limits;

    public EventValidator(EventLimits limits) {
        this.limits = limits;
    }

    /**
     * @param now the function's clock, for "receivedAt lies in the future"
     * @return {@code null} when the event may be applied, otherwise what is wrong with it
     */
    public String violation(StreamEvent event, Instant now) {
        String problem = text("eventId", event.eventId(), EventLimits.MAX_ID_LENGTH);
        if (problem == null) {
            problem = text("customerId", event.customerId(), EventLimits.MAX_ID_LENGTH);
        }
        if (problem == null && !event.traceId().isEmpty()) {
            // ingest writes at most an X-Ray root id; a longer one would only bloat the profile it is kept on
            problem = text("traceId", event.traceId(), EventLimits.MAX_ID_LENGTH);
        }
        if (problem == null && event instanceof InterestEvent interest) {
            problem = text("interest", interest.interest(), EventLimits.MAX_INTEREST_LENGTH);
            if (problem == null) {
                problem = text("location.name", interest.location().name(), EventLimits.MAX_LOCATION_LENGTH);
            }
            if (problem == null) {
                problem = text("location.key", interest.location().key(), EventLimits.MAX_LOCATION_LENGTH, true);
            }
        }
        if (problem == null && event instanceof ConversionEvent conversion) {
            problem = text("interest", conversion.interest(), EventLimits.MAX_INTEREST_LENGTH);
            if (problem == null) {
                problem = text("offerId", conversion.offerId(), EventLimits.MAX_ID_LENGTH, true);
            }
            if (problem == null) {
                problem = text("currency", conversion.currency(), 3, true);
            }
        }
        return problem != null ? problem : times(event, now);
    }

    private String times(StreamEvent event, Instant now) {
        if (event.receivedAt().isAfter(now.plus(limits.maxFutureSkew()))) {
            return "receivedAt " + event.receivedAt() + " lies more than " + limits.maxFutureSkew()
                + " after the function's clock";
        }
        if (event.occurredAt().isAfter(event.receivedAt().plus(limits.maxFutureSkew()))) {
            return "occurredAt lies more than " + limits.maxFutureSkew() + " after receivedAt";
        }
        if (event.occurredAt().isBefore(event.receivedAt().minus(limits.maxAge()).minus(limits.maxFutureSkew()))) {
            return "occurredAt lies more than " + limits.maxAge() + " before receivedAt";
        }
        return null;
    }

    private static String text(String field, String value, int maxLength) {
        return text(field, value, maxLength, false);
    }

    private static String text(String field, String value, int maxLength, boolean mayBeEmpty) {
        if (value.isBlank() && !(mayBeEmpty && value.isEmpty())) {
            return field + " is blank";
        }
        if (value.length() > maxLength && value.codePointCount(0, value.length()) > maxLength) {
            return field + " is longer than " + maxLength + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return field + " holds a control character";
            }
        }
        return null;
    }
}
