package za.co.personalisation.replay.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static za.co.personalisation.aws.testing.Catalogs.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.aws.testing.TestClock;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.local.emulator.MotoExtension;

/** The catalog load command against the emulator: loading, replacing, merging, and refusing a bad file. */
@ExtendWith(MotoExtension.class)
class OfferCatalogLoaderIT {

    private static DynamoDbClient dynamoDb;
    private static Map<String, String> environment;
    @TempDir
    static Path files;

    @BeforeAll
    static void table(MotoExtension.Emulator emulator) {
        environment = emulator.environment();
        dynamoDb = new AwsClients(Settings.of(environment)).dynamoDb();
        dynamoDb.createTable(b -> b.tableName("offers-load").billingMode("PAY_PER_REQUEST")
            .attributeDefinitions(a -> a.attributeName("offerId").attributeType("S"))
            .keySchema(k -> k.attributeName("offerId").keyType("HASH")));
    }

    @Test
    void loadCommand_writesTheCatalog_andTheNextLoadReplacesIt() throws IOException {
        Path first = write("first.json", json("v1", "A-1", "B-1"));
        Path second = write("second.json", json("v2", "A-1", "C-1"));

        Result loaded = run("--table", "offers-load", first.toString());
        assertThat(loaded.status()).as(loaded.err()).isZero();
        assertThat(loaded.out()).contains("Loaded catalog version v1 into offers-load: 2 offers written, 0 removed");

        Result replaced = run("--table", "offers-load", second.toString());
        assertThat(replaced.out()).contains("catalog version v2", "2 offers written, 1 removed");
        OfferCatalog catalog = repository("offers-load").catalog();
        assertThat(catalog.version()).isEqualTo("v2");
        assertThat(catalog.offers()).extracting(offer -> offer.offerId()).containsExactlyInAnyOrder("A-1", "C-1");

        Result merged = run("--table", "offers-load", "--merge", first.toString());
        assertThat(merged.out()).contains("0 removed (--merge)");
        assertThat(repository("offers-load").catalog().offers()).hasSize(3);
    }

    @Test
    void loadCommand_withAnInvalidFile_listsEveryProblem_andWritesNothing() throws IOException {
        Path bad = write("bad.json", json("v1", "A-1", "B-1").replace("\"ZA\"", "\"ZA/XX\""));

        Result result = run("--stage", "nothing", bad.toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("was not loaded; fix these problems:",
            "/offers/0 (A-1)/locations: 'ZA/XX' is not a gazetteer key", "/offers/1 (B-1)/locations");
        assertThat(run("--dry-run", write("ok.json", json("v9", "X-1")).toString()).out())
            .contains("is valid: catalog version v9, 1 offers; nothing written (--dry-run)");
        assertThat(run("--table").status()).isEqualTo(2);
        assertThat(run("--table", "t", "/no/such/file.json").err()).contains("no such file: /no/such/file.json");
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = OfferCatalogLoader.run(args, Settings.of(environment), new PrintStream(out, true,
            StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static OfferRepository repository(String table) {
        return new OfferRepository(dynamoDb, table, Duration.ZERO, new TestClock(Instant.now()));
    }

    private static Path write(String name, String json) throws IOException {
        return Files.writeString(files.resolve(name), json);
    }
}
