package dev.throughline.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * One thread id space for the capture: Java thread ids ({@link Thread#getId()}), which the API and JFR report. Stack
 * samples name their thread by OS tid and (kernel-truncated, 15 characters) name; a sample goes to the Java thread of
 * that name when exactly one has it, else to {@code OS_TID_BASE + os tid} (GC, compiler and other VM threads), named
 * from the sample. Refreshed from the control thread only.
 */
final class ThreadIds {
    /** Threads known only by OS tid are given ids from here on, clear of Java thread ids. */
    static final long OS_TID_BASE = 1L << 32;
    private static final int KERNEL_NAME_LENGTH = 15;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, String> named = new HashMap<>();
    /** Full Java name and its 15-character prefix → Java id; -1 when ambiguous. */
    private Map<String, Long> byName = new HashMap<>();

    /** Reads the live threads; sends a THREAD frame for each new or renamed one. */
    synchronized void refresh(Sender out) {
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
        Map<String, Long> names = new HashMap<>();
        for (ThreadInfo t : infos) {
            if (t == null) {
                continue; // ended since getAllThreadIds
            }
            String name = t.getThreadName();
            announce(out, t.getThreadId(), name);
            names.merge(name, t.getThreadId(), (a, b) -> -1L);
            if (name.length() > KERNEL_NAME_LENGTH) {
                names.merge(name.substring(0, KERNEL_NAME_LENGTH), t.getThreadId(), (a, b) -> -1L);
            }
        }
        byName = names;
    }

    /** The capture tid of a sampled thread. */
    synchronized long forSample(Sender out, long osTid, String name) {
        if (name != null) {
            Long id = byName.get(name);
            if (id != null && id >= 0) {
                return id;
            }
        }
        if (osTid < 0) {
            return OS_TID_BASE;
        }
        long id = OS_TID_BASE + osTid;
        announce(out, id, name == null ? "tid " + osTid : name + " (tid " + osTid + ")");
        return id;
    }

    synchronized void announce(Sender out, long tid, String name) {
        if (name != null && !name.equals(named.get(tid)) && out.offerWaiting(new Event.ThreadName(tid, name), 50)) {
            named.put(tid, name);
        }
    }
}
