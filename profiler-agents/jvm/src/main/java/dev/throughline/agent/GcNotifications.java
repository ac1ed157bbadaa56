package dev.throughline.agent;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * GC pauses without JFR ({@code jfr=off}): the collectors' {@code GarbageCollectorMXBean} notifications, sent as the
 * same SLICEs as {@link JfrSource}'s pauses (category 13 gc, {@code GC pause: <cause>}, args gc_id, cause, collector,
 * pause), on the VM-thread track. Millisecond resolution (the notification's), one slice per collection of a
 * stop-the-world collector ({@code end of minor GC} / {@code end of major GC}); concurrent cycles are left out.
 * Why it exists: starting JFR in a running JVM makes HotSpot throw away its compiled code (measured: ~1,700 methods
 * made not entrant at once on samples/jvm-serving), and a busy service runs slower until the JIT has compiled it
 * all again; the notifications cost nothing of the kind. Safepoints and parks need JFR.
 */
final class GcNotifications implements NotificationListener {
    private static final int GC = 13;

    /** The track the pauses go on: the notifications do not say which VM thread ran them. */
    static final String TRACK_NAME = "GC (MXBean notifications)";

    private final Sender out;
    private final ThreadIds threads;
    private final long startEpochNs;
    private final long offsetNs;
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    private GcNotifications(Sender out, ThreadIds threads) {
        this.out = out;
        this.threads = threads;
        this.startEpochNs = ManagementFactory.getRuntimeMXBean().getStartTime() * 1_000_000L;
        this.offsetNs = System.nanoTime() - System.currentTimeMillis() * 1_000_000L;
    }

    /** Listens to every collector that emits notifications; {@link #status()} says what runs. */
    static GcNotifications start(Sender out, ThreadIds threads) {
        GcNotifications g = new GcNotifications(out, threads);
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter) {
                ((NotificationEmitter) bean).addNotificationListener(g, null, null);
                g.emitters.add((NotificationEmitter) bean);
            }
        }
        return g;
    }

    String status() {
        return emitters.isEmpty() ? "unavailable: no collector emits notifications"
                : "GC pauses from GarbageCollectorMXBean notifications (ms resolution); no safepoints or parks";
    }

    /** On the JDK's notification thread: one slice per stop-the-world collection. */
    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (!isPause(info.getGcAction())) {
            return;
        }
        GcInfo gc = info.getGcInfo();
        long startNs = startEpochNs + gc.getStartTime() * 1_000_000L + offsetNs;
        threads.announce(out, ThreadIds.OS_TID_BASE, TRACK_NAME);
        String cause = info.getGcCause() == null ? "?" : info.getGcCause();
        out.offer(new Event.Slice(GC, ThreadIds.OS_TID_BASE, startNs, gc.getDuration() * 1_000_000L, "GC pause: " + cause,
                "gc_id", gc.getId(), "cause", cause, "collector", String.valueOf(info.getGcName()),
                "pause", info.getGcAction()));
    }

    /** G1, Parallel and Serial say {@code end of minor GC} / {@code end of major GC}; ZGC and Shenandoah cycles do not. */
    static boolean isPause(String action) {
        return "end of minor GC".equals(action) || "end of major GC".equals(action);
    }

    void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (ListenerNotFoundException gone) {
                // already removed
            }
        }
        emitters.clear();
    }
}
