package za.co.personalisation.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import za.co.personalisation.aws.dynamodb.NotificationLedger;
import za.co.personalisation.core.profile.ShadowCustomers;
import za.co.personalisation.local.api.ApiGateway;

/**
 * The chaos run's "consent revocation while the offer is queued": every second it looks in the notification ledger
 * for offers that notify has published and deliver has not taken yet ({@code queued}), and for a share of their
 * customers revokes that channel's consent through the API ({@code PUT /customers/{id}/consent}), as the CRM would
 * when the customer replies STOP. Each customer at most once. The message is then on its way or waiting in the
 * queue; deliver must not send it.
 *
 * <p>Each revocation is recorded ({@link Revocation}): when the first request went out and when the API acknowledged
 * it ({@code 202}), so the accounting can hold the pipeline to its promise (no message dispatched after the
 * acknowledgement) and show what was already in flight between the API's receipt and its answer.
 */
final class Revoker implements AutoCloseable {

    private final DynamoDbClient dynamoDb;
    private final String ledgerTable;
    private final URI api;
    private final double rate;
    private final SplittableRandom random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> decided = new HashSet<>();
    private final AtomicLong revoked = new AtomicLong();
    private final List<Revocation> revocations = new CopyOnWriteArrayList<>();
    private volatile String problem = "";
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Revoker(DynamoDbClient dynamoDb, String ledgerTable, URI api, double rate, long seed) {
        this.dynamoDb = dynamoDb;
        this.ledgerTable = ledgerTable;
        this.api = api;
        this.rate = rate;
        this.random = new SplittableRandom(seed);
        this.thread = new Thread(this::loop, "chaos-revoker");
        thread.setDaemon(true);
    }

    void start() {
        if (rate > 0) {
            thread.start();
        }
    }

    long revoked() {
        return revoked.get();
    }

    /** Every revocation asked for, acknowledged or not. */
    List<Revocation> revocations() {
        return List.copyOf(revocations);
    }

    /** The last thing that went wrong, or "". */
    String problem() {
        return problem;
    }

    private void loop() {
        while (running.get()) {
            try {
                scanOnce();
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the emulator is busy; look again next time
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
    }

    private void scanOnce() throws InterruptedException {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            // pages of 1,000, filtered, two attributes: few and small answers from a large ledger
            ScanResponse page = dynamoDb.scan(b -> b.tableName(ledgerTable).limit(1_000).exclusiveStartKey(from)
                .projectionExpression("customerId, channel").filterExpression("#status = :queued")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":queued", AttributeValue.fromS(NotificationLedger.QUEUED))));
            for (Map<String, AttributeValue> item : page.items()) {
                String customer = item.get("customerId").s();
                AttributeValue channel = item.get("channel");
                if (channel == null || ShadowCustomers.isShadow(customer) || !decided.add(customer)) {
                    continue;
                }
                if (random.nextDouble() < rate && revoke(customer, channel.s())) {
                    revoked.incrementAndGet();
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && running.get());
    }

    /**
     * Revokes until the API accepts it (it answers 503 while the statement or stream write fails under the injected
     * faults; a timed-out request is asked again, as a CRM would); records the revocation either way.
     */
    private boolean revoke(String customer, String channel) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve("/customers/" + customer + "/consent"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json").header("x-api-key", ApiGateway.LOCAL_API_KEY)
            .PUT(HttpRequest.BodyPublishers.ofString("{\"" + channel + "\":\"revoked\"}")).build();
        Instant firstSent = Instant.now();
        Instant acknowledged = null;
        int status = Revocation.NO_ANSWER;
        int attempt = 0;
        try {
            while (attempt < 20) {
                attempt++;
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    status = response.statusCode();
                } catch (java.io.IOException e) {
                    status = Revocation.NO_ANSWER;
                    problem = "a revocation got no answer: " + e.getClass().getSimpleName();
                }
                if (status == 202) {
                    acknowledged = Instant.now();
                    return true;
                }
                if (status != Revocation.NO_ANSWER && status < 500 && status != 429) {
                    problem = "the API answered " + status + " to a revocation";
                    return false;
                }
                Thread.sleep(200L * attempt);
            }
            return false;
        } finally {
            // acknowledged or not, interrupted or not: the accounting needs every revocation asked for
            revocations.add(new Revocation(customer, channel, firstSent, acknowledged, status, attempt));
        }
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
    }
}
