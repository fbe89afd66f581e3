package za.co.personalisation.replay.playback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.aws.retry.Sleeper;
import za.co.personalisation.replay.kinesis.ReplayBackoff;

/**
 * Replays interest events through the event API ({@code POST /events}, batches of up to 500), as a client would
 * send them: customerId, interest, location (as named), eventId and occurredAt. Other kinds of record (consent,
 * erasure) have no place in that API and are skipped. Items the API answers "retry" for, and whole requests
 * answered 429 or 5xx, are sent again with backoff, with the same eventIds.
 *
 * <p>The API has no field for the replay flag (docs/api.md: unknown fields are rejected), so events replayed
 * through it are not marked; the {@code X-Replay: true} header is sent for an API that learns to read it. That is
 * why the command requires customerId remapping for this target: the events then belong to shadow customers,
 * who have no contact details, and can reach nobody.
 */
public final class ApiTarget implements ReplayTarget {

    public static final String REPLAY_HEADER = "X-Replay";
    static final int MAX_ATTEMPTS = 6;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;
    private final URI events;
    private final int batchSize;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final ReplayStats stats;
    private final List<InterestEvent> buffer = new ArrayList<>();

    public ApiTarget(HttpClient http, URI apiBase, int batchSize, Sleeper sleeper, RandomGenerator random,
        ReplayStats stats) {
        if (batchSize < 1 || batchSize > 500) {
            throw new IllegalArgumentException("the API takes 1 to 500 events per request, not " + batchSize);
        }
        this.http = http;
        this.events = eventsUri(apiBase);
        this.batchSize = batchSize;
        this.sleeper = sleeper;
        this.random = random;
        this.stats = stats;
    }

    /** {@code <base>/events}, whether or not the base ends in a slash. */
    public static URI eventsUri(URI base) {
        String text = base.toString();
        return URI.create(text.endsWith("/") ? text + "events" : text + "/events");
    }

    @Override
    public void send(EnvelopeRewriter.Rewritten record) throws InterruptedException {
        if (!(record.event() instanceof InterestEvent interest)) {
            stats.skipped("not an interest event (the API takes interest events only)");
            return;
        }
        buffer.add(interest);
        if (buffer.size() >= batchSize) {
            flush();
        }
    }

    @Override
    public void flush() throws InterruptedException {
        List<InterestEvent> pending = new ArrayList<>(buffer);
        buffer.clear();
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                stats.failed("gave up after " + MAX_ATTEMPTS + " attempts", pending.size());
                return;
            }
            if (attempt > 0) {
                sleeper.sleep(ReplayBackoff.STANDARD.delay(attempt - 1, random));
            }
            pending = post(pending);
        }
    }

    /** Posts one batch; returns the events to send again. */
    private List<InterestEvent> post(List<InterestEvent> batch) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(events)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(REPLAY_HEADER, "true")
                .POST(HttpRequest.BodyPublishers.ofString(body(batch)))
                .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            stats.retried(e.getClass().getSimpleName(), batch.size());
            return batch;
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            stats.retried("http_" + status, batch.size());
            return batch;
        }
        JsonNode results;
        try {
            results = MAPPER.readTree(response.body()).path("results");
        } catch (IOException e) {
            results = MAPPER.createArrayNode();
        }
        if (!results.isArray() || results.size() != batch.size()) {
            stats.failed("http_" + status, batch.size());
            return List.of();
        }
        List<InterestEvent> again = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode result = results.get(i);
            switch (result.path("status").asText()) {
                case "accepted" -> stats.sent(1);
                case "retry" -> {
                    stats.retried("retry", 1);
                    again.add(batch.get(i));
                }
                default -> stats.failed("rejected " + result.path("violations").path(0).path("pointer").asText()
                    .replaceFirst("^/events/\\d+", "") + ": " + result.path("violations").path(0).path("message")
                    .asText(), 1);
            }
        }
        return again;
    }

    static String body(List<InterestEvent> batch) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("events");
        for (InterestEvent event : batch) {
            array.addObject()
                .put("customerId", event.customerId())
                .put("interest", event.interest())
                .put("location", event.location().name())
                .put("eventId", event.eventId())
                .put("occurredAt", event.occurredAt().toString());
        }
        return root.toString();
    }

    @Override
    public String describe() {
        return "API " + events;
    }
}
