package za.co.personalisation.core.event;

import java.util.List;

/** The request as a whole cannot be read as events; every violation found is listed. */
public final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidRequestException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    public InvalidRequestException(String pointer, String message) {
        this(List.of(new Violation(pointer, message)));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String describe(List<Violation> violations) {
        StringBuilder text = new StringBuilder();
        for (Violation violation : violations) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(violation.pointer().isEmpty() ? "(body)" : violation.pointer()).append(": ")
                .append(violation.message());
        }
        return text.toString();
    }
}
