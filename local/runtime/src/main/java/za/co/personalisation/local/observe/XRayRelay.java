package za.co.personalisation.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * The local X-Ray daemon: receives the segments the X-Ray SDK sends over UDP (a JSON header line, then the segment
 * document), forwards each to the emulator's X-Ray (PutTraceSegments) and keeps them by trace id, so that one
 * event's journey can be printed with timings.
 */
public final class XRayRelay implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A received segment: trace id, name, start and end in epoch seconds, and its subsegments' names. */
    public record Segment(String traceId, String name, double start, double end, List<String> calls) {
    }

    private final DatagramSocket socket;
    private final XRayClient xray;
    private final PrintStream console;
    private final Map<String, List<Segment>> byTrace = new ConcurrentHashMap<>();
    private final Thread thread;

    public XRayRelay(XRayClient xray, PrintStream console) {
        this.xray = xray;
        this.console = console;
        try {
            this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot open the local X-Ray daemon port", e);
        }
        this.thread = new Thread(this::receive, "xray-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** The daemon address for the X-Ray SDK ({@code com.amazonaws.xray.emitters.daemonAddress}). */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void receive() {
        byte[] buffer = new byte[64 * 1024];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            String document = newline < 0 ? text : text.substring(newline + 1);
            accept(document);
        }
    }

    void accept(String document) {
        try {
            JsonNode segment = MAPPER.readTree(document);
            String traceId = segment.path("trace_id").asText();
            if (traceId.isEmpty()) {
                return;
            }
            List<String> calls = new ArrayList<>();
            for (JsonNode sub : segment.path("subsegments")) {
                calls.add(sub.path("name").asText() + " " + sub.path("aws").path("operation").asText(""));
            }
            byTrace.computeIfAbsent(traceId, id -> new CopyOnWriteArrayList<>()).add(new Segment(traceId,
                segment.path("name").asText(), segment.path("start_time").asDouble(),
                segment.path("end_time").asDouble(), calls));
            xray.putTraceSegments(b -> b.traceSegmentDocuments(document));
        } catch (IOException | SdkException e) {
            console.println("  ! cannot relay an X-Ray segment: " + e.getMessage());
        }
    }

    /** The segments of a trace, in the order received. */
    public List<Segment> trace(String traceId) {
        return List.copyOf(byTrace.getOrDefault(traceId, List.of()));
    }

    @Override
    public void close() {
        socket.close();
    }
}
