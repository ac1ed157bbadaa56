package dev.throughline.storage.summary;

import java.util.Arrays;
import java.util.Optional;

/**
 * TraceLens's {@code gpu_timeline} sheet ({@code TreePerfAnalyzer.get_df_gpu_timeline} feeding
 * {@code GPUEventAnalyser.compute_metrics}, AMD-AGI/TraceLens TraceLens/TreePerf), reimplemented on
 * primitive arrays.
 *
 * <ul>
 * <li>GPU events: categories {@code kernel}, {@code gpu_memcpy}, {@code gpu_memset}, of every device together
 *     (the PyTorch analyser does not split by device). By default only events linked into the call tree are
 *     used ({@code include_unlinked_kernels=False}): those a {@code cuda_runtime}/{@code cuda_driver} launch
 *     reaches through its correlation id ({@code TraceToTree.add_gpu_ops_to_tree}). In practice that drops
 *     the GPU work whose launch happened before the profiler started, which is why on a one-step capture
 *     the window coincides with the GPU-side {@code ProfilerStep} annotation.</li>
 * <li>Classes ({@code get_gpu_event_lists}): memcpy = {@code gpu_memcpy}; communication = a kernel or memset
 *     whose name contains {@code nccl} or {@code deep_ep}; computation = every other kernel <em>and memset</em>.</li>
 * <li>{@code compute_metrics_dict}: total = end of the last event - start of the first; busy = merged time of
 *     all; computation = merged computation; exposed comm = communication not under computation; exposed
 *     memcpy = memcpy under neither computation nor communication; idle = total - busy. So computation +
 *     exposed comm + exposed memcpy + idle = total.</li>
 * </ul>
 */
public final class TraceLensGpuTimeline {

    /** TraceLens's event classes. */
    public enum Kind {
        COMPUTATION, COMMUNICATION, MEMCPY;

        /**
         * {@code GPUEventAnalyser.get_gpu_event_lists}.
         *
         * @param isMemcpy the event's category is {@code gpu_memcpy} (else {@code kernel} or {@code gpu_memset})
         */
        public static Kind classify(boolean isMemcpy, String name) {
            if (isMemcpy) {
                return MEMCPY;
            }
            return name.contains("nccl") || name.contains("deep_ep") ? COMMUNICATION : COMPUTATION;
        }
    }

    /**
     * TraceLens's figures, nanoseconds ({@code compute_metrics_dict} keys in parentheses).
     *
     * @param windowStartNs start of the first GPU event
     * @param windowEndNs end of the last GPU event
     * @param computationNs ({@code computation_time})
     * @param exposedCommNs ({@code exposed_comm_time})
     * @param exposedMemcpyNs ({@code exposed_memcpy_time})
     * @param busyNs ({@code busy_time})
     * @param idleNs ({@code idle_time})
     * @param totalNs ({@code total_time})
     * @param totalCommNs ({@code total_comm_time})
     * @param totalMemcpyNs ({@code total_memcpy_time})
     */
    public record Result(long windowStartNs, long windowEndNs, long computationNs, long exposedCommNs,
                         long exposedMemcpyNs, long busyNs, long idleNs, long totalNs, long totalCommNs,
                         long totalMemcpyNs, int gpuEvents) {
    }

    private long[] start = new long[64];
    private long[] end = new long[64];
    private byte[] kind = new byte[64];
    private boolean[] linked = new boolean[64];
    private int n;

    /**
     * A GPU event.
     *
     * @param isLinked a {@code cuda_runtime} or {@code cuda_driver} call with the same correlation id is in
     *     the capture (the launch TraceLens links it to)
     */
    public void add(Kind k, long startNs, long endNs, boolean isLinked) {
        if (n == start.length) {
            int cap = n + (n >> 1) + 16;
            start = Arrays.copyOf(start, cap);
            end = Arrays.copyOf(end, cap);
            kind = Arrays.copyOf(kind, cap);
            linked = Arrays.copyOf(linked, cap);
        }
        start[n] = startNs;
        end[n] = endNs;
        kind[n] = (byte) k.ordinal();
        linked[n] = isLinked;
        n++;
    }

    /**
     * @param includeUnlinked TraceLens's {@code include_unlinked_kernels} (false by default there; true is what
     *     its docs advise for GPU-only traces)
     * @return empty when no GPU event is selected (TraceLens raises "No GPU events found in the trace")
     */
    public Optional<Result> compute(boolean includeUnlinked) {
        IntervalSet.Builder all = new IntervalSet.Builder(n);
        IntervalSet.Builder comp = new IntervalSet.Builder();
        IntervalSet.Builder comm = new IntervalSet.Builder();
        IntervalSet.Builder memcpy = new IntervalSet.Builder();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int used = 0;
        for (int i = 0; i < n; i++) {
            if (!includeUnlinked && !linked[i]) {
                continue;
            }
            used++;
            first = Math.min(first, start[i]);
            last = Math.max(last, end[i]);
            all.add(start[i], end[i]);
            switch (Kind.values()[kind[i]]) {
                case COMPUTATION -> comp.add(start[i], end[i]);
                case COMMUNICATION -> comm.add(start[i], end[i]);
                case MEMCPY -> memcpy.add(start[i], end[i]);
                default -> throw new IllegalStateException();
            }
        }
        if (used == 0) {
            return Optional.empty();
        }
        IntervalSet compU = comp.build();
        IntervalSet commU = comm.build();
        IntervalSet memcpyU = memcpy.build();
        long busy = all.build().totalLength();
        long total = last - first;
        long exposedComm = commU.subtract(compU).totalLength();
        long exposedMemcpy = memcpyU.subtract(compU).subtract(commU).totalLength();
        return Optional.of(new Result(first, last, compU.totalLength(), exposedComm, exposedMemcpy, busy,
                total - busy, total, commU.totalLength(), memcpyU.totalLength(), used));
    }
}
