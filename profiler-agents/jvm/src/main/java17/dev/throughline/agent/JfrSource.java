package dev.throughline.agent;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * JFR streaming on JDK 17+ (the multi-release twin of the base stub). Sends, as SLICEs:
 * <ul>
 * <li>GC pauses ({@code jdk.GCPhasePause}, named from their collection's {@code jdk.GarbageCollection}):
 *     category 13 gc, {@code GC pause: <cause>}, args gc_id, cause, collector, pause;</li>
 * <li>safepoints (from {@code jdk.SafepointBegin} to its {@code jdk.SafepointEnd}): category 13 gc,
 *     {@code safepoint}, args safepoint_id, threads;</li>
 * <li>thread parks ({@code jdk.ThreadPark} over the threshold): category 12 sync on the parked thread,
 *     {@code park} (or {@code park: <class>}); the agent's and JFR's own threads are left out.</li>
 * </ul>
 * GC pauses and safepoints go on the VM Thread's track (they run there). JFR hands events over ~1 s after they end;
 * times are wall-clock {@link Instant}s, turned into {@link System#nanoTime()} with one offset read at start.
 * Callbacks run on JFR's stream thread, which {@link #close()} ends.
 */
final class JfrSource {
    private static final int GC = 13;
    private static final int SYNC = 12;
    /** Pending entries kept at most this many; a pause whose collection never reports is sent unnamed. */
    private static final int MAX_PENDING = 1024;

    private final Sender out;
    private final ThreadIds threads;
    private final RecordingStream stream;
    private final long offsetNs;
    private final String status;
    private final Map<Long, RecordedEvent> collections = new HashMap<>();
    private final Map<Long, java.util.List<RecordedEvent>> pendingPauses = new HashMap<>();
    private final Map<Long, RecordedEvent> safepointBegins = new HashMap<>();

    private JfrSource(Sender out, ThreadIds threads, RecordingStream stream, String status) {
        this.out = out;
        this.threads = threads;
        this.stream = stream;
        this.status = status;
        Instant now = Instant.now();
        this.offsetNs = System.nanoTime() - (now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    static JfrSource start(Sender out, ThreadIds threads, long parkThresholdNs) {
        RecordingStream rs;
        try {
            rs = new RecordingStream();
        } catch (Throwable t) { // jdk.jfr absent from a jlink-ed runtime, JFR disabled, ...
            return new JfrSource(out, threads, null, "unavailable: " + t);
        }
        JfrSource s = new JfrSource(out, threads, rs, "on");
        try {
            rs.enable("jdk.GarbageCollection");
            rs.enable("jdk.GCPhasePause").withThreshold(Duration.ZERO);
            rs.enable("jdk.SafepointBegin").withThreshold(Duration.ZERO);
            rs.enable("jdk.SafepointEnd").withThreshold(Duration.ZERO);
            rs.enable("jdk.ThreadPark").withThreshold(Duration.ofNanos(parkThresholdNs)).withoutStackTrace();
            rs.setMaxAge(Duration.ofSeconds(10));
            rs.onEvent("jdk.GarbageCollection", s::collection);
            rs.onEvent("jdk.GCPhasePause", s::pause);
            rs.onEvent("jdk.SafepointBegin", s::safepointBegin);
            rs.onEvent("jdk.SafepointEnd", s::safepointEnd);
            rs.onEvent("jdk.ThreadPark", s::park);
            // on a thread of ours, not startAsync's: named like the agent's others, so that its CPU is counted (AgentCpu)
            Thread t = new Thread(() -> {
                try {
                    rs.start(); // returns when the stream is closed
                } catch (Throwable closedBeforeItStarted) {
                    // nothing to say on the host's stderr
                }
            }, "throughline-agent-jfr");
            t.setDaemon(true);
            t.start();
            return s;
        } catch (Throwable t) {
            rs.close();
            return new JfrSource(out, threads, null, "unavailable: " + t);
        }
    }

    String status() {
        return status;
    }

    void close() {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (Throwable ignored) {
            // closing on the way out
        }
        synchronized (this) {
            for (java.util.List<RecordedEvent> pauses : pendingPauses.values()) {
                for (RecordedEvent p : pauses) {
                    sendPause(p, null);
                }
            }
            pendingPauses.clear();
        }
    }

    private long ns(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano() + offsetNs;
    }

    private synchronized void collection(RecordedEvent e) {
        long id = e.getLong("gcId");
        java.util.List<RecordedEvent> pauses = pendingPauses.remove(id);
        if (pauses != null) {
            for (RecordedEvent p : pauses) {
                sendPause(p, e);
            }
        } else {
            bounded(collections);
            collections.put(id, e);
        }
    }

    private synchronized void pause(RecordedEvent p) {
        long id = p.getLong("gcId");
        RecordedEvent gc = collections.get(id);
        if (gc != null) {
            sendPause(p, gc);
        } else {
            if (pendingPauses.size() >= MAX_PENDING) {
                Iterator<java.util.List<RecordedEvent>> it = pendingPauses.values().iterator();
                for (RecordedEvent old : it.next()) {
                    sendPause(old, null);
                }
                it.remove();
            }
            pendingPauses.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(p);
        }
    }

    private void sendPause(RecordedEvent p, RecordedEvent gc) {
        String cause = gc == null ? null : gc.getString("cause");
        String collector = gc == null ? null : gc.getString("name");
        long tid = vmThread(p.getThread());
        out.offer(new Event.Slice(GC, tid, ns(p.getStartTime()), p.getDuration().toNanos(),
                cause == null ? "GC pause" : "GC pause: " + cause,
                "gc_id", p.getLong("gcId"), "cause", cause == null ? "?" : cause,
                "collector", collector == null ? "?" : collector, "pause", String.valueOf(p.getString("name"))));
    }

    private synchronized void safepointBegin(RecordedEvent e) {
        RecordedEvent end = safepointBegins.remove(-e.getLong("safepointId") - 1);
        if (end != null) {
            sendSafepoint(e, end);
        } else {
            bounded(safepointBegins);
            safepointBegins.put(e.getLong("safepointId"), e);
        }
    }

    /** An end that arrives before its begin waits under the negated key. */
    private synchronized void safepointEnd(RecordedEvent e) {
        RecordedEvent begin = safepointBegins.remove(e.getLong("safepointId"));
        if (begin != null) {
            sendSafepoint(begin, e);
        } else {
            bounded(safepointBegins);
            safepointBegins.put(-e.getLong("safepointId") - 1, e);
        }
    }

    private void sendSafepoint(RecordedEvent begin, RecordedEvent end) {
        long start = ns(begin.getStartTime());
        long stop = ns(end.getEndTime());
        out.offer(new Event.Slice(GC, vmThread(begin.getThread()), start, Math.max(0, stop - start), "safepoint",
                "safepoint_id", begin.getLong("safepointId"), "threads", (long) begin.getInt("totalThreadCount")));
    }

    private void park(RecordedEvent e) {
        RecordedThread t = e.getThread();
        if (t == null) {
            return;
        }
        long tid = t.getJavaThreadId();
        String name = t.getJavaName();
        if (tid <= 0 || name == null || name.startsWith("throughline-agent") || name.startsWith("JFR ")) {
            return; // the agent's own waiting is not the program's
        }
        threads.announce(out, tid, name);
        String parked = null;
        try {
            jdk.jfr.consumer.RecordedClass c = e.getClass("parkedClass");
            parked = c == null ? null : c.getName();
        } catch (RuntimeException noField) {
            // older event layouts
        }
        out.offer(new Event.Slice(SYNC, tid, ns(e.getStartTime()), e.getDuration().toNanos(),
                parked == null ? "park" : "park: " + parked.substring(parked.lastIndexOf('.') + 1),
                "parked_class", parked == null ? "-" : parked));
    }

    /** GC and safepoint work happens on the VM Thread, which has no Java id: its OS tid, as stack samples give it. */
    private long vmThread(RecordedThread t) {
        if (t == null) {
            return ThreadIds.OS_TID_BASE;
        }
        if (t.getJavaThreadId() > 0) {
            return t.getJavaThreadId();
        }
        long id = ThreadIds.OS_TID_BASE + t.getOSThreadId();
        threads.announce(out, id, (t.getOSName() == null ? "VM Thread" : t.getOSName()) + " (tid " + t.getOSThreadId() + ")");
        return id;
    }

    private static <V> void bounded(Map<Long, V> m) {
        if (m.size() >= MAX_PENDING) {
            m.remove(m.keySet().iterator().next());
        }
    }
}
