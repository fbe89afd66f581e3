package za.co.personalisation.aws.log;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import za.co.personalisation.aws.clients.AwsClients;

/**
 * Structured logs: one JSON line per decision, with ids (eventId, customerId, trace id) and reasons.
 *
 * <p>While a handler serves an invocation ({@link #invocation}), every line also carries Lambda's request id, the
 * cold-start flag and the X-Ray trace id, named as Powertools for AWS Lambda names them ({@code function_request_id},
 * {@code cold_start}, {@code xray_trace_id}), so that CloudWatch Logs Insights can join a line to the invocation's
 * REPORT line and to its trace.
 *
 * <p>Never log a phone number, an email address, a name or a request body: pass ids and reason codes only. The
 * field names that could carry personal data are refused outright so that a slip fails a test, not a customer.
 *
 * <p>Values are not always ours: an exception's message, a provider's reason. Every text value except the ids in
 * {@link #ID_FIELDS} (pseudonymous by contract, and searched for as written) goes through
 * {@link PersonalData#scrub} on its way out, so a phone number or an email address inside an error text is replaced
 * before the line is written.
 */
public final class JsonLog {

    private static final JsonFactory JSON = new JsonFactory();
    private static final java.util.Set<String> FORBIDDEN = java.util.Set.of("phone", "phoneNumber", "email",
        "emailAddress", "name", "body", "contact", "address");
    /** Fields that hold our own ids, written as they are (they are never personal data, and runbooks search them). */
    static final java.util.Set<String> ID_FIELDS = java.util.Set.of("customerId", "eventId", "offerId", "traceId",
        "messageId", "sourceMessageId", "providerMessageId", "sequenceNumber", "shardId", "requestId",
        "notificationKey");

    private static volatile LogSink defaultSink = LogSink.stdout();

    private final String function;
    private final LogSink sink;
    private final Clock clock;
    private final AtomicBoolean served = new AtomicBoolean();
    private volatile Invocation invocation;

    /** The invocation being served: what every line logged meanwhile carries. */
    public record Invocation(String requestId, boolean coldStart, String traceId) {
    }

    /** The end of an invocation's logging; closing it twice is harmless. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public JsonLog(String function, LogSink sink, Clock clock) {
        this.function = function;
        this.sink = sink;
        this.clock = clock;
    }

    /** A log for a function, writing to the process-wide default sink. */
    public static JsonLog forFunction(String function) {
        return new JsonLog(function, LogSink.delegating(), Clock.systemUTC());
    }

    /** Replaces the process-wide sink (the local runtime collects every function's lines this way). */
    public static void setDefaultSink(LogSink sink) {
        defaultSink = sink;
    }

    static LogSink defaultSink() {
        return defaultSink;
    }

    /**
     * Marks the start of an invocation: until the returned scope is closed, every line carries its request id,
     * whether it is this log's (this execution environment's) first invocation, and its X-Ray trace id. Lambda runs
     * one invocation at a time per environment, and a handler owns its log, so one current invocation per log is
     * exact.
     *
     * @param context Lambda's context; {@code null} in tests that call the handler directly
     */
    public Scope invocation(Context context) {
        Invocation current = new Invocation(context == null ? null : context.getAwsRequestId(),
            served.compareAndSet(false, true), AwsClients.currentTraceId());
        invocation = current;
        return () -> {
            if (invocation == current) {
                invocation = null;
            }
        };
    }

    public Entry info(String message) {
        return new Entry("INFO", message);
    }

    public Entry warn(String message) {
        return new Entry("WARN", message);
    }

    public Entry error(String message) {
        return new Entry("ERROR", message);
    }

    /** One log line under construction. */
    public final class Entry {

        private final String level;
        private final String message;
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Entry(String level, String message) {
            this.level = level;
            this.message = message;
        }

        public Entry with(String field, Object value) {
            if (FORBIDDEN.contains(field)) {
                throw new IllegalArgumentException("field '" + field + "' could carry personal data; log an id");
            }
            fields.put(field, value);
            return this;
        }

        /** Adds the exception's type and message (never its stack of payloads). */
        public Entry error(Throwable failure) {
            fields.put("errorType", failure.getClass().getName());
            fields.put("error", PersonalData.scrub(String.valueOf(failure.getMessage())));
            return this;
        }

        public void log() {
            StringWriter out = new StringWriter(160);
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("time", clock.instant().toString());
                json.writeStringField("level", level);
                json.writeStringField("function", function);
                json.writeStringField("message", PersonalData.scrub(message));
                Invocation current = invocation;
                if (current != null) {
                    if (current.requestId() != null) {
                        json.writeStringField("function_request_id", current.requestId());
                    }
                    json.writeBooleanField("cold_start", current.coldStart());
                    if (current.traceId() != null) {
                        json.writeStringField("xray_trace_id", current.traceId());
                    }
                }
                for (Map.Entry<String, Object> field : fields.entrySet()) {
                    Object value = field.getValue();
                    if (value == null) {
                        json.writeNullField(field.getKey());
                    } else if (value instanceof Number number) {
                        json.writeFieldName(field.getKey());
                        if (number instanceof Double || number instanceof Float) {
                            json.writeNumber(number.doubleValue());
                        } else {
                            json.writeNumber(number.longValue());
                        }
                    } else if (value instanceof Boolean bool) {
                        json.writeBooleanField(field.getKey(), bool);
                    } else {
                        String text = value.toString();
                        json.writeStringField(field.getKey(),
                            ID_FIELDS.contains(field.getKey()) ? text : PersonalData.scrub(text));
                    }
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sink.line(out.toString());
        }
    }
}
