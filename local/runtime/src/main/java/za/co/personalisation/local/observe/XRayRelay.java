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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * The local X-Ray daemon: receives the segments the X-Ray SDK sends over UDP (a JSON header line, then the segment
 * document), uploads them to the emulator's X-Ray and keeps the latest {@value #TRACES_KEPT} traces by trace id, so
 * that one event's journey can be printed with timings.
 *
 * <p>It uploads as AWS's X-Ray daemon does (aws-xray-daemon's processor): segments are queued and sent in batches of
 * up to {@value #BATCH} documents a PutTraceSegments call, a partial batch once no full one has gone for
 * {@value #IDLE_MILLIS} ms, from a sender thread, so a slow upload never stops the UDP socket being read. Before
 * this, one call per segment was most of the emulator's requests that were not the pipeline's own (0.76 a event at
 * 60 events/s, docs/benchmarks.md). The queue holds at most {@value #QUEUE} segments; beyond that a segment is not
 * uploaded (the daemon's ring buffer drops too) and the count is printed once per {@value #QUEUE} dropped.
 */
public final class XRayRelay implements AutoCloseable {

    static final int BATCH = 50;
    static final long IDLE_MILLIS = 1000;
    static final int QUEUE = 10_000;
    static final int TRACES_KEPT = 10_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A received segment: trace id, name, start and end in epoch seconds, and its subsegments' names. */
    public record Segment(String traceId, String name, double start, double end, List<String> calls) {
    }

    private final DatagramSocket socket;
    private final XRayClient xray;
    private final PrintStream console;
    /** The latest traces, oldest first: a long load run must not keep every trace it ever made. */
    private final Map<String, List<Segment>> byTrace = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Segment>> eldest) {
            return size() > TRACES_KEPT;
        }
    };
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong uploads = new AtomicLong();
    private final Thread thread;
    private final Thread sender;
    private volatile boolean closing;

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
        this.sender = new Thread(this::send, "xray-relay-upload");
        sender.setDaemon(true);
        sender.start();
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
        JsonNode segment;
        try {
            segment = MAPPER.readTree(document);
        } catch (IOException e) {
            console.println("  ! cannot relay an X-Ray segment: " + e.getMessage());
            return;
        }
        String traceId = segment.path("trace_id").asText();
        if (traceId.isEmpty()) {
            return;
        }
        List<String> calls = new ArrayList<>();
        for (JsonNode sub : segment.path("subsegments")) {
            calls.add(sub.path("name").asText() + " " + sub.path("aws").path("operation").asText(""));
        }
        Segment received = new Segment(traceId, segment.path("name").asText(), segment.path("start_time").asDouble(),
            segment.path("end_time").asDouble(), calls);
        if (!queue.offer(document) && dropped.incrementAndGet() % QUEUE == 1) {
            console.println("  ! the local X-Ray daemon's queue is full (" + QUEUE + " segments): segments are not"
                + " uploaded to the emulator until it drains");
        }
        synchronized (byTrace) {
            byTrace.computeIfAbsent(traceId, id -> new CopyOnWriteArrayList<>()).add(received);
        }
    }

    private void send() {
        List<String> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                String first = queue.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
                while (batch.size() < BATCH) {
                    queue.drainTo(batch, BATCH - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= BATCH || left <= 0 || closing) {
                        break;
                    }
                    String next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                upload(batch);
                batch.clear();
            } catch (InterruptedException e) {
                queue.drainTo(batch);
                upload(batch);
                return;
            }
        }
    }

    private void upload(List<String> batch) {
        for (int from = 0; from < batch.size(); from += BATCH) {
            List<String> documents = List.copyOf(batch.subList(from, Math.min(batch.size(), from + BATCH)));
            try {
                xray.putTraceSegments(b -> b.traceSegmentDocuments(documents));
                uploads.incrementAndGet();
            } catch (SdkException e) {
                console.println("  ! cannot upload " + documents.size() + " X-Ray segments: " + e.getMessage());
            }
        }
    }

    /** The segments of a trace, in the order received. */
    public List<Segment> trace(String traceId) {
        synchronized (byTrace) {
            return List.copyOf(byTrace.getOrDefault(traceId, List.of()));
        }
    }

    /** PutTraceSegments calls made so far. */
    long uploads() {
        return uploads.get();
    }

    /** Segments not uploaded because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    /** Stops receiving, uploads what is queued (for at most a few seconds), and stops. */
    @Override
    public void close() {
        socket.close();
        closing = true;
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
    }
}
