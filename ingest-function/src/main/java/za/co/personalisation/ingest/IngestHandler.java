package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ConsentStatements;
import za.co.personalisation.aws.dynamodb.ContactHashes;
import za.co.personalisation.aws.dynamodb.ErasureTombstones;
import za.co.personalisation.aws.lambda.SnapStartPriming;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.aws.retry.Jitter;
import za.co.personalisation.aws.retry.Sleeper;
import za.co.personalisation.core.event.ConversionRequestParser;
import za.co.personalisation.core.event.CustomerRequestParser;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.EventRequestParser;
import za.co.personalisation.core.event.SchemaRules;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Gazetteer;

/**
 * API Gateway → Kinesis and the contacts table. Everything is built once at init; each request is one call into
 * {@link IngestApi}.
 *
 * <p>Environment (template.yaml): {@code EVENTS_STREAM} (stream name), {@code CONTACTS_TABLE},
 * {@code NOTIFICATIONS_TABLE} (consent statements only: deliver's opt-out check), {@code ERASURES_TABLE}
 * and {@code ERASURE_KEY} (the erasure tombstones and their HMAC key, docs/privacy.md),
 * optional {@code ERASURE_TOMBSTONE_TTL} (default P90D, as enrich's: how long an erased id stays refused),
 * {@code WRITE_BUDGET} (ISO-8601, default PT3S: how long PutRecords retries may take within one request, cut to
 * what is left of the invocation), {@code MAX_EVENT_AGE} (default P7D, the stream's retention) and
 * {@code ALLOWED_ORIGIN} (the frontend's origin for CORS; none when unset).
 */
public final class IngestHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private static final byte[] PRIMING_EVENT = ("{\"customerId\":\"snapstart-priming\",\"interest\":\"electronics\","
        + "\"location\":\"Cape Town\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final IngestApi api;
    private final JsonLog log;
    /** CRaC holds resources weakly: the handler keeps its priming reachable. */
    private final SnapStartPriming priming;

    /** For the Lambda runtime. */
    public IngestHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public IngestHandler(Settings settings) {
        this(new AwsClients(settings), settings, Clock.systemUTC());
    }

    IngestHandler(AwsClients clients, Settings settings, Clock clock) {
        this(clients.kinesis(), clients, settings, clock, JsonLog.forFunction(settings.functionName(
            "ingest-function")), Metrics.forService("ingest", clock));
    }

    IngestHandler(KinesisClient kinesis, AwsClients clients, Settings settings, Clock clock, JsonLog log,
        Metrics metrics) {
        this.log = log;
        EventLimits defaults = EventLimits.defaults();
        EventLimits limits = new EventLimits(defaults.maxBatch(), defaults.maxFutureSkew(),
            settings.getDuration("MAX_EVENT_AGE", defaults.maxAge()));
        SchemaRules rules = SchemaRules.bundled();
        EventRequestParser events = new EventRequestParser(rules, Gazetteer.bundled(), limits,
            () -> UUID.randomUUID().toString());
        CustomerRequestParser customers = new CustomerRequestParser(rules, limits, () -> UUID.randomUUID().toString());
        KinesisEventPublisher publisher = new KinesisEventPublisher(kinesis, settings.require("EVENTS_STREAM"), clock,
            Sleeper.SYSTEM, Jitter.source());
        ContactStore contacts = new ContactStore(clients.dynamoDb(), settings.require("CONTACTS_TABLE"),
            settings.require("ERASURES_TABLE"), ErasureTombstones.from(settings),
            settings.getDuration(ErasureTombstones.TTL_SETTING, Duration.ofDays(90)), ContactHashes.from(settings));
        StreamWriter stream = new StreamWriter(publisher, clock);
        Map<Route, Endpoint> endpoints = new EnumMap<>(Route.class);
        endpoints.put(Route.EVENTS, new EventsEndpoint(events, stream));
        endpoints.put(Route.CONTACT, new ContactEndpoint(customers, contacts));
        endpoints.put(Route.CONSENT, new ConsentEndpoint(customers, contacts,
            new ConsentStatements(clients.dynamoDb(), settings.require("NOTIFICATIONS_TABLE")), stream));
        endpoints.put(Route.CUSTOMER, new EraseCustomerEndpoint(customers, contacts, stream));
        endpoints.put(Route.CONVERSIONS, new ConversionsEndpoint(new ConversionRequestParser(rules, limits), stream));
        this.api = new IngestApi(endpoints, settings.getDuration("WRITE_BUDGET", Duration.ofSeconds(3)),
            new Cors(settings.get("ALLOWED_ORIGIN", "")), clock, new RequestLog(clock, log, metrics));
        // SnapStart: parse, validate, normalise and encode one event before the snapshot; nothing is written.
        this.priming = SnapStartPriming.register(settings.functionName("ingest-function"),
            () -> events.parse(PRIMING_EVENT, clock.instant(), "").accepted().forEach(StreamEventCodec::encode));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        JsonLog.Scope invocation = log.invocation(context);
        try {
            return api.handle(request, context == null ? null
                : Duration.ofMillis(context.getRemainingTimeInMillis()));
        } finally {
            invocation.close();
        }
    }

    SnapStartPriming priming() {
        return priming;
    }
}
