package za.co.personalisation.replay.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;

/**
 * One captured Kinesis record: one line of the archive.
 *
 * <pre>{"shard":"shardId-000000000000","sequenceNumber":"4963…","arrival":"2026-11-25T10:15:30.123Z",
 *  "partitionKey":"12345","data":"eyJzY2hlbWEiOi…"}</pre>
 *
 * @param shardId        the shard it was read from
 * @param sequenceNumber its sequence number in that shard
 * @param arrival        Kinesis' approximate arrival timestamp
 * @param partitionKey   the partition key it was written with (the customerId in this pipeline)
 * @param data           the record's bytes, unchanged (base64 in the file)
 */
public record ArchiveRecord(String shardId, String sequenceNumber, Instant arrival, String partitionKey,
    byte[] data) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ArchiveRecord {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }

    public String toLine() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("shard", shardId);
        node.put("sequenceNumber", sequenceNumber);
        node.put("arrival", arrival.toString());
        node.put("partitionKey", partitionKey);
        node.put("data", Base64.getEncoder().encodeToString(data));
        return node.toString();
    }

    /** @throws IllegalArgumentException naming what is wrong with the line */
    public static ArchiveRecord fromLine(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON line: " + e.getMessage());
        }
        try {
            return new ArchiveRecord(text(node, "shard"), text(node, "sequenceNumber"),
                Instant.parse(text(node, "arrival")), text(node, "partitionKey"),
                Base64.getDecoder().decode(text(node, "data")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'arrival' is not an ISO-8601 instant: " + e.getParsedString());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return value.textValue();
    }
}
