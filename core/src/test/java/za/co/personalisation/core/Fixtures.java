package za.co.personalisation.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the JSON fixtures under {@code src/test/resources/fixtures} from the classpath. */
public final class Fixtures {

    private Fixtures() {
    }

    public static InputStream stream(String name) {
        InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name);
        if (in == null) {
            throw new IllegalStateException("fixture missing from the test classpath: " + name);
        }
        return in;
    }

    public static byte[] bytes(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + name, e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** JSON written with single quotes, for readable inline bodies: {@code json("{'a':'b'}")}. */
    public static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
