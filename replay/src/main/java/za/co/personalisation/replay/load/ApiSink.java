package za.co.personalisation.replay.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import za.co.personalisation.replay.kinesis.ReplayBackoff;
import za.co.personalisation.replay.playback.ApiTarget;

/**
 * Sends events to {@code POST /events} as a client would: one event a request ({@code batchSize} 1, the seed's
 * shape) or {@code {"events":[…]}} batches that leave when full or after {@code linger}. Requests are asynchronous
 * (at most {@code maxInFlight} outstanding; beyond that the driver waits, and its lateness is measured). Answers
 * 429 and 5xx, timeouts and connection errors, and batch items answered "retry" are sent again with the same
 * eventId, with backoff, up to {@value #MAX_ATTEMPTS} attempts: an event's latency includes its retries.
 */
public final class ApiSink extends BatchingSink {

    static final int MAX_ATTEMPTS = 4;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;
    private final URI events;
    private final EventTimes times;
    private final AtomicLong requests = new AtomicLong();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "load-api-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final SplittableRandom random = new SplittableRandom();

    public ApiSink(HttpClient http, URI apiBase, int batchSize, Duration linger, int maxInFlight, EventTimes times) {
        super(batchSize, linger, maxInFlight);
        if (batchSize < 1 || batchSize > 500) {
            throw new IllegalArgumentException("the API takes 1 to 500 events per request, not " + batchSize);
        }
        this.http = http;
        this.events = ApiTarget.eventsUri(apiBase);
        this.times = times;
    }

    @Override
    void send(List<LoadEvent> events) {
        send(events, 0);
    }

    /** Sends a request holding a permit; the permit is released when it is answered for good. */
    private void send(List<LoadEvent> events, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(this.events)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(events)))
            .build();
        requests.incrementAndGet();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            List<LoadEvent> again;
            String reason;
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                reason = cause instanceof HttpTimeoutException ? "timeout" : cause.getClass().getSimpleName();
                again = events;
            } else {
                reason = "http_" + response.statusCode();
                again = answered(events, response);
            }
            if (again.isEmpty()) {
                answered();
            } else if (attempt + 1 >= MAX_ATTEMPTS) {
                again.forEach(event -> times.failed(event.index(), reason + " (gave up after " + MAX_ATTEMPTS
                    + " attempts)"));
                answered();
            } else {
                times.retried(reason, again.size());
                long delay = ReplayBackoff.STANDARD.delay(attempt, random.split()).toMillis();
                retries.schedule(() -> send(again, attempt + 1), delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Records what the API accepted or rejected; returns the events to send again. */
    private List<LoadEvent> answered(List<LoadEvent> events, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            return events;
        }
        long now = EventTimes.micros(Instant.now());
        if (batchSize() == 1 && events.size() == 1) {
            if (status == 202) {
                times.reached(EventTimes.Stage.ACCEPTED, events.get(0).index(), now);
            } else {
                times.failed(events.get(0).index(), "http_" + status + " " + problem(response.body()));
            }
            return List.of();
        }
        JsonNode results;
        try {
            results = MAPPER.readTree(response.body()).path("results");
        } catch (IOException e) {
            results = MAPPER.createArrayNode();
        }
        if (!results.isArray() || results.size() != events.size()) {
            events.forEach(event -> times.failed(event.index(), "http_" + status + " " + problem(response.body())));
            return List.of();
        }
        List<LoadEvent> again = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode result = results.get(i);
            LoadEvent event = events.get(i);
            switch (result.path("status").asText()) {
                case "accepted" -> times.reached(EventTimes.Stage.ACCEPTED, event.index(), now);
                case "retry" -> again.add(event);
                default -> times.failed(event.index(), "rejected " + result.path("violations").path(0)
                    .path("pointer").asText().replaceFirst("^/events/\\d+", ""));
            }
        }
        return again;
    }

    /** The first violation's pointer of a problem+json body, or its title: what kind of error it is. */
    private static String problem(String body) {
        try {
            JsonNode root = MAPPER.readTree(body);
            JsonNode pointer = root.path("violations").path(0).path("pointer");
            return pointer.isMissingNode() ? root.path("title").asText("") : pointer.asText();
        } catch (IOException e) {
            return "";
        }
    }

    String body(List<LoadEvent> events) {
        if (batchSize() == 1 && events.size() == 1) {
            return event(MAPPER.createObjectNode(), events.get(0)).toString();
        }
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("events");
        events.forEach(event -> event(array.addObject(), event));
        return root.toString();
    }

    private ObjectNode event(ObjectNode node, LoadEvent event) {
        return node.put("customerId", event.customerId())
            .put("interest", event.interest())
            .put("location", event.place())
            .put("eventId", event.eventId())
            .put("occurredAt", Instant.ofEpochSecond(0, times.intended(event.index()) * 1_000).toString());
    }

    @Override
    public void drain(Duration timeout) throws InterruptedException {
        sendHeldAndAwait(timeout);
    }

    @Override
    public long apiRequests() {
        return requests.get();
    }

    @Override
    public String describe() {
        return "API " + events + (batchSize() == 1 ? ", one event a request" : ", batches of up to " + batchSize()
            + " (linger " + linger().toMillis() + " ms)");
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
