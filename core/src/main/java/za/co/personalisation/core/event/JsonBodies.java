package za.co.personalisation.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads request bodies strictly: UTF-8 only, duplicate keys, trailing content, deep nesting and oversized numbers
 * are violations located by JSON pointer, never silently resolved.
 */
final class JsonBodies {

    /** Deepest nesting accepted: a batch is three levels deep, so anything past this is not one of our bodies. */
    static final int MAX_DEPTH = 16;
    static final int MAX_NUMBER_LENGTH = 64;

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build())
            .build())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private JsonBodies() {
    }

    /** Parses a UTF-8 JSON body. @throws InvalidRequestException locating what is wrong */
    static JsonNode read(byte[] body, String emptyMessage) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("", emptyMessage);
        }
        try {
            JsonNode root = STRICT.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new InvalidRequestException("", emptyMessage);
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new InvalidRequestException("", "the body exceeds a JSON limit (nesting depth " + MAX_DEPTH
                + ", number length " + MAX_NUMBER_LENGTH + "): " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            // A duplicate key is located at the key; for any other syntax error the body is not JSON, so the
            // violation is the body's (pointer "") and the message says where reading stopped.
            String at = pointer(e);
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (message.startsWith("Duplicate field")) {
                throw new InvalidRequestException(at, describe(message));
            }
            throw new InvalidRequestException("", describe(message) + (at.isEmpty() ? "" : " (at " + at + ")"));
        } catch (IOException e) {
            throw new InvalidRequestException("", "unreadable body: " + e.getClass().getSimpleName());
        }
    }

    private static String pointer(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
            try {
                return parser.getParsingContext().pathAsPointer().toString();
            } catch (RuntimeException ignored) {
                return "";
            }
        }
        return "";
    }

    private static String describe(String message) {
        String text = message == null ? "unreadable" : message;
        int cut = text.indexOf('\n');
        if (cut >= 0) {
            text = text.substring(0, cut);
        }
        if (text.startsWith("Invalid UTF-8")) {
            return "the body is not valid UTF-8 (" + text + ")";
        }
        if (text.startsWith("Duplicate field")) {
            return "duplicate key: " + text.substring("Duplicate field ".length()) + "; send each field once";
        }
        return "malformed JSON: " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
