package za.co.personalisation.benchmarks.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A DynamoDB stand-in <b>for the benchmarks only</b> (the per-shard model, {@code EnrichShardBenchmark}): an HTTP
 * server on the loopback interface that answers DynamoDB's JSON protocol for the operations enrich-function makes,
 * holds items in memory, and delays every answer by a service time drawn from a {@link LatencyDistribution}, so that
 * the real function code, the real AWS SDK client and its HTTP client run unchanged, pointed at it through
 * {@code AWS_ENDPOINT_URL}.
 *
 * <p>It is not an emulator and nothing but a benchmark may use it: tests that claim to work with DynamoDB run
 * against moto (MotoExtension). What it does: {@code GetItem} (top-level projections), {@code BatchGetItem} (never
 * leaves keys unprocessed), {@code PutItem}, {@code UpdateItem} ({@code SET a = :v, ...} only), {@code DeleteItem},
 * {@code TransactWriteItems} (condition checks, puts, deletes, updates, all or nothing, with cancellation reasons),
 * {@code BatchWriteItem} and {@code Query} (the key condition evaluated over every item: slow, used only by an
 * erasure), with the condition expressions of {@link ConditionExpression}. What it does not: capacity, throttling,
 * item size limits, streams, indexes, eventual consistency (every read is consistent), request signing checks.
 * Anything it does not understand is answered with a 400 {@code ValidationException} naming it.
 */
public final class DynamoDbStandIn implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, List<String>> keySchemas;
    private final Map<String, Map<String, ObjectNode>> tables = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private volatile LatencyDistribution latency;

    private DynamoDbStandIn(HttpServer server, ExecutorService threads, Map<String, List<String>> keySchemas,
        LatencyDistribution latency) {
        this.server = server;
        this.threads = threads;
        this.keySchemas = keySchemas;
        this.latency = latency;
        keySchemas.keySet().forEach(table -> tables.put(table, new ConcurrentHashMap<>()));
    }

    /**
     * Starts a stand-in on a free loopback port.
     *
     * @param keySchemas each table's key attribute names, partition key first (sort key second, if any)
     */
    public static DynamoDbStandIn start(Map<String, List<String>> keySchemas, LatencyDistribution latency)
        throws IOException {
        // Without TCP_NODELAY the JDK's server sends headers and body in two segments and the client's delayed ACK
        // holds the second for up to 40 ms: a latency of the stand-in, not of DynamoDB.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "dynamodb-stand-in-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        DynamoDbStandIn standIn = new DynamoDbStandIn(server, threads, Map.copyOf(keySchemas), latency);
        server.setExecutor(threads);
        server.createContext("/", standIn::handle);
        server.start();
        return standIn;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Changes the service time of the answers that follow (e.g. none while a benchmark fills its tables). */
    public void latency(LatencyDistribution latency) {
        this.latency = latency;
    }

    /** Requests answered so far, by operation. */
    public Map<String, Long> requests() {
        Map<String, Long> counts = new TreeMap<>();
        requests.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    public void resetRequestCounts() {
        requests.clear();
    }

    /** Items stored in {@code table}. */
    public int size(String table) {
        return table(table).size();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        int status = 200;
        JsonNode answer;
        try (InputStream in = exchange.getRequestBody()) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = MAPPER.readTree(in.readAllBytes());
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                throw new Refused("UnknownOperationException", "no X-Amz-Target naming a DynamoDB operation");
            }
            String operation = target.substring(TARGET_PREFIX.length());
            requests.computeIfAbsent(operation, name -> new AtomicLong()).incrementAndGet();
            answer = answer(operation, request);
        } catch (Refused e) {
            status = 400;
            answer = e.body();
        } catch (IllegalArgumentException | IOException e) {
            status = 400;
            answer = error("ValidationException", String.valueOf(e.getMessage()));
        }
        long wait = latency.sampleNanos(ThreadLocalRandom.current()) - (System.nanoTime() - started);
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        byte[] body = MAPPER.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "stand-in-" + started);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    JsonNode answer(String operation, JsonNode request) {
        return switch (operation) {
            case "GetItem" -> getItem(request);
            case "BatchGetItem" -> batchGetItem(request);
            case "PutItem", "DeleteItem", "UpdateItem" -> {
                synchronized (writeLock) {
                    Write write = write(operation, request);
                    write.check(this);
                    write.apply(this);
                }
                yield MAPPER.createObjectNode();
            }
            case "TransactWriteItems" -> transactWriteItems(request);
            case "BatchWriteItem" -> batchWriteItem(request);
            case "Query" -> query(request);
            default -> throw new Refused("UnknownOperationException", operation + " is not answered by the stand-in");
        };
    }

    private JsonNode getItem(JsonNode request) {
        String table = text(request, "TableName");
        ObjectNode item = table(table).get(key(table, request.path("Key")));
        ObjectNode answer = MAPPER.createObjectNode();
        if (item != null) {
            answer.set("Item", project(item, request));
        }
        return answer;
    }

    private JsonNode batchGetItem(JsonNode request) {
        ObjectNode answer = MAPPER.createObjectNode();
        ObjectNode responses = answer.putObject("Responses");
        Iterator<Map.Entry<String, JsonNode>> tablesAsked = request.path("RequestItems").fields();
        while (tablesAsked.hasNext()) {
            Map.Entry<String, JsonNode> asked = tablesAsked.next();
            ArrayNode found = responses.putArray(asked.getKey());
            if (asked.getValue().path("Keys").size() > 100) {
                throw new IllegalArgumentException("Too many items requested for the BatchGetItem call");
            }
            for (JsonNode key : asked.getValue().path("Keys")) {
                ObjectNode item = table(asked.getKey()).get(key(asked.getKey(), key));
                if (item != null) {
                    found.add(project(item, asked.getValue()));
                }
            }
        }
        answer.putObject("UnprocessedKeys");
        return answer;
    }

    private JsonNode transactWriteItems(JsonNode request) {
        List<Write> writes = new ArrayList<>();
        for (JsonNode entry : request.path("TransactItems")) {
            Iterator<Map.Entry<String, JsonNode>> kinds = entry.fields();
            Map.Entry<String, JsonNode> kind = kinds.next();
            writes.add(write(switch (kind.getKey()) {
                case "Put" -> "PutItem";
                case "Delete" -> "DeleteItem";
                case "Update" -> "UpdateItem";
                case "ConditionCheck" -> "ConditionCheck";
                default -> throw new IllegalArgumentException("unknown transaction item " + kind.getKey());
            }, kind.getValue()));
        }
        synchronized (writeLock) {
            List<String> codes = new ArrayList<>();
            boolean cancelled = false;
            for (Write write : writes) {
                boolean holds = write.holds(this);
                codes.add(holds ? "None" : "ConditionalCheckFailed");
                cancelled |= !holds;
            }
            if (cancelled) {
                ObjectNode body = error("TransactionCanceledException",
                    "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes);
                ArrayNode reasons = body.putArray("CancellationReasons");
                for (String code : codes) {
                    ObjectNode reason = reasons.addObject().put("Code", code);
                    if (!code.equals("None")) {
                        reason.put("Message", "The conditional request failed");
                    }
                }
                throw new Refused(body);
            }
            writes.forEach(write -> write.apply(this));
        }
        return MAPPER.createObjectNode();
    }

    private JsonNode batchWriteItem(JsonNode request) {
        synchronized (writeLock) {
            Iterator<Map.Entry<String, JsonNode>> asked = request.path("RequestItems").fields();
            while (asked.hasNext()) {
                Map.Entry<String, JsonNode> table = asked.next();
                for (JsonNode entry : table.getValue()) {
                    ObjectNode single = MAPPER.createObjectNode().put("TableName", table.getKey());
                    if (entry.has("PutRequest")) {
                        single.set("Item", entry.path("PutRequest").path("Item"));
                        write("PutItem", single).apply(this);
                    } else {
                        single.set("Key", entry.path("DeleteRequest").path("Key"));
                        write("DeleteItem", single).apply(this);
                    }
                }
            }
        }
        ObjectNode answer = MAPPER.createObjectNode();
        answer.putObject("UnprocessedItems");
        return answer;
    }

    private JsonNode query(JsonNode request) {
        String table = text(request, "TableName");
        String condition = text(request, "KeyConditionExpression");
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("Items");
        for (ObjectNode item : table(table).values()) {
            if (ConditionExpression.holds(condition, names(request), values(request), fields(item))) {
                items.add(project(item, request));
            }
        }
        answer.put("Count", items.size());
        answer.put("ScannedCount", items.size());
        return answer;
    }

    private Write write(String operation, JsonNode request) {
        String table = text(request, "TableName");
        JsonNode key = operation.equals("PutItem") ? request.path("Item") : request.path("Key");
        return new Write(operation, table, key(table, key), request);
    }

    /** One write or condition check, checked and applied under the write lock. */
    private record Write(String operation, String table, String key, JsonNode request) {

        boolean holds(DynamoDbStandIn standIn) {
            String condition = request.path("ConditionExpression").asText("");
            if (condition.isEmpty()) {
                return true;
            }
            ObjectNode current = standIn.table(table).get(key);
            return ConditionExpression.holds(condition, names(request), values(request),
                current == null ? Map.of() : fields(current));
        }

        void check(DynamoDbStandIn standIn) {
            if (!holds(standIn)) {
                throw new Refused("ConditionalCheckFailedException", "The conditional request failed");
            }
        }

        void apply(DynamoDbStandIn standIn) {
            Map<String, ObjectNode> items = standIn.table(table);
            switch (operation) {
                case "PutItem" -> items.put(key, ((ObjectNode) request.path("Item")).deepCopy());
                case "DeleteItem" -> items.remove(key);
                case "UpdateItem" -> items.put(key, updated(items.get(key)));
                default -> {
                    // a condition check writes nothing
                }
            }
        }

        private ObjectNode updated(ObjectNode current) {
            ObjectNode item = current == null ? ((ObjectNode) request.path("Key")).deepCopy() : current.deepCopy();
            String expression = request.path("UpdateExpression").asText("").trim();
            if (!expression.regionMatches(true, 0, "SET ", 0, 4)) {
                throw new IllegalArgumentException("the stand-in understands only SET updates, not: " + expression);
            }
            Map<String, String> names = names(request);
            Map<String, JsonNode> values = values(request);
            for (String assignment : expression.substring(4).split(",")) {
                String[] sides = assignment.split("=");
                String name = sides[0].trim();
                String value = sides.length == 2 ? sides[1].trim() : "";
                if (!value.startsWith(":") || !values.containsKey(value)) {
                    throw new IllegalArgumentException("the stand-in understands only SET name = :value, not: "
                        + assignment.trim());
                }
                item.set(name.startsWith("#") ? names.get(name) : name, values.get(value));
            }
            return item;
        }
    }

    private Map<String, ObjectNode> table(String table) {
        Map<String, ObjectNode> items = tables.get(table);
        if (items == null) {
            throw new Refused("ResourceNotFoundException", "Requested resource not found: Table: " + table
                + " not found");
        }
        return items;
    }

    private String key(String table, JsonNode itemOrKey) {
        table(table);
        StringBuilder key = new StringBuilder();
        for (String attribute : keySchemas.get(table)) {
            JsonNode value = itemOrKey.get(attribute);
            if (value == null) {
                throw new IllegalArgumentException("One of the required keys was not given a value: " + attribute
                    + " of " + table);
            }
            key.append(value).append('\u0000');
        }
        return key.toString();
    }

    private static ObjectNode project(ObjectNode item, JsonNode request) {
        String projection = request.path("ProjectionExpression").asText("");
        if (projection.isEmpty()) {
            return item.deepCopy();
        }
        Map<String, String> names = names(request);
        ObjectNode projected = MAPPER.createObjectNode();
        for (String path : projection.split(",")) {
            String name = path.trim();
            name = name.startsWith("#") ? names.get(name) : name;
            if (item.has(name)) {
                projected.set(name, item.get(name).deepCopy());
            }
        }
        return projected;
    }

    private static Map<String, JsonNode> fields(ObjectNode item) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        item.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
        return fields;
    }

    private static Map<String, String> names(JsonNode request) {
        Map<String, String> names = new LinkedHashMap<>();
        request.path("ExpressionAttributeNames").fields()
            .forEachRemaining(name -> names.put(name.getKey(), name.getValue().asText()));
        return names;
    }

    private static Map<String, JsonNode> values(JsonNode request) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        request.path("ExpressionAttributeValues").fields()
            .forEachRemaining(value -> values.put(value.getKey(), value.getValue()));
        return values;
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("the request has no " + field);
        }
        return value.asText();
    }

    private static ObjectNode error(String type, String message) {
        return MAPPER.createObjectNode().put("__type", ERROR_PREFIX + type).put("message", message);
    }

    /** An answer of 400 with a DynamoDB error body. */
    private static final class Refused extends RuntimeException {

        private final transient ObjectNode body;

        Refused(String type, String message) {
            this(error(type, message));
        }

        Refused(ObjectNode body) {
            super(body.path("message").asText(), null, false, false);
            this.body = body;
        }

        ObjectNode body() {
            return body;
        }
    }
}
