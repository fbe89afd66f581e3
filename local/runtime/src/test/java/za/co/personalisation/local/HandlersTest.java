package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.Template;

/** Every Handler named in template.yaml exists, is a class the local runtime can build, and has its artifact. */
class HandlersTest {

    @Test
    void everyTemplateHandler_isKnownAndLoadable() throws Exception {
        Template template = Template.load(ProjectRoot.find().resolve("template.yaml"));
        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            String handler = String.valueOf(function.properties().get("Handler"));
            assertThat(handler).as(function.logicalId()).endsWith("::handleRequest");
            String className = handler.substring(0, handler.indexOf("::"));
            assertThat(Handlers.knows(className)).as(className).isTrue();
            assertThat(Class.forName(className).getConstructor()).as("no-argument constructor for Lambda")
                .isNotNull();
            String codeUri = String.valueOf(function.properties().get("CodeUri"));
            assertThat(codeUri).matches("[a-z-]+-function");
            assertThat(Files.isDirectory(ProjectRoot.find().resolve(codeUri))).as("module " + codeUri).isTrue();
        }
    }

    @Test
    void create_whenTheHandlerIsUnknown_namesIt() {
        assertThatThrownBy(() -> Handlers.create("com.example.Nope", Settings.of(Map.of())))
            .hasMessageContaining("com.example.Nope");
    }
}
