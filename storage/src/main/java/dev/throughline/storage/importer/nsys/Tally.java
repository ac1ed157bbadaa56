package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.importer.ImportProgress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an import has read and written so far: every row of an event table is counted once in
 * {@link #events} and ends up as exactly one of a slice, an instant, a counter point, a consumed
 * metadata row, or a loss. Also the span of the timestamps seen, and the progress callback.
 */
final class Tally {
    private static final int PROGRESS_EVERY = 1 << 16;

    long events;
    long slices;
    long instants;
    long counterPoints;
    long metadata;
    long firstTs = Long.MAX_VALUE;
    long lastEnd = Long.MIN_VALUE;
    final Map<String, long[]> loss = new LinkedHashMap<>();
    final Map<String, String> lossExamples = new LinkedHashMap<>();

    private final ImportProgress progress;
    private final long fileSize;
    private final long expectedRows;
    private long nextReport = PROGRESS_EVERY;

    Tally(ImportProgress progress, long fileSize, long expectedRows) {
        this.progress = progress;
        this.fileSize = fileSize;
        this.expectedRows = Math.max(1, expectedRows);
    }

    /** One more row of an event table read; tells the progress callback every ~64k rows. */
    void row() {
        if (++events >= nextReport) {
            nextReport = events + PROGRESS_EVERY;
            report();
        }
    }

    /** {@code n} rows read at once (consumed without a row-by-row loop). */
    void rows(long n) {
        events += n;
        if (events >= nextReport) {
            nextReport = events + PROGRESS_EVERY;
            report();
        }
    }

    void report() {
        // SQLite does not say how far into the file a query is: the share of the rows read stands for it
        long done = events >= expectedRows ? fileSize : (long) (fileSize * (events / (double) expectedRows));
        progress.update(done, fileSize, events);
    }

    void span(long start, long end) {
        if (start < firstTs) {
            firstTs = start;
        }
        if (end > lastEnd) {
            lastEnd = end;
        }
    }

    void lose(String kind, long count, String example) {
        if (count <= 0) {
            return;
        }
        long[] n = loss.get(kind);
        if (n == null) {
            loss.put(kind, new long[] {count});
            if (example != null) {
                lossExamples.put(kind, example);
            }
        } else {
            n[0] += count;
        }
    }

    void lose(String kind, String example) {
        lose(kind, 1, example);
    }

    long lost() {
        long sum = 0;
        for (long[] n : loss.values()) {
            sum += n[0];
        }
        return sum;
    }
}
