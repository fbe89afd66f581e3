package za.co.personalisation.replay.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalProcessTest {

    @Test
    void cpuNanos_followsTheProcesssOwnCpuTime() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux's /proc");
        LocalProcess self = LocalProcess.self();
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        long before = self.cpuNanos();
        long busyUntil = os.getProcessCpuTime() + 300_000_000L;
        long spin = 0;
        while (os.getProcessCpuTime() < busyUntil) {
            spin += 1 + Long.numberOfTrailingZeros(spin);
        }
        long after = self.cpuNanos();

        assertThat(spin).isPositive();
        // 300 ms of CPU burnt: /proc counts in 10 ms ticks, so at least 250 ms must show
        assertThat(after - before).isGreaterThanOrEqualTo(250_000_000L);
        assertThat(Math.abs(after - os.getProcessCpuTime())).isLessThan(2_000_000_000L);
    }

    @Test
    void residentBytes_ofARunningProcess_isPositive() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc");

        assertThat(LocalProcess.self().residentBytes()).isPositive();
    }
}
