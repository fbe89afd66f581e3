package za.co.personalisation.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import za.co.personalisation.aws.catalog.OfferCatalogLoader;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.local.emulator.MotoExtension;

/** The offers table against the emulator: the load command, replacing a catalog, and the functions' cache. */
@ExtendWith(MotoExtension.class)
class OfferCatalogIT {

    private static OfferStack stack;
    @TempDir
    static Path files;

    @BeforeAll
    static void createStack(MotoExtension.Emulator emulator) {
        stack = OfferStack.create(emulator);
    }

    @Test
    void loadCommand_writesTheCatalog_andTheNextLoadReplacesIt() throws IOException {
        Path first = write("first.json", catalog("v1", "A-1", "B-1"));
        Path second = write("second.json", catalog("v2", "A-1", "C-1"));

        Result loaded = run("--table", "offers-load", first.toString());
        assertThat(loaded.status()).as(loaded.err()).isZero();
        assertThat(loaded.out()).contains("Loaded catalog version v1 into offers-load: 2 offers written, 0 removed");

        Result replaced = run("--table", "offers-load", second.toString());
        assertThat(replaced.out()).contains("catalog version v2", "2 offers written, 1 removed");
        OfferCatalog catalog = repository("offers-load", Duration.ZERO).catalog();
        assertThat(catalog.version()).isEqualTo("v2");
        assertThat(catalog.offers()).extracting(offer -> offer.offerId()).containsExactlyInAnyOrder("A-1", "C-1");

        Result merged = run("--table", "offers-load", "--merge", first.toString());
        assertThat(merged.out()).contains("0 removed (--merge)");
        assertThat(repository("offers-load", Duration.ZERO).catalog().offers()).hasSize(3);
    }

    @Test
    void loadCommand_withAnInvalidFile_listsEveryProblem_andWritesNothing() throws IOException {
        Path bad = write("bad.json", catalog("v1", "A-1", "B-1").replace("\"ZA\"", "\"ZA/XX\""));

        Result result = run("--stage", "nothing", bad.toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("was not loaded; fix these problems:",
            "/offers/0 (A-1)/locations: 'ZA/XX' is not a gazetteer key", "/offers/1 (B-1)/locations");
        assertThat(run("--dry-run", write("ok.json", catalog("v9", "X-1")).toString()).out())
            .contains("is valid: catalog version v9, 1 offers; nothing written (--dry-run)");
        assertThat(run("--table").status()).isEqualTo(2);
        assertThat(run("--table", "t", "/no/such/file.json").err()).contains("no such file: /no/such/file.json");
    }

    @Test
    void cachedCatalog_isReadAgainOnlyAfterItsTtl_andOnlyWhenTheVersionChanged() throws IOException {
        TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
        stack.dynamoDb.createTable(b -> b.tableName("offers-cache").billingMode("PAY_PER_REQUEST")
            .attributeDefinitions(a -> a.attributeName("offerId").attributeType("S"))
            .keySchema(k -> k.attributeName("offerId").keyType("HASH")));
        load("offers-cache", catalog("v1", "A-1"));
        OfferRepository repository = new OfferRepository(stack.dynamoDb, "offers-cache", Duration.ofMinutes(1), clock);
        OfferCatalog first = repository.catalog();

        load("offers-cache", catalog("v2", "A-1", "B-1"));
        clock.advance(Duration.ofSeconds(59));
        assertThat(repository.catalog()).isSameAs(first);

        clock.advance(Duration.ofSeconds(1));
        OfferCatalog second = repository.catalog();
        assertThat(second.version()).isEqualTo("v2");
        assertThat(second.size()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        assertThat(repository.catalog()).as("same version: no rescan").isSameAs(second);

        // The table is gone (an outage): the function keeps serving the copy it has.
        stack.dynamoDb.deleteTable(b -> b.tableName("offers-cache"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(repository.catalog()).isSameAs(second);
    }

    @Test
    void headItem_recordsTheLoadedVersion() throws IOException {
        try (InputStream in = OfferCatalogIT.class.getResourceAsStream("/test-catalog.json")) {
            assertThat(OfferRepository.load(stack.dynamoDb, "offers-test", in.readAllBytes())).isEqualTo(6);
        }
        Map<String, AttributeValue> head = stack.dynamoDb.getItem(b -> b.tableName("offers-test").key(Map.of(
            "offerId", AttributeValue.fromS(OfferRepository.HEAD_ID)))).item();

        assertThat(head.get("catalogVersion").s()).isEqualTo("test-1");
        assertThat(head.get("offerCount").n()).isEqualTo("6");
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (!stackHasTable("offers-load")) {
            stack.dynamoDb.createTable(b -> b.tableName("offers-load").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("offerId").attributeType("S"))
                .keySchema(k -> k.attributeName("offerId").keyType("HASH")));
        }
        int status = OfferCatalogLoader.run(args, Settings.of(environment()), new PrintStream(out, true,
            StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> environment() {
        return Map.of("AWS_ENDPOINT_URL", stack.settings.require("AWS_ENDPOINT_URL"),
            "AWS_REGION", stack.settings.require("AWS_REGION"),
            "AWS_ACCESS_KEY_ID", stack.settings.require("AWS_ACCESS_KEY_ID"),
            "AWS_SECRET_ACCESS_KEY", stack.settings.require("AWS_SECRET_ACCESS_KEY"));
    }

    private static boolean stackHasTable(String name) {
        return stack.dynamoDb.listTables().tableNames().contains(name);
    }

    private static OfferRepository repository(String table, Duration ttl) {
        return new OfferRepository(stack.dynamoDb, table, ttl, new TestClock(Instant.now()));
    }

    private static void load(String table, String json) throws IOException {
        OfferRepository.load(stack.dynamoDb, table, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(String name, String json) throws IOException {
        return Files.writeString(files.resolve(name), json);
    }

    private static String catalog(String version, String... ids) {
        StringBuilder offers = new StringBuilder();
        for (String id : ids) {
            offers.append(offers.length() == 0 ? "" : ",").append("{\"offerId\":\"").append(id)
                .append("\",\"interests\":[\"books\"],\"locations\":[\"ZA\"],\"channels\":[\"sms\"],")
                .append("\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2027-01-01T00:00:00Z\",")
                .append("\"messages\":{\"en-ZA\":{\"sms\":\"Hi\",\"emailSubject\":\"S\",\"emailBody\":\"B\"}}}");
        }
        return "{\"version\":\"" + version + "\",\"offers\":[" + offers + "]}";
    }
}
