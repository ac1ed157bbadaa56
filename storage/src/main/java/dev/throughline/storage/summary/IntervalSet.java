package dev.throughline.storage.summary;

import java.util.Arrays;

/**
 * An immutable set of half-open time ranges {@code [start, end)} in nanoseconds, kept normalized:
 * sorted, pairwise disjoint, never touching, never empty. The one range algebra that the three
 * time-accounting summaries ({@link StepBreakdownCalculator}, {@link HtaTemporalBreakdown},
 * {@link TraceLensGpuTimeline}) share.
 *
 * <p>Normalizing follows the merge rule of every tool we mirror: ranges that overlap <em>or touch</em>
 * become one (torch_tb_profiler {@code range_utils.merge_ranges}: {@code src.start <= last.end};
 * HTA {@code utils.merge_kernel_intervals}: a new group only when {@code ts > cummax(end)};
 * TraceLens {@code GPUEventAnalyser.merge_intervals}: {@code start <= last_end}). Empty and
 * inverted ranges contribute no time in any of those tools' sums, so they are dropped here.
 *
 * <p>Everything is primitive: a million ranges cost two {@code long[]} of a million each.
 */
public final class IntervalSet {
    public static final IntervalSet EMPTY = new IntervalSet(new long[0], new long[0], 0);

    private final long[] starts;
    private final long[] ends;
    private final int size;
    /** prefix[i] = total length of ranges [0, i); built on first {@link #lengthWithin} call. */
    private long[] prefix;

    private IntervalSet(long[] starts, long[] ends, int size) {
        this.starts = starts;
        this.ends = ends;
        this.size = size;
    }

    /**
     * The union of {@code n} ranges given in any order, overlapping or not. Ranges with
     * {@code end <= start} are ignored. The input arrays are not modified.
     *
     * <p>The union of ranges depends only on the multiset of starts and the multiset of ends (a point
     * is covered while more starts than ends lie at or before it), so both are sorted independently
     * with the primitive {@link Arrays#sort(long[])} and swept once; at equal times starts go first,
     * which merges touching ranges.
     */
    public static IntervalSet union(long[] rangeStarts, long[] rangeEnds, int n) {
        long[] s = new long[n];
        long[] e = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (rangeEnds[i] > rangeStarts[i]) {
                s[m] = rangeStarts[i];
                e[m] = rangeEnds[i];
                m++;
            }
        }
        if (m == 0) {
            return EMPTY;
        }
        Arrays.sort(s, 0, m);
        Arrays.sort(e, 0, m);
        long[] outS = new long[m];
        long[] outE = new long[m];
        int k = 0;
        int i = 0;
        int j = 0;
        int open = 0;
        long openedAt = 0;
        while (i < m) {
            if (s[i] <= e[j]) {
                if (open == 0) {
                    openedAt = s[i];
                }
                open++;
                i++;
            } else {
                open--;
                if (open == 0) {
                    outS[k] = openedAt;
                    outE[k] = e[j];
                    k++;
                }
                j++;
            }
        }
        // All starts consumed: the last run is still open and closes at the largest end.
        outS[k] = openedAt;
        outE[k] = e[m - 1];
        k++;
        return new IntervalSet(outS, outE, k);
    }

    /** A set from literal pairs {@code s0, e0, s1, e1, ...} in any order (tests, small inputs). */
    public static IntervalSet of(long... pairs) {
        if ((pairs.length & 1) != 0) {
            throw new IllegalArgumentException("need start,end pairs");
        }
        int n = pairs.length / 2;
        long[] s = new long[n];
        long[] e = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = pairs[2 * i];
            e[i] = pairs[2 * i + 1];
        }
        return union(s, e, n);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long start(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i + " >= " + size);
        }
        return starts[i];
    }

    public long end(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i + " >= " + size);
        }
        return ends[i];
    }

    /** Sum of the lengths of the ranges (they are disjoint, so this is the covered time). */
    public long totalLength() {
        long t = 0;
        for (int i = 0; i < size; i++) {
            t += ends[i] - starts[i];
        }
        return t;
    }

    /** This set joined with another. */
    public IntervalSet union(IntervalSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        long[] s = new long[size + other.size];
        long[] e = new long[size + other.size];
        System.arraycopy(starts, 0, s, 0, size);
        System.arraycopy(other.starts, 0, s, size, other.size);
        System.arraycopy(ends, 0, e, 0, size);
        System.arraycopy(other.ends, 0, e, size, other.size);
        return union(s, e, s.length);
    }

    /**
     * The time covered by both sets. Two-pointer walk, linear; the same result as torch_tb_profiler
     * {@code range_utils.intersection_ranges_lists} on merged inputs (that function also emits
     * zero-length pieces, which carry no time).
     */
    public IntervalSet intersect(IntervalSet other) {
        if (isEmpty() || other.isEmpty()) {
            return EMPTY;
        }
        Buf out = new Buf(Math.max(size, other.size));
        int i = 0;
        int j = 0;
        while (i < size && j < other.size) {
            long s = Math.max(starts[i], other.starts[j]);
            long e = Math.min(ends[i], other.ends[j]);
            if (s < e) {
                out.add(s, e);
            }
            if (ends[i] < other.ends[j]) {
                i++;
            } else {
                j++;
            }
        }
        return out.toSet();
    }

    /**
     * The time covered by this set and not by {@code other}: torch_tb_profiler
     * {@code range_utils.subtract_ranges_lists(this, other)}, TraceLens
     * {@code GPUEventAnalyser.subtract_intervalsA_from_B(other, this)}.
     */
    public IntervalSet subtract(IntervalSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        Buf out = new Buf(size + other.size);
        int j = 0;
        for (int i = 0; i < size; i++) {
            long cur = starts[i];
            long end = ends[i];
            while (j < other.size && other.ends[j] <= cur) {
                j++;
            }
            int k = j;
            while (k < other.size && other.starts[k] < end) {
                if (other.starts[k] > cur) {
                    out.add(cur, other.starts[k]);
                }
                cur = Math.max(cur, other.ends[k]);
                if (cur >= end) {
                    break;
                }
                k++;
            }
            if (cur < end) {
                out.add(cur, end);
            }
        }
        return out.toSet();
    }

    /**
     * Length of this set inside {@code [from, to)}: {@code get_ranges_sum(intersection_ranges_lists([step], set))}
     * in O(log n), via binary search and prefix sums. 0 when {@code to <= from}.
     */
    public long lengthWithin(long from, long to) {
        if (to <= from || size == 0) {
            return 0;
        }
        long[] p = prefix;
        if (p == null) {
            p = new long[size + 1];
            for (int i = 0; i < size; i++) {
                p[i + 1] = p[i] + (ends[i] - starts[i]);
            }
            prefix = p;
        }
        int lo = firstEndAfter(from);
        int hi = firstStartAtOrAfter(to) - 1;
        if (lo > hi) {
            return 0;
        }
        long sum = p[hi + 1] - p[lo];
        sum -= Math.max(0, from - starts[lo]);
        sum -= Math.max(0, ends[hi] - to);
        return sum;
    }

    /** Smallest i with ends[i] > t (size when none). */
    private int firstEndAfter(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] > t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Smallest i with starts[i] >= t (size when none). */
    private int firstStartAtOrAfter(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] >= t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The ranges as {@code s0, e0, s1, e1, ...} (tests, debugging). */
    public long[] toPairs() {
        long[] out = new long[2 * size];
        for (int i = 0; i < size; i++) {
            out[2 * i] = starts[i];
            out[2 * i + 1] = ends[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntervalSet other && Arrays.equals(toPairs(), other.toPairs());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toPairs());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("IntervalSet[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append('[').append(starts[i]).append(", ").append(ends[i]).append(')');
        }
        return b.append(']').toString();
    }

    /** Accumulates raw ranges without boxing; {@link #build()} normalizes them. */
    public static final class Builder {
        private long[] s;
        private long[] e;
        private int n;

        public Builder() {
            this(16);
        }

        public Builder(int capacity) {
            s = new long[Math.max(4, capacity)];
            e = new long[s.length];
        }

        public Builder add(long start, long end) {
            if (n == s.length) {
                int cap = n + (n >> 1) + 16;
                s = Arrays.copyOf(s, cap);
                e = Arrays.copyOf(e, cap);
            }
            s[n] = start;
            e[n] = end;
            n++;
            return this;
        }

        public int count() {
            return n;
        }

        public IntervalSet build() {
            return union(s, e, n);
        }
    }

    /** Output buffer for already-normalized pieces (sorted, disjoint, non-touching). */
    private static final class Buf {
        long[] s;
        long[] e;
        int n;

        Buf(int capacity) {
            s = new long[Math.max(4, capacity)];
            e = new long[s.length];
        }

        void add(long start, long end) {
            if (n == s.length) {
                int cap = n + (n >> 1) + 16;
                s = Arrays.copyOf(s, cap);
                e = Arrays.copyOf(e, cap);
            }
            s[n] = start;
            e[n] = end;
            n++;
        }

        IntervalSet toSet() {
            return n == 0 ? EMPTY : new IntervalSet(s, e, n);
        }
    }
}
