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
     * @param gpuEvents how many GPU events were selected
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
     * @param isLinked a {@code cuda_runtime} or {@code cuda_driver} launch with the same correlation id is in
     *     the capture, with the {@code ac2g} flow arrow that TraceLens follows to this event
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
     * @param float64Microseconds compute as TraceLens does, in float64 microseconds (timestamps as Python parses
     *     them from the trace JSON, {@code t_end = ts + dur}, sums left to right), then round each figure to the
     *     nearest nanosecond. On PyTorch 2.x traces (fractional microseconds around 1e12) float64 carries
     *     about 0.2 ns of error per operation, which adds up to some 10 ns over a thousand kernels; pass true to
     *     reproduce TraceLens to the nanosecond, false for exact integer arithmetic. Both are identical on
     *     traces with integer microsecond timestamps. Assumes the stored nanoseconds are the trace's
     *     microseconds times 1000 (true of Kineto JSON, which writes at most three decimals).
     * @return empty when no GPU event is selected (TraceLens raises "No GPU events found in the trace")
     */
    public Optional<Result> compute(boolean includeUnlinked, boolean float64Microseconds) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (includeUnlinked || linked[i]) {
                m++;
            }
        }
        if (m == 0) {
            return Optional.empty();
        }
        int[] sel = new int[m];
        for (int i = 0, k = 0; i < n; i++) {
            if (includeUnlinked || linked[i]) {
                sel[k++] = i;
            }
        }
        return Optional.of(float64Microseconds ? computeFloat64(sel) : computeExact(sel));
    }

    private Result computeExact(int[] sel) {
        IntervalSet.Builder all = new IntervalSet.Builder(sel.length);
        IntervalSet.Builder comp = new IntervalSet.Builder();
        IntervalSet.Builder comm = new IntervalSet.Builder();
        IntervalSet.Builder memcpy = new IntervalSet.Builder();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i : sel) {
            first = Math.min(first, start[i]);
            last = Math.max(last, end[i]);
            all.add(start[i], end[i]);
            builderOf(kind[i], comp, comm, memcpy).add(start[i], end[i]);
        }
        IntervalSet compU = comp.build();
        IntervalSet commU = comm.build();
        IntervalSet memcpyU = memcpy.build();
        long busy = all.build().totalLength();
        long total = last - first;
        long exposedComm = commU.subtract(compU).totalLength();
        long exposedMemcpy = memcpyU.subtract(compU).subtract(commU).totalLength();
        return new Result(first, last, compU.totalLength(), exposedComm, exposedMemcpy, busy, total - busy, total,
                commU.totalLength(), memcpyU.totalLength(), sel.length);
    }

    private static IntervalSet.Builder builderOf(byte k, IntervalSet.Builder comp, IntervalSet.Builder comm,
                                                IntervalSet.Builder memcpy) {
        switch (Kind.values()[k]) {
            case COMPUTATION:
                return comp;
            case COMMUNICATION:
                return comm;
            default:
                return memcpy;
        }
    }

    /**
     * {@code GPUEventAnalyser.compute_metrics_dict} step by step in float64 microseconds. The range algebra
     * is the same as {@link IntervalSet}'s, but it has to run on the float64 end points TraceLens computes
     * ({@code ts + dur} rounds differently from the exact end) and keep its zero-length ranges, whose
     * splitting changes the float sums, so it is done literally here.
     */
    private Result computeFloat64(int[] sel) {
        int m = sel.length;
        double[] ts = new double[m];
        double[] te = new double[m];
        byte[] k = new byte[m];
        for (int j = 0; j < m; j++) {
            int i = sel[j];
            ts[j] = micros(start[i]);
            te[j] = ts[j] + micros(end[i] - start[i]);
            k[j] = kind[i];
        }
        double[][] all = merge(ts, te, k, (byte) -1);
        double[][] comp = merge(ts, te, k, (byte) Kind.COMPUTATION.ordinal());
        double[][] comm = merge(ts, te, k, (byte) Kind.COMMUNICATION.ordinal());
        double[][] memcpy = merge(ts, te, k, (byte) Kind.MEMCPY.ordinal());
        double total = all[1][all[1].length - 1] - all[0][0];
        double compTime = sum(comp);
        double totalComm = sum(comm);
        double exposedComm = sum(subtract(comp, comm));
        double totalMemcpy = sum(memcpy);
        double exposedMemcpy = sum(subtract(comm, subtract(comp, memcpy)));
        double busy = sum(all);
        double idle = total - busy;
        return new Result(nanos(all[0][0]), nanos(all[1][all[1].length - 1]), nanos(compTime), nanos(exposedComm),
                nanos(exposedMemcpy), nanos(busy), nanos(idle), nanos(total), nanos(totalComm), nanos(totalMemcpy),
                m);
    }

    /** The float64 Python's {@code float()} gives for the trace text of {@code ns / 1000} (at most 3 decimals). */
    static double micros(long ns) {
        if (Math.abs(ns) < (1L << 53)) {
            return ns / 1000.0; // both operands exact, IEEE division rounds correctly
        }
        // Epoch microseconds as nanoseconds exceed 2^53. Split: q is exact, r / 1000.0 is off by less than
        // 2^-53, while a 3-decimal value at this magnitude (float64 step >= 2^-10 us) lies at least ~4e-6 from
        // any rounding boundary, so the sum still rounds to the nearest float64 of the decimal.
        long q = Math.floorDiv(ns, 1000L);
        long r = Math.floorMod(ns, 1000L);
        return r == 0 ? (double) q : q + r / 1000.0;
    }

    private static long nanos(double micros) {
        return Math.round(micros * 1000.0);
    }

    /** {@code GPUEventAnalyser.merge_intervals} over the ranges of one kind (all when {@code only < 0}). */
    private static double[][] merge(double[] ts, double[] te, byte[] kind, byte only) {
        int m = 0;
        for (int i = 0; i < ts.length; i++) {
            if (only < 0 || kind[i] == only) {
                m++;
            }
        }
        long[] key = new long[m];
        int[] idx = new int[m];
        for (int i = 0, j = 0; i < ts.length; i++) {
            if (only < 0 || kind[i] == only) {
                key[j] = sortable(ts[i]);
                idx[j] = i;
                j++;
            }
        }
        int[] order = IndexSort.order(key, null, m);
        double[] s = new double[m];
        double[] e = new double[m];
        int n = 0;
        for (int j = 0; j < m; j++) {
            int i = idx[order[j]];
            if (n > 0 && ts[i] <= e[n - 1]) {
                e[n - 1] = Math.max(e[n - 1], te[i]);
            } else {
                s[n] = ts[i];
                e[n] = te[i];
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(s, n), Arrays.copyOf(e, n)};
    }

    /** {@code GPUEventAnalyser.subtract_intervalsA_from_B(a, b)}: b minus a, literally. */
    private static double[][] subtract(double[][] a, double[][] b) {
        double[] as = a[0];
        double[] ae = a[1];
        int aLen = as.length;
        double[] rs = new double[b[0].length + aLen];
        double[] re = new double[rs.length];
        int n = 0;
        int aIdx = 0;
        for (int bi = 0; bi < b[0].length; bi++) {
            double bStart = b[0][bi];
            double bEnd = b[1][bi];
            double current = bStart;
            while (aIdx < aLen && ae[aIdx] <= bStart) {
                aIdx++;
            }
            int t = aIdx;
            while (t < aLen && as[t] < bEnd) {
                if (as[t] > current) {
                    rs[n] = current;
                    re[n] = Math.min(bEnd, as[t]);
                    n++;
                }
                current = Math.max(current, ae[t]);
                if (current >= bEnd) {
                    break;
                }
                t++;
            }
            if (current < bEnd) {
                rs[n] = current;
                re[n] = bEnd;
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(rs, n), Arrays.copyOf(re, n)};
    }

    /** Python {@code sum(end - start for start, end in intervals)}: left to right from 0. */
    private static double sum(double[][] r) {
        double acc = 0;
        for (int i = 0; i < r[0].length; i++) {
            acc += r[1][i] - r[0][i];
        }
        return acc;
    }

    /** A long whose signed order is the order of the double (total order, negatives included). */
    private static long sortable(double d) {
        long bits = Double.doubleToLongBits(d);
        return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
    }
}
