package za.co.personalisation.core.offer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import za.co.personalisation.core.profile.Channel;

/**
 * Reads a catalog file: {@code {"version":"…","offers":[{…}]}} (see docs/offers.md). Every offer is validated;
 * the first bad one stops the load with a message naming it.
 */
public final class OfferCatalogCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private OfferCatalogCodec() {
    }

    public static OfferCatalog read(InputStream in) throws IOException {
        JsonNode root = MAPPER.readTree(in);
        String version = root.path("version").asText("");
        if (version.isEmpty()) {
            throw new IllegalArgumentException("the catalog needs a \"version\"");
        }
        List<Offer> offers = new ArrayList<>();
        for (JsonNode node : root.path("offers")) {
            offers.add(offer(node));
        }
        return new OfferCatalog(version, offers);
    }

    public static Offer offer(JsonNode node) {
        String id = node.path("offerId").asText("");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("an offer has no offerId: " + node);
        }
        try {
            Set<String> interests = new LinkedHashSet<>();
            node.path("interests").forEach(i -> interests.add(i.asText().trim().toLowerCase(Locale.ROOT)));
            List<String> locations = new ArrayList<>();
            node.path("locations").forEach(l -> locations.add(l.asText()));
            List<Channel> channels = new ArrayList<>();
            node.path("channels").forEach(c -> channels.add(Channel.fromWire(c.asText())));
            Map<String, OfferMessage> messages = new HashMap<>();
            node.path("messages").fields().forEachRemaining(e -> messages.put(e.getKey(), new OfferMessage(
                e.getValue().path("sms").asText(), e.getValue().path("emailSubject").asText(),
                e.getValue().path("emailBody").asText())));
            return new Offer(id, node.path("title").asText(id), interests, locations, channels,
                Instant.parse(node.path("validFrom").asText()), Instant.parse(node.path("validUntil").asText()),
                node.path("priority").asInt(0), messages);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("offer " + id + " is invalid: " + e.getMessage(), e);
        }
    }
}
