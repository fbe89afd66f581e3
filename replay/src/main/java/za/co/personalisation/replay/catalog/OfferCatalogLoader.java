package za.co.personalisation.replay.catalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import software.amazon.awssdk.core.exception.SdkException;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.OfferRepository;
import za.co.personalisation.core.offer.OfferCatalog;
import za.co.personalisation.core.offer.OfferCatalogCodec;

/**
 * The offer catalog load command: validates a catalog file and writes it into the offers table of the local stack
 * or of a deployed one. Endpoint, region and credentials come from the standard AWS configuration
 * ({@code AWS_ENDPOINT_URL}, {@code AWS_REGION} or the profile's region, {@code AWS_PROFILE} or access keys), or
 * from the options. See docs/offers.md.
 *
 * <pre>./pipeline offers [--local] [--stage dev | --table offers-dev] [--endpoint-url URL] [--region REGION] [--merge]
 *     [--dry-run] FILE</pre>
 * A command-line tool, so it lives with the other tools in this module, in no function's jar.
 */
public final class OfferCatalogLoader {

    static final String USAGE = "usage: OfferCatalogLoader [--stage STAGE | --table TABLE] [--endpoint-url URL]"
        + " [--region REGION] [--merge] [--dry-run] CATALOG.json\n"
        + "  --stage STAGE       load into offers-STAGE (the template's table name), e.g. dev or local\n"
        + "  --table TABLE       load into this table (default: $OFFERS_TABLE)\n"
        + "  --endpoint-url URL  talk to this endpoint, e.g. the local emulator (default: $AWS_ENDPOINT_URL)\n"
        + "  --region REGION     AWS region (default: $AWS_REGION, then the profile's region)\n"
        + "  --merge             keep offers the file does not list (default: the file replaces the catalog)\n"
        + "  --dry-run           validate the file and print what would be loaded; write nothing";

    private OfferCatalogLoader() {
    }

    public static void main(String[] args) {
        int status = run(args, Settings.fromEnvironment(), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command; returns the process exit status (0 done, 1 failed, 2 bad usage). */
    public static int run(String[] args, Settings environment, PrintStream out, PrintStream err) {
        TableTarget target = new TableTarget("offers", environment.get("OFFERS_TABLE", null));
        boolean merge = false;
        boolean dryRun = false;
        String file = null;
        try {
            for (int i = 0; i < args.length; i++) {
                int taken = target.accept(args, i);
                if (taken >= 0) {
                    i = taken;
                    continue;
                }
                switch (args[i]) {
                    case "--merge" -> merge = true;
                    case "--dry-run" -> dryRun = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-") || file != null) {
                            throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                        }
                        file = args[i];
                    }
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("name the catalog file to load");
            }
            if (target.table() == null && !dryRun) {
                throw new IllegalArgumentException("name the table with --stage or --table (or set OFFERS_TABLE)");
            }
        } catch (IllegalArgumentException e) {
            err.println("OfferCatalogLoader: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String table = target.table();
        byte[] json;
        try {
            json = Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            err.println("OfferCatalogLoader: no such file: " + file);
            return 1;
        } catch (IOException e) {
            err.println("OfferCatalogLoader: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        try {
            if (dryRun) {
                OfferCatalog catalog = OfferRepository.validate(json);
                out.printf("%s is valid: catalog version %s, %d offers; nothing written (--dry-run)%n", file,
                    catalog.version(), catalog.size());
                return 0;
            }
            Settings settings = target.settings(environment);
            OfferRepository.LoadResult result = OfferRepository.load(new AwsClients(settings).dynamoDb(), table, json,
                !merge);
            out.printf("Loaded catalog version %s into %s: %d offers written, %d removed%s.%n", result.version(),
                table, result.written(), result.removed(), merge ? " (--merge)" : "");
            out.println("Running functions pick it up within their OFFER_CACHE_TTL.");
            return 0;
        } catch (OfferCatalogCodec.InvalidCatalogException e) {
            err.println("OfferCatalogLoader: " + file + " was not loaded; fix these problems:");
            e.problems().forEach(problem -> err.println("  " + problem));
            return 1;
        } catch (IOException | SdkException | IllegalStateException e) {
            err.println("OfferCatalogLoader: loading " + file + " into " + table + " failed: " + e.getMessage());
            return 1;
        }
    }
}
