package za.co.personalisation.enrich;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.dynamodb.ConversionLedger;
import za.co.personalisation.aws.dynamodb.ErasureTombstones;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.log.LogSink;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.outcome.Attribution;
import za.co.personalisation.core.profile.EventValidator;
import za.co.personalisation.aws.lambda.SnapStartPriming;
import za.co.personalisation.core.event.InterestEvent;
import za.co.personalisation.core.event.StreamEventCodec;
import za.co.personalisation.core.location.Location;
import za.co.personalisation.core.profile.Profile;
import za.co.personalisation.core.profile.ProfileMerger;

/**
 * Kinesis → DynamoDB profiles (docs/profiles.md). Environment, as template.yaml sets it:
 *
 * <ul>
 *   <li>{@code PROFILES_TABLE}, {@code ERASURES_TABLE} (tombstones), {@code NOTIFICATIONS_TABLE} (the ledger an
 *       erasure clears), {@code FAILED_EVENTS_QUEUE_URL};</li>
 *   <li>{@code INTEREST_HALF_LIFE} (ISO-8601, default P14D): an interest's score halves over this long;</li>
 *   <li>{@code REMEMBERED_EVENTS} (default 200): applied event ids a profile keeps for de-duplication;</li>
 *   <li>{@code ERASURE_KEY} (required, at least 32 characters): the secret key of the tombstones' HMAC
 *       (docs/privacy.md);</li>
 *   <li>{@code ERASURE_TOMBSTONE_TTL} (default P90D, at least {@value #MIN_TOMBSTONE_DAYS} days): how long an
 *       erased customer's events keep being dropped;</li>
 *   <li>{@code WRITE_CONCURRENCY} (default 8): customers of a batch applied in parallel;</li>
 *   <li>{@code ATTRIBUTION_WINDOW} (ISO-8601, default P7D): how long after a notification reached a customer (or
 *       they were held out) a conversion is credited to it; {@code LEDGER_RETENTION} (default P90D): how long a
 *       recorded conversion is kept (docs/offers.md);</li>
 *   <li>{@code DYNAMODB_MAX_ATTEMPTS} (default 6), {@code DYNAMODB_BACKOFF_BASE} (PT0.05S),
 *       {@code DYNAMODB_BACKOFF_MAX} (PT2S): retries of transient DynamoDB failures.</li>
 * </ul>
 */
public final class EnrichHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    /**
     * The shortest tombstone TTL accepted: ingest takes events up to 7 days old (MAX_EVENT_AGE) and the stream keeps
     * records 7 days, so an event that occurred before an erasure can reach this function up to 14 days after it.
     */
    static final int MIN_TOMBSTONE_DAYS = 14;
    /** Time kept back from the Lambda deadline to answer with batch item failures instead of timing out. */
    static final Duration DEADLINE_MARGIN = Duration.ofSeconds(3);

    private final ProfileEnricher enricher;
    private final JsonLog log;
    /** CRaC holds resources weakly: the handler keeps its priming reachable. */
    private final SnapStartPriming priming;

    /** For the Lambda runtime. */
    public EnrichHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public EnrichHandler(Settings settings) {
        this(new AwsClients(settings), settings);
    }

    private EnrichHandler(AwsClients clients, Settings settings) {
        this(dynamoDb(clients), clients.sqs(), settings, Clock.systemUTC(), LogSink.delegating());
    }

    /** For tests: the clients (with interceptors, if any), the clock and where logs and metrics go. */
    EnrichHandler(DynamoDbClient dynamoDb, SqsClient sqs, Settings settings, Clock clock, LogSink sink) {
        String function = settings.functionName("enrich-function");
        JsonLog log = new JsonLog(function, sink, clock);
        this.log = log;
        DynamoDbRetry retry = new DynamoDbRetry(settings.getInt("DYNAMODB_MAX_ATTEMPTS", 6),
            settings.getDuration("DYNAMODB_BACKOFF_BASE", Duration.ofMillis(50)),
            settings.getDuration("DYNAMODB_BACKOFF_MAX", Duration.ofSeconds(2)),
            duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000), log);
        Duration tombstoneTtl = settings.getDuration("ERASURE_TOMBSTONE_TTL", Duration.ofDays(90));
        if (tombstoneTtl.compareTo(Duration.ofDays(MIN_TOMBSTONE_DAYS)) < 0) {
            throw new IllegalStateException("ERASURE_TOMBSTONE_TTL is " + tombstoneTtl + "; it must be at least P"
                + MIN_TOMBSTONE_DAYS + "D (event age accepted at ingest plus stream retention), see docs/profiles.md");
        }
        int concurrency = settings.getInt("WRITE_CONCURRENCY", 8);
        if (concurrency < 1) {
            throw new IllegalStateException("WRITE_CONCURRENCY must be at least 1, not " + concurrency);
        }
        ProfileMerger merger = new ProfileMerger(settings.getDuration("INTEREST_HALF_LIFE", Duration.ofDays(14)),
            settings.getInt("REMEMBERED_EVENTS", 200),
            settings.getInt("MAX_INTERESTS", ProfileMerger.DEFAULT_MAX_INTERESTS));
        this.enricher = new ProfileEnricher(
            new ProfileStore(dynamoDb, settings.require("PROFILES_TABLE"), settings.require("ERASURES_TABLE"),
                tombstoneTtl, retry, ErasureTombstones.from(settings)),
            new LedgerEraser(dynamoDb, settings.require("NOTIFICATIONS_TABLE"), retry),
            new ConversionRecorder(new ConversionLedger(dynamoDb, settings.require("NOTIFICATIONS_TABLE"),
                settings.getDuration("LEDGER_RETENTION", Duration.ofDays(90))),
                new Attribution(settings.getDuration("ATTRIBUTION_WINDOW", Attribution.DEFAULT_WINDOW)), retry, log),
            merger,
            new EventValidator(EventLimits.defaults()),
            new FailedEventsQueue(sqs, settings.require("FAILED_EVENTS_QUEUE_URL")),
            concurrency == 1 ? null : workers(concurrency),
            clock,
            log,
            new Metrics("enrich", sink, clock));
        // SnapStart: decode and merge one synthetic record before the snapshot; nothing is read or written.
        this.priming = SnapStartPriming.register(function, () -> {
            Instant now = clock.instant();
            byte[] record = StreamEventCodec.encode(new InterestEvent("snapstart-priming", "snapstart-priming",
                "electronics", new Location("ZA/WC/cape-town", "Cape Town", true), now, now, "", false));
            merger.apply(Profile.empty("snapstart-priming"), List.of(StreamEventCodec.decode(record)), now);
        });
    }

    /**
     * The DynamoDB client enrich uses: the shared configuration with the SDK's own retries off, because
     * {@link DynamoDbRetry} retries (counted, and within the invocation's time), plus any interceptors.
     */
    static DynamoDbClient dynamoDb(AwsClients clients, ExecutionInterceptor... interceptors) {
        DynamoDbClientBuilder builder = clients.configure(DynamoDbClient.builder());
        ClientOverrideConfiguration.Builder override = builder.overrideConfiguration().toBuilder()
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(Duration.ofSeconds(5));
        for (ExecutionInterceptor interceptor : interceptors) {
            override.addExecutionInterceptor(interceptor);
        }
        return builder.overrideConfiguration(override.build()).build();
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        long deadline = context == null ? Long.MAX_VALUE
            : System.nanoTime() + Duration.ofMillis(context.getRemainingTimeInMillis()).minus(DEADLINE_MARGIN)
                .toNanos();
        JsonLog.Scope invocation = log.invocation(context);
        try {
            return enricher.apply(event, deadline);
        } finally {
            invocation.close();
        }
    }

    private static ExecutorService workers(int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "enrich-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    SnapStartPriming priming() {
        return priming;
    }
}
