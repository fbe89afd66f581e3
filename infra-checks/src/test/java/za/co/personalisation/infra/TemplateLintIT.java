package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * template.yaml passes cfn-lint with zero errors and zero warnings, and checkov with zero failed checks; every
 * check checkov skips is skipped inline in the template with a written justification.
 */
class TemplateLintIT {

    private static Path root;
    private static Path bin;

    @BeforeAll
    static void install() throws Exception {
        root = ProjectRoot.find();
        bin = Tools.lintBin(root);
    }

    @Test
    void cfnLint_reportsNothing() throws Exception {
        Tools.Result result = Tools.run(root, List.of(bin.resolve("cfn-lint").toString(), "template.yaml"));

        assertThat(result.output()).as("cfn-lint findings").isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void checkov_hasNoFailedChecks_andEverySkipIsJustified() throws Exception {
        Tools.Result result = Tools.run(root, List.of(bin.resolve("checkov").toString(), "-f", "template.yaml",
            "--framework", "cloudformation", "--skip-download", "--quiet", "--compact", "-o", "json"));
        String output = result.output();
        JsonNode report = new ObjectMapper().readTree(output.substring(output.indexOf('{')));

        List<String> failed = new ArrayList<>();
        report.path("results").path("failed_checks").forEach(check -> failed.add(check.path("check_id").asText()
            + " " + check.path("resource").asText() + ": " + check.path("check_name").asText()));
        assertThat(failed).as("checkov failed checks").isEmpty();
        assertThat(report.path("summary").path("passed").asInt()).isGreaterThan(40);
        report.path("results").path("skipped_checks").forEach(check -> assertThat(check.path("suppress_comment")
            .asText()).as("justification for skipping " + check.path("check_id").asText() + " on "
                + check.path("resource").asText()).hasSizeGreaterThan(20));
    }
}
