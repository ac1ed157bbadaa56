package dev.throughline.app.analysis;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.model.FrameSamples;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CPU samples by leaf frame (self time), for the cpu_hotspot rule, read only for captures with requests (the
 * JVM agent samples running threads; the Python agent's samples are wall-clock stacks): on the request path (the threads that run
 * compute or respond phases) when those threads have samples, else on every thread. Frames where a thread
 * waits rather than runs (park, wait, sleep, poll) are left out of the frames and the total, so a sampler
 * that also catches blocked threads does not make idleness look hot.
 *
 * @param requestPath whether the samples are those of request-path threads only
 * @param total       sample weight counted (waiting frames excluded)
 * @param frames      per leaf frame, most first
 */
public record CpuSamples(boolean requestPath, long total, List<FrameSamples> frames) {
    public static final CpuSamples NONE = new CpuSamples(false, 0, List.of());
    private static final List<String> WAITING = List.of("jdk.internal.misc.Unsafe.park", "sun.misc.Unsafe.park",
            "java.lang.Object.wait", "java.lang.Thread.sleep", "java.lang.Thread.yield", "sun.nio.ch.EPoll.wait",
            "sun.nio.ch.Net.poll", "sun.nio.ch.Net.accept", "sun.nio.ch.SocketDispatcher.read0",
            "java.net.PlainSocketImpl.socketAccept", "java.net.SocketInputStream.socketRead0");

    public static CpuSamples load(CaptureReader reader, Set<Integer> pathThreads) throws SQLException {
        if (!pathThreads.isEmpty()) {
            CpuSamples onPath = of(true, reader.selfSamples(pathThreads));
            if (onPath.total > 0) {
                return onPath;
            }
        }
        return of(false, reader.selfSamples(Set.of()));
    }

    static CpuSamples of(boolean requestPath, List<FrameSamples> all) {
        List<FrameSamples> running = new ArrayList<>();
        long total = 0;
        for (FrameSamples f : all) {
            if (!isWaiting(f.frame())) {
                running.add(f);
                total += f.samples();
            }
        }
        return new CpuSamples(requestPath, total, List.copyOf(running));
    }

    static boolean isWaiting(String frame) {
        for (String w : WAITING) {
            if (frame.startsWith(w)) {
                return true;
            }
        }
        return false;
    }

    public double share(FrameSamples f) {
        return total == 0 ? 0 : f.samples() / (double) total;
    }
}
