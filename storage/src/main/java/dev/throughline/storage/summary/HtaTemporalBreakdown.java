package dev.throughline.storage.summary;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Holistic Trace Analysis {@code BreakdownAnalysis.get_temporal_breakdown} for one rank (one trace
 * file), reimplemented on primitive arrays.
 *
 * <p>HTA's figures, from {@code idle_time_per_rank} and {@code _get_idle_time_for_kernels}
 * (hta/analyzers/breakdown_analysis.py):
 * <ul>
 * <li>the GPU events are all events with a {@code stream} argument (kernels, memcpys, memsets) of the rank,
 *     on every device of that rank;</li>
 * <li>{@code kernel_time} (the window) runs from the start of the first GPU event to the end of the last;
 *     there is no ProfilerStep window here;</li>
 * <li>{@code idle_time} = window minus the merged time of all GPU events;</li>
 * <li>{@code compute_time} = merged time of the COMPUTATION kernels (see {@link KernelType#classify});</li>
 * <li>{@code non_compute_time} = window - compute - idle, i.e. GPU-busy time not covered by computation.</li>
 * </ul>
 * Which GPU events survive into the trace HTA analyses is decided at load time by
 * {@code Trace._filter_irrelevant_gpu_kernels} (hta/common/trace.py, default
 * {@code include_last_profiler_step=False}): when the trace holds at least two distinct
 * {@code ProfilerStep#N} names, only GPU events whose correlation id matches a host event that starts
 * before the start of the last ProfilerStep are kept (this drops the last, possibly incomplete, step and
 * every GPU event whose launch is not in the trace); otherwise every GPU event is kept.
 *
 * <p>HTA's default JSON parser ({@code trace_parser._parse_trace_dataframe_json}) rounds fractional
 * microsecond timestamps: start up to the next whole microsecond, end down to the previous one; an event
 * shorter than a microsecond can so end before it starts, and HTA's merge
 * ({@code utils.merge_kernel_intervals}) then counts negative time. {@link #compute} reproduces that
 * when asked to; see docs/analysis.md.
 */
public final class HtaTemporalBreakdown {

    /** HTA {@code utils.KernelType}. */
    public enum KernelType {
        COMMUNICATION, MEMORY, COMPUTATION;

        /**
         * HTA {@code utils.get_kernel_type}: communication when the name starts with {@code nccl} or contains
         * {@code gloo:} ({@code is_comm_kernel}); memory when it contains {@code Memcpy} or {@code Memset}
         * ({@code is_memory_kernel}); computation otherwise.
         */
        public static KernelType classify(String name) {
            if (name.startsWith("nccl") || name.contains("gloo:")) {
                return COMMUNICATION;
            }
            if (name.contains("Memcpy") || name.contains("Memset")) {
                return MEMORY;
            }
            return COMPUTATION;
        }
    }

    /** {@code launchStartNs} of a GPU event without a host event of the same correlation id. */
    public static final long UNMATCHED = -1L;

    /**
     * One rank's temporal breakdown, nanoseconds.
     *
     * @param windowStartNs first GPU event start (after the optional microsecond rounding)
     * @param windowEndNs last GPU event end
     * @param idleNs window minus merged GPU time
     * @param computeNs merged time of computation kernels
     * @param nonComputeNs window - compute - idle
     * @param gpuEvents how many GPU events were analysed after the load-time filter
     */
    public record Result(long windowStartNs, long windowEndNs, long idleNs, long computeNs, long nonComputeNs,
                         int gpuEvents) {
        /** HTA's {@code kernel_time}: the window length. */
        public long kernelTimeNs() {
            return windowEndNs - windowStartNs;
        }
    }

    private long[] start = new long[64];
    private long[] end = new long[64];
    private long[] launch = new long[64];
    private byte[] type = new byte[64];
    private int n;

    /**
     * A GPU event of this rank.
     *
     * @param launchStartNs start of the host event with the same correlation id (the runtime or driver
     *     launch call), or {@link #UNMATCHED}
     */
    public void add(KernelType kernelType, long startNs, long endNs, long launchStartNs) {
        if (n == start.length) {
            int cap = n + (n >> 1) + 16;
            start = Arrays.copyOf(start, cap);
            end = Arrays.copyOf(end, cap);
            launch = Arrays.copyOf(launch, cap);
            type = Arrays.copyOf(type, cap);
        }
        start[n] = startNs;
        end[n] = endNs;
        launch[n] = launchStartNs;
        type[n] = (byte) kernelType.ordinal();
        n++;
    }

    /**
     * @param lastProfilerStepStartNs present when the trace has at least two distinct {@code ProfilerStep#N}
     *     names: the latest start among ProfilerStep events without a stream argument (on PyTorch 2.x
     *     traces that includes the {@code gpu_user_annotation} copies). GPU events are then kept only when
     *     matched and launched before it. Empty: no filter.
     * @param roundToMicroseconds reproduce HTA's rounding of fractional-microsecond timestamps (start up,
     *     end down to whole microseconds). A no-op on traces with integer microsecond timestamps, so
     *     passing true matches HTA on every Kineto trace whose timestamps are stored as microseconds x 1000.
     * @return empty when no GPU event is left (HTA itself fails there)
     */
    public Optional<Result> compute(OptionalLong lastProfilerStepStartNs, boolean roundToMicroseconds) {
        long cutoff = lastProfilerStepStartNs.isPresent() ? round(lastProfilerStepStartNs.getAsLong(), true,
                roundToMicroseconds) : 0;
        long[] s = new long[n];
        long[] e = new long[n];
        byte[] t = new byte[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (lastProfilerStepStartNs.isPresent()
                    && (launch[i] < 0 || round(launch[i], true, roundToMicroseconds) >= cutoff)) {
                continue;
            }
            s[m] = round(start[i], true, roundToMicroseconds);
            e[m] = round(end[i], false, roundToMicroseconds);
            t[m] = type[i];
            m++;
        }
        if (m == 0) {
            return Optional.empty();
        }
        int[] order = IndexSort.order(s, e, m); // by start, ties by end descending

        // merge_kernel_intervals over every GPU event: groups, window = first group start .. last group end
        long busy = 0;
        long windowStart = s[order[0]];
        long windowEnd = 0;
        long groupStart = 0;
        long groupEnd = 0;
        long cummax = Long.MIN_VALUE;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            if (k == 0 || s[i] > cummax) {
                if (k > 0) {
                    busy += groupEnd - groupStart;
                }
                groupStart = s[i];
                groupEnd = e[i];
            } else {
                groupEnd = Math.max(groupEnd, e[i]);
            }
            cummax = Math.max(cummax, e[i]);
        }
        busy += groupEnd - groupStart;
        windowEnd = groupEnd;
        long window = windowEnd - windowStart;
        long idle = window - busy;

        // the same merge over computation kernels only
        long compute = 0;
        boolean open = false;
        cummax = Long.MIN_VALUE;
        byte comp = (byte) KernelType.COMPUTATION.ordinal();
        for (int k = 0; k < m; k++) {
            int i = order[k];
            if (t[i] != comp) {
                continue;
            }
            if (!open || s[i] > cummax) {
                if (open) {
                    compute += groupEnd - groupStart;
                }
                groupStart = s[i];
                groupEnd = e[i];
                open = true;
            } else {
                groupEnd = Math.max(groupEnd, e[i]);
            }
            cummax = Math.max(cummax, e[i]);
        }
        if (open) {
            compute += groupEnd - groupStart;
        }
        return Optional.of(new Result(windowStart, windowEnd, idle, compute, window - compute - idle, m));
    }

    /** ceil (start) or floor (end) to a whole microsecond, as HTA's parser does on float timestamps. */
    private static long round(long ns, boolean up, boolean enabled) {
        if (!enabled) {
            return ns;
        }
        return up ? -Math.floorDiv(-ns, 1000L) * 1000L : Math.floorDiv(ns, 1000L) * 1000L;
    }
}
