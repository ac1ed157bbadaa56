package dev.throughline.storage.summary;

import java.util.Arrays;

/**
 * The timeline's level-of-detail buckets of one track, from its slices in start order: per level
 * (bucket width 2^shift ns), per nesting depth, per non-empty bucket {@code [b << shift, (b + 1) << shift)}:
 * the slices that start in it, the busy time inside it (each slice clipped to the bucket), and its longest
 * overlapping slice (whose category and name the timeline draws). A zoomed-out timeline then reads a few
 * thousand bucket rows instead of millions of slices. Depths are computed as the timeline computes them
 * (a stack of open slices, equal starts longest first, capped at {@link #MAX_DEPTH}), so that the two
 * agree when the view switches between buckets and slices. Memory: one open bucket per level and depth.
 */
public final class TimelineLod {
    /** Deeper nesting goes on the last row (as on the timeline). */
    public static final int MAX_DEPTH = 24;
    public static final int MIN_SHIFT = 10;
    public static final int MAX_SHIFT = 40;
    /** Levels are 4× apart: a view picks one whose buckets are 1–4 px wide. */
    public static final int SHIFT_STEP = 2;
    /** Tracks with fewer slices get no levels: reading and merging their slices is cheap at any zoom. */
    public static final long MIN_SLICES = 50_000;
    /**
     * The finest level holds at least this many slices per bucket on average (else it saves little); so a view
     * just too zoomed in for it reads about 2 slices per pixel of its window.
     */
    static final long SLICES_PER_BUCKET = 8;
    /** The coarsest level has at most this many buckets over the track's extent. */
    static final long COARSEST_BUCKETS = 256;

    /** One bucket row, as stored in summary_lod. */
    public record Row(int trackId, int shift, int depth, long bucket, long count, long busyNs, long sliceId,
                      int category, int nameId) {
    }

    /** What summary_track stores for a track; the shifts are -1 when it has no levels. */
    public record TrackSummary(int trackId, long slices, int maxDepth, long maxDurNs, int lodMinShift, int lodMaxShift) {
    }

    /** Receives the rows, per level and depth in bucket order. */
    @FunctionalInterface
    public interface Sink {
        void row(Row row);
    }

    /**
     * The levels {@code {minShift, maxShift}} written for a track of {@code slices} whose starts span
     * {@code extentNs}, or null for none: from the finest with ≥ 8 slices per bucket on average to the
     * first with ≤ 256 buckets.
     */
    public static int[] levels(long slices, long extentNs) {
        if (slices < MIN_SLICES) {
            return null;
        }
        long extent = Math.max(1, extentNs);
        int min = MIN_SHIFT;
        while (min <= MAX_SHIFT && (extent >> min) + 1 > slices / SLICES_PER_BUCKET) {
            min += SHIFT_STEP;
        }
        if (min > MAX_SHIFT) {
            return null;
        }
        int max = min;
        while (max + SHIFT_STEP <= MAX_SHIFT && (extent >> max) > COARSEST_BUCKETS) {
            max += SHIFT_STEP;
        }
        return new int[] {min, max};
    }

    private final int trackId;
    private final int[] shifts;
    private final Sink sink;
    // the stack of open slices (their ends), as TimelineQuery computes depths
    private final long[] ends = new long[MAX_DEPTH + 1];
    private int top;
    // one open bucket per level and depth
    private final boolean[][] open;
    private final long[][] bucket;
    private final long[][] count;
    private final long[][] busy;
    private final long[][] longestId;
    private final long[][] longestDur;
    private final int[][] longestCategory;
    private final int[][] longestName;
    // slices with the same start, ordered longest first before they are placed
    private long[] groupId = new long[8];
    private long[] groupDur = new long[8];
    private int[] groupCategory = new int[8];
    private int[] groupName = new int[8];
    private long groupStart;
    private int groupSize;
    private long slices;
    private int maxDepth;
    private long maxDur;

    /** {@code levels} from {@link #levels}, or null to only count (depth, longest slice) for summary_track. */
    public TimelineLod(int trackId, int[] levels, Sink sink) {
        this.trackId = trackId;
        this.sink = sink;
        if (levels == null) {
            shifts = new int[0];
        } else {
            shifts = new int[(levels[1] - levels[0]) / SHIFT_STEP + 1];
            for (int i = 0; i < shifts.length; i++) {
                shifts[i] = levels[0] + i * SHIFT_STEP;
            }
        }
        int n = shifts.length;
        int d = MAX_DEPTH + 1;
        open = new boolean[n][d];
        bucket = new long[n][d];
        count = new long[n][d];
        busy = new long[n][d];
        longestId = new long[n][d];
        longestDur = new long[n][d];
        longestCategory = new int[n][d];
        longestName = new int[n][d];
    }

    /** Adds a slice; slices must come in start order (any order among equal starts). */
    public void add(long id, long startNs, long durNs, int category, int nameId) {
        if (groupSize > 0 && startNs != groupStart) {
            placeGroup();
        }
        if (groupSize == groupId.length) {
            int n = groupSize * 2;
            groupId = Arrays.copyOf(groupId, n);
            groupDur = Arrays.copyOf(groupDur, n);
            groupCategory = Arrays.copyOf(groupCategory, n);
            groupName = Arrays.copyOf(groupName, n);
        }
        groupStart = startNs;
        groupId[groupSize] = id;
        groupDur[groupSize] = Math.max(0, durNs);
        groupCategory[groupSize] = category;
        groupName[groupSize] = nameId;
        groupSize++;
    }

    /** Emits the open buckets and returns the track's summary. */
    public TrackSummary finish() {
        placeGroup();
        for (int l = 0; l < shifts.length; l++) {
            for (int d = 0; d <= MAX_DEPTH; d++) {
                flush(l, d);
            }
        }
        return new TrackSummary(trackId, slices, maxDepth, maxDur,
                shifts.length == 0 ? -1 : shifts[0], shifts.length == 0 ? -1 : shifts[shifts.length - 1]);
    }

    /** Equal starts: the longest first, so that it is the parent (as ORDER BY start_ns, dur_ns DESC). */
    private void placeGroup() {
        for (int i = 1; i < groupSize; i++) { // insertion sort: groups are tiny
            for (int j = i; j > 0 && groupDur[j] > groupDur[j - 1]; j--) {
                swap(j, j - 1);
            }
        }
        for (int i = 0; i < groupSize; i++) {
            place(groupId[i], groupStart, groupDur[i], groupCategory[i], groupName[i]);
        }
        groupSize = 0;
    }

    private void swap(int a, int b) {
        long id = groupId[a];
        groupId[a] = groupId[b];
        groupId[b] = id;
        long dur = groupDur[a];
        groupDur[a] = groupDur[b];
        groupDur[b] = dur;
        int c = groupCategory[a];
        groupCategory[a] = groupCategory[b];
        groupCategory[b] = c;
        int n = groupName[a];
        groupName[a] = groupName[b];
        groupName[b] = n;
    }

    private void place(long id, long start, long dur, int category, int nameId) {
        while (top > 0 && ends[top - 1] <= start) {
            top--;
        }
        int depth = Math.min(top, MAX_DEPTH);
        if (top <= MAX_DEPTH) {
            ends[depth] = start + dur;
            top = Math.min(top + 1, MAX_DEPTH + 1);
        }
        slices++;
        maxDepth = Math.max(maxDepth, depth);
        maxDur = Math.max(maxDur, dur);
        long end = start + dur;
        for (int l = 0; l < shifts.length; l++) {
            int s = shifts[l];
            long first = start >> s;
            long last = (dur == 0 ? start : end - 1) >> s;
            if (!open[l][depth] || bucket[l][depth] < first) {
                flush(l, depth);
                openAt(l, depth, first);
            }
            count[l][depth]++;
            // a slice over many buckets fills the ones it covers; nothing else at its depth can be there
            for (long b = Math.max(first, bucket[l][depth]); ; b++) {
                long overlap = Math.min(end, (b + 1) << s) - Math.max(start, b << s);
                busy[l][depth] += Math.max(0, overlap);
                if (dur > longestDur[l][depth]) {
                    longestId[l][depth] = id;
                    longestDur[l][depth] = dur;
                    longestCategory[l][depth] = category;
                    longestName[l][depth] = nameId;
                }
                if (b >= last) {
                    break;
                }
                flush(l, depth);
                openAt(l, depth, b + 1);
            }
        }
    }

    private void openAt(int l, int d, long b) {
        open[l][d] = true;
        bucket[l][d] = b;
        count[l][d] = 0;
        busy[l][d] = 0;
        longestId[l][d] = 0;
        longestDur[l][d] = -1;
    }

    private void flush(int l, int d) {
        if (!open[l][d]) {
            return;
        }
        open[l][d] = false;
        // overlapping slices on the capped last depth can add up to more than the bucket
        long b = Math.min(busy[l][d], 1L << shifts[l]);
        sink.row(new Row(trackId, shifts[l], d, bucket[l][d], count[l][d], b, longestId[l][d],
                longestCategory[l][d], longestName[l][d]));
    }
}
