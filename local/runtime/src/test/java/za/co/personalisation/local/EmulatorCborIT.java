package za.co.personalisation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * CloudWatch through the emulator's translation of the Smithy RPC v2 CBOR protocol (local/moto/moto_runner.py),
 * with the real SDK: a PutMetricData of 10 KB or more goes gzip-compressed, as the local runtime's metric flushes of
 * up to 500 data points do, and every data point arrives (these flushes failed with a 500 and were lost); a body
 * that is not what its Content-Encoding says (not gzip, corrupt, cut short, not CBOR inside) is a 400 that names the
 * problem, not a 500.
 */
@ExtendWith(MotoExtension.class)
class EmulatorCborIT {

    private static final Instant AT = Instant.parse("2026-01-05T10:00:30Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void compressedPutMetricData_everyDataPointArrives(MotoExtension.Emulator emulator) {
        List<String> encodings = new CopyOnWriteArrayList<>();
        AwsClients clients = new AwsClients(Settings.of(emulator.environment()));
        try (CloudWatchClient cloudWatch = clients.configure(CloudWatchClient.builder(), List.of(
            new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    encodings.add(context.httpRequest().firstMatchingHeader("Content-Encoding").orElse("none"));
                }
            })).build()) {
            List<MetricDatum> data = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String route = "route-" + (i % 5);
                data.add(MetricDatum.builder().metricName("Latency").value((double) i).timestamp(AT)
                    .dimensions(d -> d.name("ApiName").value("personalisation-api-local"),
                        d -> d.name("Route").value(route))
                    .build());
            }
            cloudWatch.putMetricData(b -> b.namespace("Cbor/Test").metricData(data));
            cloudWatch.putMetricData(b -> b.namespace("Cbor/Test").metricData(d -> d.metricName("Latency")
                .value(1000.0).timestamp(AT).dimensions(x -> x.name("ApiName").value("personalisation-api-local"),
                    x -> x.name("Route").value("route-0"))));

            assertThat(encodings).as("the SDK compressed the large request, not the small one")
                .containsExactly("gzip", "none");
            for (int route = 0; route < 5; route++) {
                String name = "route-" + route;
                List<Datapoint> points = cloudWatch.getMetricStatistics(b -> b.namespace("Cbor/Test")
                    .metricName("Latency").dimensions(x -> x.name("ApiName").value("personalisation-api-local"),
                        x -> x.name("Route").value(name))
                    .startTime(AT.minusSeconds(300)).endTime(AT.plusSeconds(300)).period(600)
                    .statistics(Statistic.SAMPLE_COUNT, Statistic.SUM)).datapoints();
                double sum = 0;
                for (int i = route; i < 500; i += 5) {
                    sum += i;
                }
                double expectedSum = route == 0 ? sum + 1000 : sum;
                double expectedCount = route == 0 ? 101 : 100;
                assertThat(points).as(name).singleElement().satisfies(point -> {
                    assertThat(point.sampleCount()).isEqualTo(expectedCount);
                    assertThat(point.sum()).isEqualTo(expectedSum);
                });
            }
        }
    }

    @Test
    void bodyThatIsNotWhatItsEncodingSays_isA400NamingIt(MotoExtension.Emulator emulator) throws Exception {
        byte[] gzipped = gzip("a body that is gzip but not CBOR");
        byte[] corrupt = gzipped.clone();
        for (int i = 10; i < corrupt.length - 8; i++) { // the header and trailer kept, the deflate data not
            corrupt[i] = (byte) 0xff;
        }
        byte[] truncated = Arrays.copyOf(gzipped, gzipped.length - 6);

        for (byte[] body : List.of("not gzip at all".getBytes(StandardCharsets.UTF_8), corrupt, truncated, gzipped)) {
            HttpResponse<byte[]> answer = send(emulator, "gzip", body);
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("SerializationException")
                .contains("the request body is not gzip-compressed CBOR");
        }
        assertThat(new String(send(emulator, "gzip", gzipped).body(), StandardCharsets.UTF_8))
            .as("CBOR's first item, the one-letter text 'a', is not a request").contains("a str, not a map");
        HttpResponse<byte[]> plain = send(emulator, "", new byte[] {(byte) 0xff, 'x'}); // a "break" outside anything
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).contains("the request body is not CBOR");
        HttpResponse<byte[]> unknown = send(emulator, "br", "whatever".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(415);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("Content-Encoding br is not supported");
    }

    private static HttpResponse<byte[]> send(MotoExtension.Emulator emulator, String encoding, byte[] body)
        throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(emulator.endpoint().resolve(
                "/service/GraniteServiceVersion20100801/operation/PutMetricData"))
            .header("smithy-protocol", "rpc-v2-cbor").header("Content-Type", "application/cbor")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!encoding.isEmpty()) {
            request.header("Content-Encoding", encoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zipped = new GZIPOutputStream(out)) {
            zipped.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
