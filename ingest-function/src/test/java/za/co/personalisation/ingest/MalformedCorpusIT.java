package za.co.personalisation.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * Every request of the malformed corpus, through the handler against moto: each gets its 4xx as problem+json,
 * never a 5xx, writes nothing anywhere and logs none of its content; a valid event still flows afterwards.
 */
@ExtendWith(MotoExtension.class)
class MalformedCorpusIT {

    @Test
    void everyMalformedRequest_getsItsProblem_writesNothing_andAValidEventStillFlows(MotoExtension.Emulator emulator) {
        IngestTestBed bed = new IngestTestBed(emulator, "corpus");
        List<Corpus.Case> corpus = Corpus.all();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);

        SoftAssertions soft = new SoftAssertions();
        for (Corpus.Case request : corpus) {
            APIGatewayProxyResponseEvent response = bed.send(request.request());
            int status = response.getStatusCode();
            soft.assertThat(status).as("%s (%s): %s", request, request.why(), response.getBody())
                .isEqualTo(request.expect()).isBetween(400, 499);
            soft.assertThat(response.getHeaders()).as("%s headers", request)
                .containsEntry("Content-Type", "application/problem+json");
            JsonNode problem = IngestTestBed.json(response.getBody());
            soft.assertThat(problem.path("status").asInt()).as("%s problem status", request).isEqualTo(status);
            soft.assertThat(problem.path("type").asText()).as("%s problem type", request)
                .startsWith("https://personalisation.example/problems/");
            soft.assertThat(problem.path("title").asText()).as("%s title", request).isNotBlank();
            if (status == 400) {
                soft.assertThat(problem.path("violations")).as("%s violations", request).isNotEmpty();
                problem.path("violations").forEach(v -> soft.assertThat(v.path("pointer").asText())
                    .as("%s pointer", request).matches("(/.*)?"));
            }
            if (status == 405) {
                soft.assertThat(response.getHeaders()).as("%s Allow", request).containsKey("Allow");
            }
        }
        soft.assertAll();
        assertThat(bed.records()).as("nothing malformed reached the stream").isEmpty();
        assertThat(bed.contactCount()).as("nothing malformed reached the contacts table").isZero();
        assertThat(bed.lines).as("no request content in logs or metrics")
            .noneMatch(line -> line.contains("canary") || line.contains("27820000001") || line.contains("<script>"));

        APIGatewayProxyResponseEvent valid = bed.send(IngestTestBed.postEvents(
            "{\"customerId\":\"12345\",\"interest\":\"electronics\",\"location\":\"Cape Town\"}"));

        assertThat(valid.getStatusCode()).as(valid.getBody()).isEqualTo(202);
        assertThat(bed.records()).singleElement().satisfies(record -> {
            assertThat(record.path("customerId").asText()).isEqualTo("12345");
            assertThat(record.path("location").path("key").asText()).isEqualTo("ZA/WC/cape-town");
        });
    }
}
