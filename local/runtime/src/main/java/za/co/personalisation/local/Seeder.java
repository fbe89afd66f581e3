package za.co.personalisation.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.ContactItems;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.dynamodb.ProfileItems;
import za.co.personalisation.core.profile.Channel;
import za.co.personalisation.core.profile.Consent;
import za.co.personalisation.core.profile.Profile;

/**
 * Seeds the local stack: the sample offer catalog and a few sample customers (contact details and consent), so
 * that an interest event for customer 12345 produces an offer at once. The files are in this module's resources
 * under {@code za/co/personalisation/local/seed/}.
 */
final class Seeder {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SEED = "/za/co/personalisation/local/seed/";

    private Seeder() {
    }

    /**
     * Loads the sample catalog with its validity windows moved to the day the stack starts (see {@link #rebased}).
     *
     * @return the number of offers loaded
     */
    static int offers(DynamoDbClient dynamoDb, String table, Instant now) {
        try {
            return OfferRepository.load(dynamoDb, table, rebased(resource("offers.json").readAllBytes(), now));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the sample offers", e);
        }
    }

    /**
     * The sample catalog with every {@code validFrom} and {@code validUntil} moved forward (or back) by the whole
     * days between the day the catalog was written and {@code now}'s day (UTC). The day it was written is the date
     * that starts its {@code version} ({@code 2026-11-25.2}). The sample's windows are chosen relative to that day
     * (most open for another 13 months, one closed, two opening in the weeks ahead), so the demo shows the same thing
     * whenever it is started, instead of sending nothing once the dates have passed.
     */
    static byte[] rebased(byte[] catalog, Instant now) throws IOException {
        JsonNode root = MAPPER.readTree(catalog);
        String version = root.path("version").asText("");
        LocalDate written;
        try {
            written = LocalDate.parse(version.length() >= 10 ? version.substring(0, 10) : version);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("the sample catalog's version must start with the date it was written"
                + " (yyyy-MM-dd), not '" + version + "'", e);
        }
        long days = ChronoUnit.DAYS.between(written, now.atOffset(ZoneOffset.UTC).toLocalDate());
        for (JsonNode offer : root.path("offers")) {
            for (String field : List.of("validFrom", "validUntil")) {
                if (offer.path(field).isTextual()) {
                    Instant at = Instant.parse(offer.path(field).asText()).plus(days, ChronoUnit.DAYS);
                    ((ObjectNode) offer).put(field, at.toString());
                }
            }
        }
        return MAPPER.writeValueAsBytes(root);
    }

    /** @return the seeded customer ids */
    static List<String> customers(DynamoDbClient dynamoDb, String profilesTable, String contactsTable,
        ContactHashes hashes, Instant now) {
        JsonNode root;
        try (InputStream in = resource("customers.json")) {
            root = MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample customers", e);
        }
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode customer : root.path("customers")) {
            String id = customer.path("customerId").asText();
            ContactItems.Contact contact = new ContactItems.Contact(id, text(customer, "phone"),
                text(customer, "email"), customer.path("locale").asText("en-ZA"),
                customer.path("timeZone").asText("Africa/Johannesburg"));
            dynamoDb.putItem(b -> b.tableName(contactsTable).item(ContactItems.toItem(contact, hashes)));
            Map<Channel, Consent> consent = new EnumMap<>(Channel.class);
            customer.path("consent").fields().forEachRemaining(entry -> consent.put(Channel.fromWire(entry.getKey()),
                new Consent(Consent.State.fromWire(entry.getValue().asText()), now)));
            Profile profile = new Profile(id, 1, Map.of(), null, Instant.EPOCH, consent, List.of(), now);
            dynamoDb.putItem(b -> b.tableName(profilesTable).item(ProfileItems.toItem(profile)));
            ids.add(id);
        }
        return ids;
    }

    /** Interests of the sample catalog and place names of the gazetteer, for the page's suggestions. */
    static Map<String, List<String>> suggestions() {
        java.util.TreeSet<String> interests = new java.util.TreeSet<>();
        List<String> places = new java.util.ArrayList<>();
        try (InputStream offers = resource("offers.json");
            InputStream gazetteer = Seeder.class.getResourceAsStream("/za/co/personalisation/core/gazetteer.json")) {
            JsonNode catalog = MAPPER.readTree(offers);
            for (JsonNode offer : catalog.isArray() ? catalog : catalog.path("offers")) {
                offer.path("interests").forEach(interest -> interests.add(interest.asText()));
            }
            if (gazetteer != null) {
                JsonNode root = MAPPER.readTree(gazetteer);
                for (String level : List.of("cities", "provinces", "countries")) {
                    root.path(level).forEach(place -> places.add(place.path("name").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample catalog or the gazetteer", e);
        }
        return Map.of("interests", List.copyOf(interests), "locations", places);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static InputStream resource(String name) {
        InputStream in = Seeder.class.getResourceAsStream(SEED + name);
        if (in == null) {
            throw new IllegalStateException("seed file missing from the classpath: " + SEED + name);
        }
        return in;
    }
}
