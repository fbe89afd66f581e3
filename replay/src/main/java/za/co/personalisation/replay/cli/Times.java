package za.co.personalisation.replay.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** Command-line times: an ISO-8601 instant ({@code 2026-11-25T10:00:00Z}) or a duration ago ({@code PT2H}). */
final class Times {

    private Times() {
    }

    static Instant parse(String text, Clock clock) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return clock.instant().minus(Duration.parse(value));
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is neither an ISO-8601 instant such as"
                + " 2026-11-25T10:00:00Z nor a duration ago such as PT2H");
        }
    }

    /** A picocli converter for ISO-8601 durations such as PT60S. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an ISO-8601 duration such as"
                    + " PT60S or PT5M");
            }
        }
    }
}
