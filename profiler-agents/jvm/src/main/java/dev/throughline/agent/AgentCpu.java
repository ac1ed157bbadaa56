package dev.throughline.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a recording cost the host in the agent's own threads (every thread named {@code throughline-agent*}: the
 * control thread, the sender, the JFR stream), read from the JVM's per-thread CPU clocks when the recording ends, so
 * that the capture says it. It cannot see the agent's work done on the program's own threads: the API's calls
 * (~0.4 µs per served request, bench/RESULTS.md) and async-profiler's signal handlers; the text says so.
 */
final class AgentCpu {
    static final String PREFIX = "throughline-agent";

    /** The agent threads' CPU time: the total, and per thread role ({@code control}, {@code sender}, ...). */
    static final class Reading { // a class, not a record: the agent compiles for Java 11
        final long totalNs;
        final Map<String, Long> byRole;

        Reading(long totalNs, Map<String, Long> byRole) {
            this.totalNs = totalNs;
            this.byRole = byRole;
        }
    }

    private AgentCpu() {
    }

    /** Null where the JVM does not measure thread CPU time (the agent never switches that setting of the host's). */
    static Reading read() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
            return null;
        }
        Map<String, Long> byRole = new TreeMap<>();
        long total = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
            if (t == null || !t.getThreadName().startsWith(PREFIX)) {
                continue;
            }
            long ns = mx.getThreadCpuTime(t.getThreadId());
            if (ns < 0) {
                continue; // ended meanwhile
            }
            String name = t.getThreadName();
            byRole.merge(name.length() > PREFIX.length() + 1 ? name.substring(PREFIX.length() + 1) : "control", ns, Long::sum);
            total += ns;
        }
        return new Reading(total, byRole);
    }

    /** The META text: {@code 0.312 s CPU in 20.0 s = 1.56 % of one core (control 0.120 s, sender 0.180 s, ...); ...}. */
    static String describe(Reading r, long wallNs) {
        if (r == null) {
            return "unavailable: this JVM does not measure thread CPU time";
        }
        StringBuilder parts = new StringBuilder();
        for (Map.Entry<String, Long> e : r.byRole.entrySet()) {
            parts.append(parts.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%.3f s", e.getValue() / 1e9));
        }
        return String.format(Locale.ROOT, "%.3f s CPU in %.1f s = %.2f %% of one core (%s); not counted: the API's calls"
                        + " on the program's threads and async-profiler's signal handlers", r.totalNs / 1e9, wallNs / 1e9,
                wallNs > 0 ? 100.0 * r.totalNs / wallNs : 0, parts);
    }
}
