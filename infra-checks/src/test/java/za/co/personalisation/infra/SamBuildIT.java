package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.Template;

/**
 * The AWS SAM CLI (pinned and locked in build/sam, installed by build/sam/ensure-venv.sh) accepts the template as
 * docs/deploy.md uses it: {@code sam validate --lint} passes, and {@code sam build} builds every function through its
 * module's Makefile into an artifact that holds its handler, its dependencies and no Apache HTTP client, with the
 * built template pointing at it. The Makefiles rebuild a jar only when a source is newer; after `./pipeline test`'s
 * own build they are up to date, so this runs no nested Maven build.
 */
class SamBuildIT {

    /** No usage data leaves the machine, and the CLI asks nothing. */
    private static final Map<String, String> QUIET = Map.of("SAM_CLI_TELEMETRY", "0");

    private static Path root;
    private static Path sam;

    @BeforeAll
    static void install() throws Exception {
        root = ProjectRoot.find();
        sam = Tools.samBin(root).resolve("sam");
    }

    @Test
    void samValidateLint_passes() throws Exception {
        Tools.Result result = Tools.run(root, List.of(sam.toString(), "validate", "--lint", "--template-file",
            "template.yaml", "--region", "af-south-1"), QUIET);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("template.yaml is a valid SAM Template");
    }

    @Test
    void samBuild_buildsEveryFunctionFromItsModule_intoAnArtifactWithItsHandler() throws Exception {
        Path build = root.resolve("infra-checks/target/sam-build");
        Tools.Result result = Tools.run(root, List.of(sam.toString(), "build", "--template-file", "template.yaml",
            "--build-dir", build.toString(), "--region", "af-south-1"), QUIET);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Build Succeeded");
        Template source = Template.load(root.resolve("template.yaml"));
        Template built = Template.load(build.resolve("template.yaml"));
        Map<String, Template.Resource> builtFunctions = new HashMap<>();
        built.resourcesOfType("AWS::Serverless::Function").forEach(f -> builtFunctions.put(f.logicalId(), f));
        int functions = 0;
        for (Template.Resource function : source.resourcesOfType("AWS::Serverless::Function")) {
            Template.Resource after = builtFunctions.get(function.logicalId());
            assertThat(after).as(function.logicalId() + " in the built template").isNotNull();
            Path artifact = build.resolve(String.valueOf(after.properties().get("CodeUri")));
            String handler = String.valueOf(function.properties().get("Handler"));
            Path handlerClass = artifact.resolve(handler.substring(0, handler.indexOf("::")).replace('.', '/')
                + ".class");
            assertThat(handlerClass).as(function.logicalId()).isRegularFile();
            assertThat(artifact.resolve("software/amazon/awssdk/services/dynamodb/DynamoDbClient.class"))
                .as("the SDK is packaged with " + function.logicalId()).isRegularFile();
            assertThat(artifact.resolve("software/amazon/awssdk/http/apache/ApacheHttpClient.class"))
                .as("Apache HTTP client excluded from " + function.logicalId()).doesNotExist();
            assertThat(Files.exists(artifact.resolve("Makefile"))).as("sources are not shipped").isFalse();
            functions++;
        }
        assertThat(functions).isEqualTo(5);
    }
}
