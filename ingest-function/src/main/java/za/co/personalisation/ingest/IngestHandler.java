package za.co.personalisation.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.core.event.EventLimits;
import za.co.personalisation.core.event.EventRequestParser;
import za.co.personalisation.core.location.Gazetteer;

/**
 * API Gateway → Kinesis. Everything is built once at init; each request is one call into {@link IngestApi}.
 *
 * <p>Environment: {@code EVENTS_STREAM} (stream name), optional {@code WRITE_BUDGET} (ISO-8601, default PT3S:
 * how long PutRecords retries may take within one request) and {@code MAX_EVENT_AGE} (default P7D, the stream's
 * retention).
 */
public final class IngestHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final IngestApi api;

    /** For the Lambda runtime. */
    public IngestHandler() {
        this(Settings.fromEnvironment());
    }

    /** For the local runtime, which passes the environment template.yaml declares. */
    public IngestHandler(Settings settings) {
        this(new AwsClients(settings), settings, Clock.systemUTC());
    }

    IngestHandler(AwsClients clients, Settings settings, Clock clock) {
        EventLimits defaults = EventLimits.defaults();
        EventLimits limits = new EventLimits(defaults.maxBatch(), defaults.maxFutureSkew(),
            settings.getDuration("MAX_EVENT_AGE", defaults.maxAge()));
        EventRequestParser parser = new EventRequestParser(Gazetteer.bundled(), limits,
            () -> UUID.randomUUID().toString());
        KinesisEventPublisher publisher = new KinesisEventPublisher(clients.kinesis(),
            settings.require("EVENTS_STREAM"), clock, duration -> Thread.sleep(duration.toMillis()), new Random());
        String function = settings.functionName("ingest-function");
        this.api = new IngestApi(parser, publisher, settings.getDuration("WRITE_BUDGET", Duration.ofSeconds(3)),
            clock, JsonLog.forFunction(function), Metrics.forService("ingest", clock));
    }

    IngestHandler(IngestApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        return api.handle(request);
    }
}
