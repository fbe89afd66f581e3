package za.co.personalisation.local.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.xray.XRayClient;
import za.co.personalisation.aws.clients.AwsClients;
import za.co.personalisation.aws.config.Settings;
import za.co.personalisation.local.emulator.MotoExtension;

/**
 * The local X-Ray daemon uploads the segments it receives over UDP to the emulator's X-Ray in batches, as AWS's
 * daemon does: a burst goes up in calls of up to 50 segments, a lone segment within about a second, and what is still
 * queued when it closes is uploaded before it stops. Every segment sent is read back from the emulator.
 */
@ExtendWith(MotoExtension.class)
class XRayRelayIT {

    private static int runs;

    private XRayClient xray;
    private XRayRelay relay;
    private DatagramSocket client;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final String run = Long.toHexString(System.nanoTime() & 0xffffff) + Integer.toHexString(++runs);

    @BeforeEach
    void start(MotoExtension.Emulator emulator) throws Exception {
        xray = new AwsClients(Settings.of(emulator.environment())).configure(XRayClient.builder()).build();
        relay = new XRayRelay(xray, new PrintStream(console, true, StandardCharsets.UTF_8));
        client = new DatagramSocket();
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    @Test
    void aBurstOfSegments_isUploadedInBatchesOfUpTo50_andEverySegmentArrives() throws Exception {
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            traces.add(send(i));
        }
        awaitInEmulator(traces, Duration.ofSeconds(15));
        assertThat(relay.trace(traces.get(7))).hasSize(1);
        // 120 segments sent within a second: 50, 50 and 20, or a few more calls if the machine is slow; never one each
        assertThat(relay.uploads()).as("PutTraceSegments calls for 120 segments").isBetween(3L, 12L);
        assertThat(relay.dropped()).isZero();
        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aLoneSegment_isUploadedWithinAboutASecond_withoutWaitingForABatch() throws Exception {
        String trace = send(0);
        long started = System.nanoTime();
        awaitInEmulator(List.of(trace), Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(relay.uploads()).isEqualTo(1);
    }

    @Test
    void closing_uploadsWhatIsStillQueued() throws Exception {
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            traces.add(send(i));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (relay.trace(traces.get(9)).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        relay.close();
        assertThat(inEmulator(traces)).containsExactlyInAnyOrderElementsOf(traces);
    }

    @Test
    void aMalformedPacket_isReportedAndSkipped_andTheSegmentsAroundItStillArrive() throws Exception {
        String before = send(0);
        sendRaw("{\"format\": \"json\", \"version\": 1}\n{not json at all");
        sendRaw("{\"format\": \"json\", \"version\": 1}\n{\"name\":\"no trace id\"}");
        String after = send(1);
        awaitInEmulator(List.of(before, after), Duration.ofSeconds(10));
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("cannot relay an X-Ray segment")
            .doesNotContain("not json at all");
        assertThat(relay.dropped()).isZero();
    }

    /** Sends one segment as the X-Ray SDK does (a header line, then the document); returns its trace id. */
    private String send(int i) throws Exception {
        String trace = String.format("1-%08x-%12s%012x", System.currentTimeMillis() / 1000, run, (long) i)
            .replace(' ', '0');
        double now = System.currentTimeMillis() / 1000.0;
        String document = String.format(java.util.Locale.ROOT, "{\"name\":\"relay-test\",\"id\":\"%016x\","
            + "\"trace_id\":\"%s\",\"start_time\":%.3f,\"end_time\":%.3f}", i + 1L, trace, now - 0.01, now);
        sendRaw("{\"format\": \"json\", \"version\": 1}\n" + document);
        return trace;
    }

    private void sendRaw(String packet) throws Exception {
        byte[] bytes = packet.getBytes(StandardCharsets.UTF_8);
        String[] address = relay.address().split(":");
        client.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(address[0]),
            Integer.parseInt(address[1])));
    }

    private void awaitInEmulator(List<String> traces, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> found = inEmulator(traces);
        while (found.size() < traces.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            found = inEmulator(traces);
        }
        assertThat(found).as("traces uploaded to the emulator").containsExactlyInAnyOrderElementsOf(traces);
    }

    private Set<String> inEmulator(List<String> traces) {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < traces.size(); from += 5) { // BatchGetTraces takes at most 5 ids
            List<String> ids = traces.subList(from, Math.min(traces.size(), from + 5));
            xray.batchGetTraces(b -> b.traceIds(ids)).traces().forEach(t -> found.add(t.id()));
        }
        return found;
    }
}
