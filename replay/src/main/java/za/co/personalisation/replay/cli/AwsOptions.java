package za.co.personalisation.replay.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.replay.load.StackNames;

/**
 * Where the stack is: the standard AWS configuration (AWS_REGION, the credentials chain, AWS_ENDPOINT_URL for the
 * local emulator), which these options can override, and the stage whose resource names template.yaml derives.
 */
final class AwsOptions {

    @Option(names = "--endpoint-url", paramLabel = "URL",
        description = "AWS endpoint (the local emulator, e.g. http://127.0.0.1:4566); default: $AWS_ENDPOINT_URL,"
            + " or AWS itself")
    String endpointUrl;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region; default: $AWS_REGION"
        + " (af-south-1 against the emulator)")
    String region;

    @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "local",
        description = "stage of the stack, as in template.yaml's resource names (default: ${DEFAULT-VALUE}, the"
            + " local runtime's)")
    String stage;

    /** The environment with the options applied; against an emulator, its documented region and credentials. */
    Settings settings() {
        Settings environment = Settings.fromEnvironment();
        Map<String, String> overrides = new HashMap<>();
        if (endpointUrl != null) {
            overrides.put(AwsClients.ENDPOINT_URL, endpointUrl);
        }
        if (region != null) {
            overrides.put("AWS_REGION", region);
        }
        Settings settings = environment.with(overrides);
        if (settings.has(AwsClients.ENDPOINT_URL)) {
            Map<String, String> local = new HashMap<>();
            if (!settings.has("AWS_REGION") && !settings.has("AWS_DEFAULT_REGION")) {
                local.put("AWS_REGION", "af-south-1");
            }
            if (!settings.has("AWS_ACCESS_KEY_ID")) {
                local.put("AWS_ACCESS_KEY_ID", "local");
                local.put("AWS_SECRET_ACCESS_KEY", "local");
            }
            settings = settings.with(local);
        }
        return settings;
    }

    AwsClients clients() {
        return new AwsClients(settings());
    }

    StackNames names() {
        return StackNames.forStage(stage);
    }
}
