package za.co.personalisation.replay.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The process on this machine that listens on a local endpoint's port (the emulator, for a run against the local
 * stack), found through Linux's /proc: the socket's inode in /proc/net/tcp and tcp6, then the process holding that
 * inode among its file descriptors. Used to sample the emulator's resident memory during a load run without asking
 * the stack anything (a busy API answers late). Against a remote endpoint, or where /proc cannot be read, there is
 * no such process.
 */
final class LocalProcess {

    private static final Path PROC = Path.of("/proc");

    /** Linux reports utime and stime in USER_HZ ticks, 100 a second on every architecture it runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Path status;
    private final Path stat;

    private LocalProcess(long pid) {
        this.status = PROC.resolve(Long.toString(pid)).resolve("status");
        this.stat = PROC.resolve(Long.toString(pid)).resolve("stat");
    }

    /** This JVM's own process (for tests). */
    static LocalProcess self() {
        return new LocalProcess(ProcessHandle.current().pid());
    }

    /** The process listening on the endpoint's port, when the endpoint is on this machine; or {@code null}. */
    static LocalProcess listeningOn(URI endpoint) {
        if (endpoint == null || !isLocal(endpoint.getHost()) || endpoint.getPort() <= 0) {
            return null;
        }
        try {
            Set<String> inodes = listeningInodes(endpoint.getPort());
            if (inodes.isEmpty()) {
                return null;
            }
            try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
                for (Path process : processes) {
                    if (holdsAny(process, inodes)) {
                        return new LocalProcess(Long.parseLong(process.getFileName().toString()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Resident memory in bytes (VmRSS), or -1 when it cannot be read (the process has ended). */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * CPU time the process has used, all its threads, user and system (fields 14 and 15 of /proc/PID/stat), in
     * nanoseconds; -1 when it cannot be read.
     */
    long cpuNanos() {
        try {
            String line = Files.readString(stat);
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
            String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isLocal(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    /** Inodes of the sockets listening (state 0A) on the port. */
    static Set<String> listeningInodes(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[1].endsWith(hexPort) && "0A".equals(fields[3])) {
                    inodes.add(fields[9]);
                }
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path process, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                String target = Files.readSymbolicLink(fd).toString();
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
