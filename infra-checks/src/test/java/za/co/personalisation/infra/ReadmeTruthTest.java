package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.RunCommandLine;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * What the README (and docs/local.md) tell a newcomer to type must match the code: the Quick start's commands are
 * commands of the {@code pipeline} script, every {@code ./pipeline} command and run option the docs name exists,
 * the ports they show are the runtime's defaults (and the script's), the offer count is the seeded catalog's, the
 * links resolve, and Maven comes from the pinned wrapper. ReadmeQuickStartIT runs the "What you see" example.
 */
class ReadmeTruthTest {

    private static final Path ROOT = ProjectRoot.find();
    private static final List<String> DOCS = List.of("README.md", "docs/local.md");

    @Test
    void quickStart_runsCommandsThePipelineScriptHas() throws IOException {
        List<String> commands = codeBlockAfter(read("README.md"), "## Quick start");

        assertThat(commands).as("README's Quick start").containsExactly("./pipeline run", "./pipeline test");
        for (String command : commands) {
            assertThat(pipelineSubcommands()).contains(command.split(" ")[1]);
        }
    }

    @Test
    void everyPipelineCommandTheDocsName_exists() throws IOException {
        for (String doc : DOCS) {
            Matcher named = Pattern.compile("\\./pipeline ([a-z]+)").matcher(read(doc));
            Set<String> seen = new LinkedHashSet<>();
            while (named.find()) {
                seen.add(named.group(1));
            }
            assertThat(seen).as(doc + " names ./pipeline commands").isNotEmpty();
            assertThat(pipelineSubcommands()).as(doc).containsAll(seen);
        }
    }

    @Test
    void everyRunOptionTheDocsName_isInTheRuntimesUsage() throws IOException {
        for (String doc : DOCS) {
            Matcher option = Pattern.compile("\\./pipeline run((?: \\[?--?[a-z-]+(?: [A-Z0-9]+)?]?)+)")
                .matcher(read(doc));
            while (option.find()) {
                Matcher name = Pattern.compile("--?[a-z-]+").matcher(option.group(1));
                while (name.find()) {
                    assertThat(RunCommandLine.USAGE).as(doc + ": " + option.group()).contains(name.group());
                }
            }
        }
    }

    @Test
    void portsInTheReadme_areTheRuntimesDefaults_andThePipelineScriptsToo() throws IOException {
        String readme = read("README.md");
        Matcher port = Pattern.compile("(?:localhost|127\\.0\\.0\\.1):(\\d+)").matcher(readme);
        Set<Integer> shown = new LinkedHashSet<>();
        while (port.find()) {
            shown.add(Integer.parseInt(port.group(1)));
        }

        assertThat(shown).containsExactlyInAnyOrder(RunCommandLine.DEFAULT_PORT, RunCommandLine.DEFAULT_MOTO_PORT);
        String script = read("pipeline");
        assertThat(script).contains("${" + RunCommandLine.PORT_VARIABLE + ":-" + RunCommandLine.DEFAULT_PORT + "}")
            .contains("${" + RunCommandLine.MOTO_PORT_VARIABLE + ":-" + RunCommandLine.DEFAULT_MOTO_PORT + "}");
        assertThat(readme).contains(RunCommandLine.PORT_VARIABLE).contains(RunCommandLine.MOTO_PORT_VARIABLE);
    }

    @Test
    void offerCounts_areTheSeededCatalogs() throws IOException {
        JsonNode catalog = new ObjectMapper().readTree(ROOT.resolve(
            "local/runtime/src/main/resources/za/co/personalisation/local/seed/offers.json").toFile());
        int offers = catalog.path("offers").size();

        assertThat(offers).isPositive();
        for (String doc : DOCS) {
            Matcher count = Pattern.compile("(\\d+)(?: |-)offers?\\b").matcher(read(doc));
            while (count.find()) {
                assertThat(Integer.parseInt(count.group(1))).as(doc + ": " + count.group()).isEqualTo(offers);
            }
        }
    }

    @Test
    void readmeLinks_resolve() throws IOException {
        Matcher link = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)").matcher(read("README.md"));
        List<String> missing = new ArrayList<>();
        while (link.find()) {
            if (!Files.exists(ROOT.resolve(link.group(1)))) {
                missing.add(link.group(1));
            }
        }
        assertThat(missing).as("README links to files that do not exist").isEmpty();
    }

    @Test
    void maven_comesFromThePinnedWrapper() throws IOException {
        Properties wrapper = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
            wrapper.load(in);
        }

        assertThat(wrapper.getProperty("distributionUrl")).matches(
            "https://repo\\.maven\\.apache\\.org/maven2/org/apache/maven/apache-maven/3\\.9\\.\\d+/"
                + "apache-maven-3\\.9\\.\\d+-bin\\.zip");
        assertThat(wrapper.getProperty("distributionSha256Sum")).matches("[0-9a-f]{64}");
        assertThat(wrapper.getProperty("wrapperSha256Sum")).matches("[0-9a-f]{64}");
        assertThat(Files.isExecutable(ROOT.resolve("mvnw"))).isTrue();
        String script = read("pipeline");
        assertThat(script).contains("mvn=./mvnw").doesNotContainPattern("(?m)^\\s*need mvn")
            .doesNotContainPattern("(?m)^\\s*(exec )?mvn ");
        assertThat(read("README.md")).as("Maven is not a prerequisite").doesNotContainPattern("Maven 3\\.[0-8]");
    }

    /** The subcommands of the pipeline script: its case labels. */
    private static Set<String> pipelineSubcommands() throws IOException {
        Matcher label = Pattern.compile("(?m)^  ([a-z]+)\\)$").matcher(read("pipeline"));
        Set<String> commands = new LinkedHashSet<>();
        while (label.find()) {
            commands.add(label.group(1));
        }
        assertThat(commands).contains("run", "test");
        return commands;
    }

    private static List<String> codeBlockAfter(String markdown, String heading) {
        int section = markdown.indexOf("\n" + heading + "\n");
        assertThat(section).as(heading).isNotNegative();
        int open = markdown.indexOf("```", section);
        int start = markdown.indexOf('\n', open) + 1;
        int end = markdown.indexOf("```", start);
        return markdown.substring(start, end).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }
}
