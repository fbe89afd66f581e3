package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.Template;

/**
 * The local runtime runs every function in one JVM, started by ./pipeline run and replay/replay local-stack with the
 * options local/runtime/jvm-options.sh reads from template.yaml: the JAVA_TOOL_OPTIONS Lambda gives the functions.
 * Fails when the script and the template as the runtime parses it disagree, when one function is given other options
 * than the rest (one JVM cannot run both), or when a launcher of the runtime stops passing them.
 */
class JvmOptionsScriptTest {

    private static final Path ROOT = ProjectRoot.find();

    @Test
    void printsTheJavaToolOptionsTheTemplateGivesEveryFunction() throws Exception {
        Tools.Result result = Tools.run(ROOT, List.of("bash", "local/runtime/jvm-options.sh"));

        Template template = Template.load(ROOT.resolve("template.yaml"));
        Object global = variables(template.functionGlobals()).get("JAVA_TOOL_OPTIONS");
        assertThat(global).as("Globals.Function's JAVA_TOOL_OPTIONS").isInstanceOf(String.class);
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).isEqualTo(global + "\n");
        assertThat(result.output()).contains("-XX:TieredStopAtLevel=1");
        List<Template.Resource> functions = template.resourcesOfType("AWS::Serverless::Function");
        assertThat(functions).isNotEmpty();
        for (Template.Resource function : functions) {
            assertThat(variables(function.properties()).containsKey("JAVA_TOOL_OPTIONS"))
                .as(function.logicalId() + " keeps the Globals' options").isFalse();
        }
    }

    @Test
    void everyLauncherOfTheLocalRuntimePassesThem() throws Exception {
        for (String launcher : List.of("pipeline", "replay/replay")) {
            String script = Files.readString(ROOT.resolve(launcher));
            List<String> starts = List.of(script.replace("\\\n", " ").split("\n")).stream()
                .filter(statement -> statement.contains("exec java")
                    && statement.contains("za.co.personalisation.local.LocalRuntime"))
                .toList();
            assertThat(starts).as(launcher + " starts the local runtime").isNotEmpty();
            assertThat(starts).as(launcher).allSatisfy(statement -> assertThat(statement).contains("$jvm_options"));
            assertThat(script).as(launcher).contains("jvm_options=$(bash ");
        }
    }

    private static Map<?, ?> variables(Map<String, Object> properties) {
        return map(map(properties.get("Environment")).get("Variables"));
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }
}
