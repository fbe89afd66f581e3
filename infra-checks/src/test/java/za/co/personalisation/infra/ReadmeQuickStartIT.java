package za.co.personalisation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import za.co.personalisation.local.LocalRuntime;
import za.co.personalisation.local.RunCommandLine;
import za.co.personalisation.local.emulator.MotoExtension;
import za.co.personalisation.local.emulator.MotoServer;
import za.co.personalisation.local.emulator.ProjectRoot;

/**
 * README's "What you see", run: the curl command it shows, sent to a local runtime, answers with a body of the
 * same shape and values as the README's (ids aside), and the terminal prints the README's OUTBOX lines for the
 * new event id. Fails when the example, the API's answer or the console's line drift apart.
 */
@ExtendWith(MotoExtension.class)
class ReadmeQuickStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CURL = Pattern.compile(
        "\\$ curl -s -XPOST localhost:(\\d+)(/\\S+) -H 'content-type: application/json' -d '([^']+)'\\n(\\{.*})");

    @Test
    void whatYouSee_isWhatTheLocalStackAnswersAndPrints(MotoServer moto) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (LocalRuntime runtime = LocalRuntime.start(new LocalRuntime.Options(ProjectRoot.find(), 0, 0, "local",
            moto, new PrintStream(console, true, StandardCharsets.UTF_8)))) {
            assertTheReadmeExample(runtime, console);
        }
    }

    private static void assertTheReadmeExample(LocalRuntime runtime, ByteArrayOutputStream console)
        throws Exception {
        String section = section(ReadmeTruthTest.read("README.md"), "## What you see");
        Matcher curl = CURL.matcher(section);
        assertThat(curl.find()).as("README's What you see shows a curl POST and its answer").isTrue();
        assertThat(Integer.parseInt(curl.group(1))).isEqualTo(RunCommandLine.DEFAULT_PORT);

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.port() + curl.group(2)))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(curl.group(3))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode documented = JSON.readTree(curl.group(4));
        JsonNode actual = JSON.readTree(response.body());
        String documentedId = documented.path("eventIds").path(0).asText();
        String eventId = actual.path("eventIds").path(0).asText();
        assertThat(JSON.readTree(curl.group(4).replace(documentedId, eventId)))
            .as("README's 202 body, with the new event id").isEqualTo(actual);

        List<String> outbox = section.lines().filter(line -> line.startsWith("  OUTBOX ")
            || line.startsWith("      \"")).map(line -> line.replace(documentedId, eventId)).toList();
        assertThat(outbox).as("README shows the OUTBOX lines").hasSize(2);
        String expected = String.join("\n", outbox);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && !console.toString(StandardCharsets.UTF_8).contains(expected)) {
            Thread.sleep(200);
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).as("the terminal").contains(expected);
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }
}
