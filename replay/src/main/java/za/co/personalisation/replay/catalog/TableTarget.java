package za.co.personalisation.replay.catalog;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;

/**
 * The options the table tools share ({@code ./pipeline offers}, {@code ./pipeline report offers}): which table
 * ({@code --stage STAGE} names the template's {@code PREFIX-STAGE}, {@code --table TABLE} any table) and where it is
 * ({@code --endpoint-url URL}, {@code --region REGION}); the rest comes from the standard AWS configuration.
 */
final class TableTarget {

    private final String prefix;
    private final Map<String, String> overrides = new HashMap<>();
    private String table;

    /** @param prefix the template's table name before the stage, e.g. {@code offers} */
    TableTarget(String prefix, String defaultTable) {
        this.prefix = prefix;
        this.table = defaultTable;
    }

    /**
     * Takes {@code args[i]} with its value when it is one of the shared options.
     *
     * @return the index of the last argument taken, or -1 when {@code args[i]} is not a shared option
     * @throws IllegalArgumentException when the option has no value
     */
    int accept(String[] args, int i) {
        switch (args[i]) {
            case "--stage" -> table = prefix + "-" + value(args, i + 1, "--stage");
            case "--table" -> table = value(args, i + 1, "--table");
            case "--endpoint-url" -> overrides.put(AwsClients.ENDPOINT_URL, value(args, i + 1, "--endpoint-url"));
            case "--region" -> overrides.put("AWS_REGION", value(args, i + 1, "--region"));
            default -> {
                return -1;
            }
        }
        return i + 1;
    }

    /** The table named, or {@code null} when none was. */
    String table() {
        return table;
    }

    /** The environment with the options applied, and a region from the default chain when none is set. */
    Settings settings(Settings environment) {
        Settings settings = environment.with(overrides);
        if (!settings.has("AWS_REGION") && !settings.has("AWS_DEFAULT_REGION")) {
            settings = settings.with(Map.of("AWS_REGION", new DefaultAwsRegionProviderChain().getRegion().id()));
        }
        return settings;
    }

    /** The value of the option at {@code index - 1}; an option's value never starts with {@code --}. */
    static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
