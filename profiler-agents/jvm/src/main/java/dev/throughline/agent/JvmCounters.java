package dev.throughline.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/**
 * Process counters read on the control thread: {@code heap_used_bytes}, {@code heap_committed_bytes}, {@code threads}
 * (live Java threads) and {@code cpu_percent} (process CPU time over wall time since the last reading, 100 = one core
 * busy, as the Python agent reports it).
 */
final class JvmCounters {
    // looked up once: each ManagementFactory lookup walks the platform MBean providers (~15 % of the control
    // thread's CPU when done every 250 ms)
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long lastCpuNs = -1;
    private long lastWallNs;

    void read(Sender out) {
        long now = System.nanoTime();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        out.offer(new Event.Counter("heap_used_bytes", now, heap.getUsed()));
        out.offer(new Event.Counter("heap_committed_bytes", now, heap.getCommitted()));
        out.offer(new Event.Counter("threads", now, threads.getThreadCount()));
        long cpu = processCpuNs();
        if (cpu >= 0) {
            if (lastCpuNs >= 0 && now > lastWallNs) {
                out.offer(new Event.Counter("cpu_percent", now, 100.0 * (cpu - lastCpuNs) / (now - lastWallNs)));
            }
            lastCpuNs = cpu;
            lastWallNs = now;
        }
    }

    /** -1 where the JDK does not say: not a com.sun.management bean, or a runtime without jdk.management. */
    private long processCpuNs() {
        try {
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
            }
        } catch (LinkageError noJdkManagement) {
            // a jlink-ed runtime may lack the module: no cpu_percent
        }
        return -1;
    }
}
