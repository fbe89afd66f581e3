package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.Template;

/** After the build, every function's CodeUri exists and holds its Handler class: what `sam deploy` uploads. */
class ArtifactsIT {

    @Test
    void everyCodeUri_existsAndContainsItsHandler() throws Exception {
        Path root = ProjectRoot.find();
        Template template = Template.load(root.resolve("template.yaml"));
        int functions = 0;
        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            Path artifact = root.resolve(String.valueOf(function.properties().get("CodeUri")));
            String handler = String.valueOf(function.properties().get("Handler"));
            String entry = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
            assertThat(Files.isRegularFile(artifact)).as(artifact + " of " + function.logicalId()).isTrue();
            try (ZipFile jar = new ZipFile(artifact.toFile())) {
                assertThat(jar.getEntry(entry)).as(entry + " in " + artifact).isNotNull();
                assertThat(jar.getEntry("software/amazon/awssdk/http/apache/ApacheHttpClient.class"))
                    .as("Apache HTTP client excluded from " + artifact).isNull();
            }
            functions++;
        }
        assertThat(functions).isEqualTo(4);
    }
}
