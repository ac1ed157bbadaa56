package dev.throughline.app.ui;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device-level NVML counters of a capture ({@code gpu0 utilization %}, {@code gpu0 memory used bytes}, as the
 * NVML feed names them), read whole for the Overview's chart: thinned to about {@code pixels} points per counter
 * by {@link CounterQuery#window}, which keeps each pixel's first, min and max.
 */
record GpuCounters(List<Series> utilization, List<Series> memory) {
    private static final Pattern UTILIZATION = Pattern.compile("gpu(\\d+) utilization %");
    private static final Pattern MEMORY = Pattern.compile("gpu(\\d+) memory used bytes");

    /** One counter: its device, name and points (ns from the capture's start). */
    record Series(int device, String name, long[] ts, double[] value) {
    }

    boolean isEmpty() {
        return utilization.isEmpty() && memory.isEmpty();
    }

    /** Which device a counter name is a device-level utilization (or memory) counter of; -1 if it is not one. */
    static int device(Pattern p, String name) {
        Matcher m = p.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    static boolean isUtilization(String name) {
        return device(UTILIZATION, name) >= 0;
    }

    static boolean isMemoryUsed(String name) {
        return device(MEMORY, name) >= 0;
    }

    /** On the capture's db thread. */
    static GpuCounters load(CaptureSession s, long spanNs, int pixels) throws SQLException {
        List<Series> util = new ArrayList<>();
        List<Series> mem = new ArrayList<>();
        double nsPerPixel = Math.max(1, spanNs / (double) Math.max(1, pixels));
        for (CounterQuery.CounterTrack t : CounterQuery.counterTracks(s)) {
            int u = device(UTILIZATION, t.name());
            int m = device(MEMORY, t.name());
            if (u < 0 && m < 0) {
                continue;
            }
            CounterQuery.Series points = CounterQuery.window(s, t, 0, spanNs, nsPerPixel);
            Series series = new Series(Math.max(u, m), t.name(), points.ts(), points.value());
            (u >= 0 ? util : mem).add(series);
        }
        return new GpuCounters(List.copyOf(util), List.copyOf(mem));
    }
}
