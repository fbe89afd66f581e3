package za.co.personalisation.ingest;

import java.time.Clock;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.aws.log.JsonLog;
import za.co.personalisation.aws.metrics.Metrics;
import za.co.personalisation.benchmarks.coldstart.NaiveKinesis;

/**
 * For the cold-start comparison only (benchmarks' ColdStart): ingest's handler with its Kinesis client from
 * {@code KinesisClient.create()}: the SDK's default HTTP client (Apache when on the class path), the default
 * credential and region chains, the SDK's own retries; nothing primed. The handler takes only its Kinesis client
 * from outside: its DynamoDB clients (the contact and consent routes) still come from {@link AwsClients}, built at
 * init but not called by the probe's {@code POST /events}, which only puts records on the stream. Lives in ingest's
 * package because the handler's constructor that takes clients is package-private.
 *
 * <p>On the emulator the Kinesis client speaks JSON, as the function's own build does there ({@code aws.cborEnabled},
 * see AwsClients): moto does not speak CBOR, and a naive client that does fails every put, which is no cold start.
 */
public final class NaiveIngestHandler {

    private NaiveIngestHandler() {
    }

    public static IngestHandler create(Settings settings) {
        Clock clock = Clock.systemUTC();
        return new IngestHandler(NaiveKinesis.client(settings), new AwsClients(settings), settings, clock,
            JsonLog.forFunction(settings.functionName("ingest-function")), Metrics.forService("ingest", clock));
    }
}
