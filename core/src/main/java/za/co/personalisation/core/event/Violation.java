package za.co.personalisation.core.event;

import java.util.Objects;

/** One thing wrong with a request, located by a JSON pointer into the body (RFC 6901). */
public record Violation(String pointer, String message) {

    public Violation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }
}
