package dev.throughline.storage.summary;

/** Nearest-rank percentiles on exact values: the smallest value with at least p % of values ≤ it. */
public final class Percentiles {
    private Percentiles() {
    }

    /** @param sorted ascending, non-empty */
    public static long nearestRank(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }
}
