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

        /** What was spent after {@code earlier}, role by role (a role absent earlier counts from zero). */
        Reading since(Reading earlier) {
            Map<String, Long> diff = new TreeMap<>();
            for (Map.Entry<String, Long> e : byRole.entrySet()) {
                diff.put(e.getKey(), e.getValue() - (earlier == null ? 0 : earlier.byRole.getOrDefault(e.getKey(), 0L)));
            }
            return new Reading(diff.values().stream().mapToLong(Long::longValue).sum(), diff);
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

    /**
     * The META text, e.g. {@code 0.520 s CPU setting up (the profiler, JFR when on, the API), then 0.610 s in 20.0 s of
     * recording = 3.05 % of one core (control 0.100 s, jfr 0.190 s, sender 0.320 s); not counted: ...}: the setup is a
     * one-time cost, the share while recording is what a longer recording costs.
     */
    static String describe(Reading setup, Reading recording, long recordingWallNs) {
        if (setup == null || recording == null) {
            return "unavailable: this JVM does not measure thread CPU time";
        }
        StringBuilder parts = new StringBuilder();
        for (Map.Entry<String, Long> e : recording.byRole.entrySet()) {
            parts.append(parts.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%.3f s", e.getValue() / 1e9));
        }
        return String.format(Locale.ROOT, "%.3f s CPU setting up (the profiler, JFR when on, the API), then %.3f s in %.1f s of"
                        + " recording = %.2f %% of one core (%s); not counted: the API's calls on the program's threads and"
                        + " async-profiler's signal handlers", setup.totalNs / 1e9, recording.totalNs / 1e9,
                recordingWallNs / 1e9, recordingWallNs > 0 ? 100.0 * recording.totalNs / recordingWallNs : 0, parts);
    }
}
