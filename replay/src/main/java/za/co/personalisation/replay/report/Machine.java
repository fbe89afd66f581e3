package za.co.personalisation.replay.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a run was measured on, and how busy it was: processors, CPU model, OS, Java, the load average at
 * the start, the highest seen during the run and at the end, and this JVM's own CPU time (the load generator
 * shares the machine with what it measures).
 */
public final class Machine {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final double loadAtStart;
    private final long cpuAtStart;
    private volatile double highestLoad;

    public Machine() {
        this.loadAtStart = os.getSystemLoadAverage();
        this.highestLoad = loadAtStart;
        this.cpuAtStart = processCpuNanos();
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
