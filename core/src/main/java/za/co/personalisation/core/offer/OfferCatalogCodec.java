package za.co.personalisation.core.offer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import za.co.personalisation.core.location.Gazetteer;
import za.co.personalisation.core.profile.Channel;

/**
 * Reads a catalog file (format in docs/offers.md):
 *
 * <pre>{"version":"2026-11-25.1","about":"…","offers":[{"offerId","title","interests":[…],"locations":[…],
 *  "channels":["sms","email"],"validFrom","validUntil","priority","controlShare":0.1,
 *  "messages":{"en-ZA":{"sms","emailSubject","emailBody"},…}},…]}</pre>
 *
 * <p>Every offer is validated and every problem is reported at once, each prefixed with its JSON pointer and offer
 * id, so that a catalog author fixes a file in one pass: unknown fields (a typo would otherwise be ignored),
 * missing or empty values, duplicate ids, location rules that are not gazetteer keys (they would never match),
 * SMS texts that do not fit one GSM-7 segment with the opt-out line.
 */
public final class OfferCatalogCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final Pattern OFFER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}(-[A-Z]{2})?");
    private static final Set<String> CATALOG_FIELDS = Set.of("version", "about", "offers");
    private static final Set<String> OFFER_FIELDS = Set.of("offerId", "title", "interests", "locations", "channels",
        "validFrom", "validUntil", "priority", "messages", "about", "controlShare");
    private static final Set<String> MESSAGE_FIELDS = Set.of("sms", "emailSubject", "emailBody");

    /** A catalog file that cannot be loaded, with every problem found. */
    public static final class InvalidCatalogException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        InvalidCatalogException(List<String> problems) {
            super("the catalog has " + problems.size() + " problem(s): " + String.join("; ",
                problems.subList(0, Math.min(20, problems.size()))) + (problems.size() > 20 ? "; …" : ""));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private OfferCatalogCodec() {
    }

    /** Reads and validates a catalog file against the bundled gazetteer. */
    public static OfferCatalog read(InputStream in) throws IOException {
        return read(in, Gazetteer.bundled());
    }

    /** @throws InvalidCatalogException listing every problem */
    public static OfferCatalog read(InputStream in, Gazetteer gazetteer) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidCatalogException(List.of("the file is not valid JSON: " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new InvalidCatalogException(List.of("the file must hold a JSON object"));
        }
        unknownFields(root, CATALOG_FIELDS, "", problems);
        JsonNode versionNode = root.path("version");
        String version = versionNode.isTextual() ? versionNode.textValue().trim() : "";
        if (version.isEmpty()) {
            problems.add("/version: the catalog needs a non-empty \"version\" string");
        }
        JsonNode list = root.path("offers");
        if (!list.isArray() || list.isEmpty()) {
            problems.add("/offers: the catalog needs a non-empty \"offers\" array");
        }
        Map<String, Boolean> knownRules = new HashMap<>();
        Predicate<String> known = rule -> "*".equals(rule)
            || knownRules.computeIfAbsent(rule, key -> gazetteer.byKey(key) != null);
        List<Offer> offers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Offer offer = offer(list.get(i), "/offers/" + i, known, problems);
            if (offer != null && !ids.add(offer.offerId())) {
                problems.add("/offers/" + i + "/offerId: " + offer.offerId() + " appears twice in the catalog");
            } else if (offer != null) {
                offers.add(offer);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(problems);
        }
        return new OfferCatalog(version, offers);
    }

    /**
     * One offer as stored in the offers table (already validated when it was loaded).
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static Offer offer(JsonNode node) {
        List<String> problems = new ArrayList<>();
        Offer offer = offer(node, "", rule -> true, problems);
        if (offer == null) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return offer;
    }

    private static Offer offer(JsonNode node, String at, Predicate<String> knownRule, List<String> problems) {
        if (!node.isObject()) {
            problems.add(at + ": an offer must be a JSON object");
            return null;
        }
        int before = problems.size();
        String id = node.path("offerId").isTextual() ? node.path("offerId").textValue() : "";
        String label = id.isEmpty() ? at : at + " (" + id + ")";
        if (!OFFER_ID.matcher(id).matches()) {
            problems.add(at + "/offerId: needs 1 to 64 letters, digits, '.', '_' or '-', starting with a letter"
                + " or digit");
        }
        unknownFields(node, OFFER_FIELDS, label, problems);
        Set<String> interests = new LinkedHashSet<>();
        for (String interest : strings(node, "interests", label, problems)) {
            interests.add(interest.trim().toLowerCase(Locale.ROOT));
        }
        List<String> locations = strings(node, "locations", label, problems);
        for (String rule : locations) {
            if (!knownRule.test(rule)) {
                problems.add(label + "/locations: '" + rule + "' is not a gazetteer key (ZA, ZA/WC,"
                    + " ZA/WC/cape-town) or *; it would never match");
            }
        }
        List<Channel> channels = new ArrayList<>();
        for (String channel : strings(node, "channels", label, problems)) {
            try {
                channels.add(Channel.fromWire(channel));
            } catch (IllegalArgumentException e) {
                problems.add(label + "/channels: " + e.getMessage());
            }
        }
        Instant validFrom = instant(node, "validFrom", label, problems);
        Instant validUntil = instant(node, "validUntil", label, problems);
        JsonNode priority = node.path("priority");
        if (!priority.isMissingNode() && !priority.isInt()) {
            problems.add(label + "/priority: must be an integer");
        }
        JsonNode share = node.path("controlShare");
        if (!share.isMissingNode() && !(share.isNumber() && share.asDouble() >= 0 && share.asDouble() < 1)) {
            problems.add(label + "/controlShare: must be a number from 0 (hold out nobody) up to but not including 1"
                + " (the share of customers held out as the control group; default " + Offer.DEFAULT_CONTROL_SHARE
                + ")");
        }
        Map<String, OfferMessage> messages = messages(node.path("messages"), label, problems);
        JsonNode title = node.path("title");
        if (!title.isMissingNode() && !(title.isTextual() && !title.textValue().isBlank())) {
            problems.add(label + "/title: must be a non-empty string when present");
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            return new Offer(id, title.isTextual() ? title.textValue() : id, interests, locations, channels,
                validFrom, validUntil, priority.asInt(0), messages,
                share.isMissingNode() ? Offer.DEFAULT_CONTROL_SHARE : share.asDouble());
        } catch (IllegalArgumentException e) {
            problems.add(label + ": " + e.getMessage());
            return null;
        }
    }

    private static Map<String, OfferMessage> messages(JsonNode node, String label, List<String> problems) {
        Map<String, OfferMessage> messages = new HashMap<>();
        if (!node.isObject() || node.isEmpty()) {
            problems.add(label + "/messages: needs an object of messages by locale, with " + Offer.DEFAULT_LOCALE);
            return messages;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String where = label + "/messages/" + entry.getKey();
            if (!LOCALE.matcher(entry.getKey()).matches()) {
                problems.add(where + ": not a locale tag such as en-ZA or af-ZA");
                continue;
            }
            JsonNode message = entry.getValue();
            if (!message.isObject()) {
                problems.add(where + ": must be an object with sms, emailSubject and emailBody");
                continue;
            }
            unknownFields(message, MESSAGE_FIELDS, where, problems);
            String[] texts = new String[MESSAGE_FIELDS.size()];
            int i = 0;
            for (String field : List.of("sms", "emailSubject", "emailBody")) {
                JsonNode text = message.path(field);
                if (!text.isTextual() || text.textValue().isBlank()) {
                    problems.add(where + "/" + field + ": must be a non-empty string");
                }
                texts[i++] = text.asText("");
            }
            messages.put(entry.getKey(), new OfferMessage(texts[0], texts[1], texts[2]));
        }
        return messages;
    }

    private static void unknownFields(JsonNode node, Set<String> allowed, String label, List<String> problems) {
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                problems.add(label + "/" + name + ": unknown field; expected one of " + new java.util.TreeSet<>(
                    allowed));
            }
        });
    }

    private static List<String> strings(JsonNode node, String field, String label, List<String> problems) {
        JsonNode array = node.path(field);
        List<String> values = new ArrayList<>();
        if (!array.isArray() || array.isEmpty()) {
            problems.add(label + "/" + field + ": needs a non-empty array of strings");
            return values;
        }
        for (JsonNode value : array) {
            if (!value.isTextual() || value.textValue().isBlank()) {
                problems.add(label + "/" + field + ": every entry must be a non-empty string");
            } else {
                values.add(value.textValue());
            }
        }
        return values;
    }

    private static Instant instant(JsonNode node, String field, String label, List<String> problems) {
        JsonNode value = node.path(field);
        try {
            return Instant.parse(value.asText(""));
        } catch (DateTimeParseException e) {
            problems.add(label + "/" + field + ": needs an ISO-8601 instant such as 2026-01-01T00:00:00Z");
            return null;
        }
    }
}
