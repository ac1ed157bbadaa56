package dev.throughline.storage.summary;

import java.util.Arrays;
import java.util.Optional;

/**
 * Holistic Trace Analysis {@code BreakdownAnalysis.get_idle_time_breakdown} for one CUDA stream: why the stream sat
 * idle between consecutive GPU events (hta/analyzers/breakdown_analysis.py, {@code _analyze_idle_time_for_stream}).
 *
 * <p>The stream's GPU events (kernels, memcpys, memsets) sorted by start; each event after the first closes one idle
 * interval, {@code start - previous end}, classified by HTA's rules:
 * <ul>
 * <li><b>host wait</b>: the event's launch call (the host event with its correlation id) started after the previous
 *     event ended: the CPU was not enqueuing work fast enough;</li>
 * <li><b>kernel wait</b>: otherwise, a gap shorter than {@code consecutive_kernel_delay} (HTA's default 30 trace units,
 *     i.e. 30 µs on Kineto traces): the overhead of launching back-to-back kernels;</li>
 * <li><b>other</b>: everything else (e.g. waiting on another stream, an event, a sync; or no launch call in the trace).</li>
 * </ul>
 * HTA sums the intervals as they are, so an event that overlaps its predecessor on the same stream contributes a
 * negative interval; so do we. We compute in exact nanoseconds (HTA rounds fractional microseconds first).
 */
public final class HtaIdleBreakdown {
    /** HTA's {@code consecutive_kernel_delay} default: 30 units of its (microsecond) trace timestamps. */
    public static final long CONSECUTIVE_KERNEL_DELAY_NS = 30_000;

    /** {@code launchStartNs} of an event without a launch call in the trace. */
    public static final long UNMATCHED = -1L;

    /** Idle time of one stream by cause, with how many intervals fell in each. */
    public record Result(long hostWaitNs, long kernelWaitNs, long otherNs,
                         int hostWaitIntervals, int kernelWaitIntervals, int otherIntervals) {
        public long idleNs() {
            return hostWaitNs + kernelWaitNs + otherNs;
        }
    }

    private long[] start = new long[64];
    private long[] end = new long[64];
    private long[] launch = new long[64];
    private int n;

    public void add(long startNs, long endNs, long launchStartNs) {
        if (n == start.length) {
            int cap = n + (n >> 1) + 16;
            start = Arrays.copyOf(start, cap);
            end = Arrays.copyOf(end, cap);
            launch = Arrays.copyOf(launch, cap);
        }
        start[n] = startNs;
        end[n] = endNs;
        launch[n] = launchStartNs;
        n++;
    }

    /** Empty when the stream has fewer than two events (no interval to classify). */
    public Optional<Result> compute(long consecutiveKernelDelayNs) {
        if (n < 2) {
            return Optional.empty();
        }
        int[] order = IndexSort.order(start, null, n); // by start, ties in arrival order
        long host = 0;
        long kernel = 0;
        long other = 0;
        int hostN = 0;
        int kernelN = 0;
        int otherN = 0;
        long previousEnd = end[order[0]];
        for (int k = 1; k < n; k++) {
            int i = order[k];
            long interval = start[i] - previousEnd;
            if (launch[i] != UNMATCHED && launch[i] > previousEnd) {
                host += interval;
                hostN++;
            } else if (interval < consecutiveKernelDelayNs) {
                kernel += interval;
                kernelN++;
            } else {
                other += interval;
                otherN++;
            }
            previousEnd = end[i]; // the previous event's end, as HTA's shift(1): not a running maximum
        }
        return Optional.of(new Result(host, kernel, other, hostN, kernelN, otherN));
    }
}
