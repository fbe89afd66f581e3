package za.co.personalisation.replay.report;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** A failure said in one line, for the console and the report: what was thrown and its first line, no stack. */
public final class Failures {

    private static final int MAX = 240;

    private Failures() {
    }

    public static String oneLine(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof UncheckedIOException || cause instanceof CompletionException
            || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline).strip();
        }
        String text = message.isEmpty() ? cause.getClass().getSimpleName()
            : cause.getClass().getSimpleName() + ": " + message;
        return text.length() <= MAX ? text : text.substring(0, MAX - 1) + "…";
    }
}
