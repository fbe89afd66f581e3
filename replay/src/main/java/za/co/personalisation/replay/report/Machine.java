package za.co.personalisation.replay.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The machine a run was measured on, and how busy it was: processors, CPU model, OS, Java, the load average at
 * the start, the highest seen during the run and at the end, and this JVM's own CPU time (the load generator
 * shares the machine with what it measures). With {@link #sampleEvery}, also a sample every few seconds of the
 * load average and of the emulator's resident memory (against the local stack), to show whether it holds steady.
 */
public final class Machine {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One sample: seconds since the first, the 1-minute load average, the emulator's memory (-1: unknown). */
    public record Sample(double seconds, double loadAverage, long emulatorBytes) {
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private volatile Thread sampler;
    private volatile long sampleEverySeconds;

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final double loadAtStart;
    private final long cpuAtStart;
    private volatile double highestLoad;
    /** CPU seconds the emulator used while the run's calls were counted; negative when unknown. */
    private volatile double emulatorCpuSeconds = -1;

    public Machine() {
        this.loadAtStart = os.getSystemLoadAverage();
        this.highestLoad = loadAtStart;
        this.cpuAtStart = processCpuNanos();
    }

    /**
     * Samples the load average and {@code emulatorBytes} every {@code every}, from now until {@link #stopSampling}.
     */
    public void sampleEvery(Duration every, LongSupplier emulatorBytes) {
        long start = System.nanoTime();
        sampleEverySeconds = every.toSeconds();
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                samples.add(new Sample(round((System.nanoTime() - start) / 1e9), round(os.getSystemLoadAverage()),
                    emulatorBytes.getAsLong()));
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "machine-sampler");
        thread.setDaemon(true);
        sampler = thread;
        thread.start();
    }

    public void stopSampling() {
        Thread thread = sampler;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * The emulator's CPU time at the two moments between which the run's AWS calls are counted (nanoseconds, -1
     * when unknown): with the calls, it gives what the emulator can serve per CPU-second.
     */
    public void emulatorCpu(long nanosBefore, long nanosAfter) {
        emulatorCpuSeconds = nanosBefore < 0 || nanosAfter < nanosBefore ? -1 : (nanosAfter - nanosBefore) / 1e9;
    }

    /** See {@link #emulatorCpu}: negative when unknown. */
    public double emulatorCpuSeconds() {
        return emulatorCpuSeconds;
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Notes the current load average; call it now and then during the run. */
    public void sample() {
        highestLoad = Math.max(highestLoad, os.getSystemLoadAverage());
    }

    public ObjectNode toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("processors", Runtime.getRuntime().availableProcessors());
        node.put("cpu", cpuModel());
        node.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        node.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        node.put("loadAverageAtStart", round(loadAtStart));
        node.put("loadAverageHighest", round(highestLoad));
        node.put("loadAverageAtEnd", round(os.getSystemLoadAverage()));
        node.put("loadGeneratorCpuSeconds", round((processCpuNanos() - cpuAtStart) / 1e9));
        if (emulatorCpuSeconds >= 0) {
            node.put("emulatorCpuSeconds", round(emulatorCpuSeconds));
        }
        if (!samples.isEmpty()) {
            node.set("samples", samplesJson());
        }
        return node;
    }

    /**
     * Every sample, and the emulator's memory at the first, highest and last sample with its growth (MB), when the
     * emulator's memory was known.
     */
    private ObjectNode samplesJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("everySeconds", sampleEverySeconds);
        ArrayNode rows = node.putArray("rows");
        long first = -1;
        long last = -1;
        long highest = -1;
        for (Sample sample : samples) {
            ObjectNode row = rows.addObject();
            row.put("seconds", sample.seconds());
            row.put("loadAverage", sample.loadAverage());
            if (sample.emulatorBytes() >= 0) {
                row.put("emulatorMb", round(sample.emulatorBytes() / 1048576.0));
                first = first < 0 ? sample.emulatorBytes() : first;
                last = sample.emulatorBytes();
                highest = Math.max(highest, sample.emulatorBytes());
            }
        }
        if (first >= 0) {
            node.put("emulatorMbFirst", round(first / 1048576.0));
            node.put("emulatorMbHighest", round(highest / 1048576.0));
            node.put("emulatorMbLast", round(last / 1048576.0));
            node.put("emulatorMbGrowth", round((last - first) / 1048576.0));
        }
        return node;
    }

    private long processCpuNanos() {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.toLowerCase(Locale.ROOT).startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the processor count still says something
        }
        return System.getProperty("os.arch");
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
