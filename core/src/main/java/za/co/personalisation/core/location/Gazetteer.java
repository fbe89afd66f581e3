package za.co.personalisation.core.location;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves what a customer typed as a location into a canonical {@link Location} (city, province or country),
 * from the gazetteer file shipped in this module. It never guesses: a name it does not know stays unknown.
 */
public final class Gazetteer {

    private static final String RESOURCE = "/za/co/personalisation/core/gazetteer.json";

    private final Map<String, Location> byName;
    private final String version;

    private Gazetteer(Map<String, Location> byName, String version) {
        this.byName = Map.copyOf(byName);
        this.version = version;
    }

    /** The gazetteer shipped with the project. */
    public static Gazetteer bundled() {
        try (InputStream in = Gazetteer.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("gazetteer resource missing from the classpath: " + RESOURCE);
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gazetteer " + RESOURCE, e);
        }
    }

    static Gazetteer parse(JsonNode root) {
        Map<String, Location> names = new HashMap<>();
        Map<String, String> countryNames = new HashMap<>();
        for (JsonNode country : root.path("countries")) {
            String code = country.path("code").asText();
            Location location = new Location(code, country.path("name").asText(), true);
            countryNames.put(code, location.name());
            register(names, location, country);
            names.put(fold(code), location);
        }
        Map<String, String> provinceKeys = new HashMap<>();
        for (JsonNode province : root.path("provinces")) {
            String country = province.path("country").asText();
            if (!countryNames.containsKey(country)) {
                throw new IllegalArgumentException("province " + province.path("name").asText()
                    + " names an undeclared country " + country);
            }
            String key = country + "/" + province.path("code").asText();
            provinceKeys.put(province.path("code").asText(), key);
            register(names, new Location(key, province.path("name").asText(), true), province);
        }
        for (JsonNode city : root.path("cities")) {
            String provinceKey = provinceKeys.get(city.path("province").asText());
            if (provinceKey == null) {
                throw new IllegalArgumentException("city " + city.path("name").asText()
                    + " names an undeclared province " + city.path("province").asText());
            }
            String name = city.path("name").asText();
            register(names, new Location(provinceKey + "/" + slug(name), name, true), city);
        }
        return new Gazetteer(names, root.path("version").asText("unversioned"));
    }

    private static void register(Map<String, Location> names, Location location, JsonNode node) {
        put(names, location.name(), location);
        for (JsonNode alias : node.path("aliases")) {
            put(names, alias.asText(), location);
        }
    }

    private static void put(Map<String, Location> names, String name, Location location) {
        Location previous = names.putIfAbsent(fold(name), location);
        if (previous != null && !previous.equals(location)) {
            throw new IllegalArgumentException("gazetteer name '" + name + "' is ambiguous: " + previous.key()
                + " and " + location.key());
        }
    }

    /** Resolves a trimmed, non-empty name; an unknown name comes back as {@link Location#unknown}. */
    public Location resolve(String name) {
        Location location = byName.get(fold(name));
        return location != null ? location : Location.unknown(name);
    }

    /** The location with exactly this key, or {@code null}. */
    public Location byKey(String key) {
        for (Location location : byName.values()) {
            if (location.key().equals(key)) {
                return location;
            }
        }
        return null;
    }

    public String version() {
        return version;
    }

    /** Case, accents, punctuation and repeated spaces do not distinguish names. */
    static String fold(String name) {
        String stripped = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        return stripped.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
    }

    static String slug(String name) {
        return fold(name).replace(' ', '-');
    }
}
