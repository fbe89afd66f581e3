package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The malformed-request corpus (src/test/resources/malformed, written by src/test/python/generate_malformed.py):
 * API Gateway proxy events with the status each must get. A body's {@code [[repeat:N:text]]} is expanded here.
 */
final class Corpus {

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern REPEAT = Pattern.compile("\\[\\[repeat:(\\d+):(.*?)]]", Pattern.DOTALL);

    /** One malformed request. */
    record Case(String name, int expect, String why, APIGatewayProxyRequestEvent request) {

        /** The body's bytes as the function decodes them. */
        byte[] bodyBytes() {
            String body = request.getBody();
            if (body == null) {
                return new byte[0];
            }
            if (Boolean.TRUE.equals(request.getIsBase64Encoded())) {
                try {
                    return Base64.getDecoder().decode(body);
                } catch (IllegalArgumentException notBase64) {
                    return new byte[0];
                }
            }
            return body.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Corpus() {
    }

    static List<Case> all() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(Corpus::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        try {
            return Path.of(Corpus.class.getResource("/malformed").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Case load(Path file) {
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            APIGatewayProxyRequestEvent request = MAPPER.treeToValue(node, APIGatewayProxyRequestEvent.class);
            request.setIsBase64Encoded(node.path("isBase64Encoded").asBoolean(false));
            if (request.getBody() != null) {
                request.setBody(expand(request.getBody()));
            }
            String name = file.getFileName().toString().replace(".json", "");
            return new Case(name, node.path("x-expect").asInt(), node.path("x-why").asText(), request);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus file " + file, e);
        }
    }

    static String expand(String body) {
        Matcher matcher = REPEAT.matcher(body);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(2).repeat(
                Integer.parseInt(matcher.group(1)))));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
