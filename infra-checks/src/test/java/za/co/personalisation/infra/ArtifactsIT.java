package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.Template;

/**
 * After the build, every function's CodeUri is its module, built by `sam build` through the module's Makefile
 * (Metadata BuildMethod makefile), and the shaded jar that Makefile unpacks holds the Handler class and no Apache
 * HTTP client. SamBuildIT runs `sam build` itself.
 */
class ArtifactsIT {

    @Test
    void everyCodeUri_isAModuleWhoseMakefileBuildsItsShadedJar_whichContainsItsHandler() throws Exception {
        Path root = ProjectRoot.find();
        Template template = Template.load(root.resolve("template.yaml"));
        int functions = 0;
        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            String module = String.valueOf(function.properties().get("CodeUri"));
            assertThat(function.metadata().get("BuildMethod")).as(function.logicalId())
                .isEqualTo("makefile");
            assertThat(Files.readString(root.resolve(module).resolve("Makefile"))).as(module + "/Makefile")
                .contains("MODULE := " + module).contains("build-" + function.logicalId() + ":");
            Path artifact = root.resolve(module).resolve("target").resolve(module + ".jar");
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
        assertThat(functions).isEqualTo(5);
    }
}
