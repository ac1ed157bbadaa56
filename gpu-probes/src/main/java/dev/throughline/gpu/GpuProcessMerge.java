package dev.throughline.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins what NVML's three per-process calls said about one device (compute processes, graphics
 * processes, utilization samples) into one reading per pid. Pure, so it is tested without a driver.
 */
final class GpuProcessMerge {
    /** NVML_VALUE_NOT_AVAILABLE as an unsigned long long: memory the driver does not report. */
    static final long NOT_AVAILABLE = -1L;

    private final Map<Long, long[]> byPid = new TreeMap<>(); // pid -> {kindBits, memory, sm, mem, sampleTsUs}

    private long[] entry(long pid) {
        return byPid.computeIfAbsent(pid, p -> new long[] {0, -1, -1, -1, -1});
    }

    void compute(long pid, long usedMemory) {
        long[] e = entry(pid);
        e[0] |= 1;
        e[1] = Math.max(e[1], usedMemory == NOT_AVAILABLE ? -1 : usedMemory);
    }

    void graphics(long pid, long usedMemory) {
        long[] e = entry(pid);
        e[0] |= 2;
        e[1] = Math.max(e[1], usedMemory == NOT_AVAILABLE ? -1 : usedMemory);
    }

    /** A utilization sample; the newest one per pid wins (NVML returns a window of them). */
    void utilization(long pid, long timestampUs, int smUtil, int memUtil) {
        long[] e = entry(pid);
        if (timestampUs >= e[4]) {
            e[2] = smUtil;
            e[3] = memUtil;
            e[4] = timestampUs;
        }
    }

    /** The newest sample timestamp seen (µs), to ask NVML only for newer ones next time. */
    long newestSampleUs(long previous) {
        long newest = previous;
        for (long[] e : byPid.values()) {
            newest = Math.max(newest, e[4]);
        }
        return newest;
    }

    List<GpuProcessSample> samples(int device, long tsNs) {
        List<GpuProcessSample> out = new ArrayList<>(byPid.size());
        for (Map.Entry<Long, long[]> en : byPid.entrySet()) {
            long[] e = en.getValue();
            String kind = e[0] == 1 ? "compute" : e[0] == 2 ? "graphics" : e[0] == 3 ? "compute+graphics" : "unlisted";
            out.add(new GpuProcessSample(device, tsNs, en.getKey(), kind, e[1], (int) e[2], (int) e[3]));
        }
        return out;
    }
}
