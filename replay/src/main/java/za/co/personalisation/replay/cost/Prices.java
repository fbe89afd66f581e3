package za.co.personalisation.replay.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prices file (replay/prices.json, bundled into the tool; another can be given with {@code --prices}): unit
 * prices per region, each with the page it comes from. A price that is {@code null} is unknown, and whatever
 * would be billed at it is reported as unpriced.
 */
public final class Prices {

    private static final String BUNDLED = "/za/co/personalisation/replay/cost/prices.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One billed unit. {@code prices} holds a value per region, {@code null} when unknown; {@code source} is the AWS
     * page the price belongs to, {@code evidence} a one-line summary of where the figure was read, {@code sources}
     * each page read, and {@code verified} by region whether AWS's own page shows the figure.
     */
    public record Item(String id, String service, String description, double per, Map<String, Double> prices,
        String source, String note, String evidence, List<Source> sources, Map<String, Boolean> verified) {

        /** The price of one unit in {@code region}, or {@code null}. */
        public Double unitPrice(String region) {
            Double price = prices.get(region);
            return price == null ? null : price / per;
        }

        /** Whether the price in {@code region} is known and was read on AWS's own page. */
        public boolean verified(String region) {
            return prices.get(region) != null && Boolean.TRUE.equals(verified.get(region));
        }
    }

    /**
     * One page a price was read from: the regions it covers, its address, what it says (short, verbatim), the date
     * the page shows (or that it shows none) and whether the page is AWS's own.
     */
    public record Source(List<String> regions, String url, String says, String dated, boolean aws) {
    }

    private final Map<String, Item> items;
    private final List<String> regions;
    private final String asOf;
    private final boolean checked;
    private final String warning;
    private final String origin;

    private Prices(Map<String, Item> items, List<String> regions, String asOf, boolean checked, String warning,
        String origin) {
        this.items = items;
        this.regions = regions;
        this.asOf = asOf;
        this.checked = checked;
        this.warning = warning;
        this.origin = origin;
    }

    public static Prices bundled() {
        try (InputStream in = Prices.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the prices file is missing from the class path: " + BUNDLED);
            }
            return parse(MAPPER.readTree(in), "replay/prices.json (bundled)");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled prices file", e);
        }
    }

    public static Prices read(Path file) throws IOException {
        return parse(MAPPER.readTree(Files.readAllBytes(file)), file.toString());
    }

    static Prices parse(JsonNode root, String origin) {
        List<String> regions = new ArrayList<>();
        root.path("regions").forEach(region -> regions.add(region.asText()));
        if (regions.isEmpty()) {
            throw new IllegalArgumentException(origin + ": \"regions\" must list the regions priced");
        }
        Map<String, Item> items = new LinkedHashMap<>();
        for (JsonNode node : root.path("items")) {
            String id = node.path("id").asText("");
            String source = node.path("source").asText("");
            if (id.isEmpty() || !source.startsWith("https://")) {
                throw new IllegalArgumentException(origin + ": every item needs an \"id\" and an https \"source\""
                    + " page; " + (id.isEmpty() ? "one has no id" : id + " has no source"));
            }
            double per = node.path("per").asDouble(1);
            if (!(per > 0)) {
                throw new IllegalArgumentException(origin + ": " + id + " needs a positive \"per\"");
            }
            Map<String, Double> prices = new LinkedHashMap<>();
            for (String region : regions) {
                JsonNode price = node.get(region);
                if (price == null) {
                    throw new IllegalArgumentException(origin + ": " + id + " has no \"" + region + "\" (write null"
                        + " when the price is unknown)");
                }
                prices.put(region, price.isNull() ? null : price.asDouble());
            }
            Map<String, Boolean> verified = new LinkedHashMap<>();
            for (String region : regions) {
                boolean claimed = node.path("verified").path(region).asBoolean(false);
                if (claimed && prices.get(region) == null) {
                    throw new IllegalArgumentException(origin + ": " + id + " is marked verified in " + region
                        + " but has no price there");
                }
                verified.put(region, claimed);
            }
            List<Source> sources = new ArrayList<>();
            for (JsonNode page : node.path("sources")) {
                List<String> covered = new ArrayList<>();
                page.path("regions").forEach(region -> covered.add(region.asText()));
                sources.add(new Source(List.copyOf(covered), page.path("url").asText(""), page.path("says").asText(""),
                    page.path("dated").asText(""), page.path("aws").asBoolean(false)));
            }
            verified.forEach((region, claimed) -> {
                if (claimed && sources.stream().noneMatch(page -> page.aws() && page.regions().contains(region)
                    && page.url().startsWith("https://"))) {
                    throw new IllegalArgumentException(origin + ": " + id + " is marked verified in " + region
                        + " without an AWS page among its sources for that region");
                }
            });
            items.put(id, new Item(id, node.path("service").asText(), node.path("description").asText(), per, prices,
                source, node.path("note").asText(""), node.path("evidence").asText(""), List.copyOf(sources),
                verified));
        }
        return new Prices(items, List.copyOf(regions), root.path("asOf").asText(""), root.path("checked")
            .asBoolean(false), root.path("warning").asText(""), origin);
    }

    public Item item(String id) {
        Item item = items.get(id);
        if (item == null) {
            throw new IllegalArgumentException("the prices file has no item '" + id + "'; the tool needs it");
        }
        return item;
    }

    public List<Item> items() {
        return List.copyOf(items.values());
    }

    public List<String> regions() {
        return regions;
    }

    public String asOf() {
        return asOf;
    }

    public boolean checked() {
        return checked;
    }

    public String warning() {
        return warning;
    }

    public String origin() {
        return origin;
    }
}
