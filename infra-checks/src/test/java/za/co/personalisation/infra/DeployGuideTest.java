package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;
import za.co.personalisation.local.template.Template;

/** docs/deploy.md deploys with `sam build && sam deploy --guided` and answers every parameter the template asks. */
class DeployGuideTest {

    private static final Pattern PROMPT = Pattern.compile("^\\| Parameter `([A-Za-z0-9]+)` \\|", Pattern.MULTILINE);

    @Test
    void guidedDeploy_answersEveryTemplateParameter_andNoOther() throws Exception {
        Path root = ProjectRoot.find();
        String guide = Files.readString(root.resolve("docs/deploy.md"));
        Set<String> parameters = new TreeSet<>(Template.load(root.resolve("template.yaml")).parameterNames());
        Set<String> documented = new TreeSet<>();
        Matcher prompt = PROMPT.matcher(guide);
        while (prompt.find()) {
            documented.add(prompt.group(1));
        }

        assertThat(documented).isEqualTo(parameters);
        assertThat(guide).contains("sam build && sam deploy --guided").doesNotContain("--template-file template.yaml");
    }
}
