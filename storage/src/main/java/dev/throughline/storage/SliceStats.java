package dev.throughline.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Running per-category and per-(category, name) totals, kept while slices are ingested and written
 * as summary_category / summary_name at close: a GROUP BY over 10M slices would take seconds.
 */
final class SliceStats {
    private final long[] categoryCount = new long[16];
    private final long[] categoryTotal = new long[16];
    /** key = category id << 32 | name id; value = {count, total, min, max}. */
    private final Map<Long, long[]> byName = new HashMap<>();
    private long firstStart = Long.MAX_VALUE;
    private long lastEnd = Long.MIN_VALUE;

    void add(Category category, int nameId, long startNs, long durNs) {
        categoryCount[category.id]++;
        categoryTotal[category.id] += durNs;
        long key = ((long) category.id << 32) | nameId;
        long[] t = byName.get(key);
        if (t == null) {
            byName.put(key, new long[] {1, durNs, durNs, durNs});
        } else {
            t[0]++;
            t[1] += durNs;
            t[2] = Math.min(t[2], durNs);
            t[3] = Math.max(t[3], durNs);
        }
        span(startNs, startNs + durNs);
    }

    void span(long start, long end) {
        firstStart = Math.min(firstStart, start);
        lastEnd = Math.max(lastEnd, end);
    }

    boolean hasSpan() {
        return firstStart != Long.MAX_VALUE;
    }

    long firstStart() {
        return firstStart;
    }

    long lastEnd() {
        return lastEnd;
    }

    void write(Connection db) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO summary_category(category, count, total_ns) VALUES (?, ?, ?)")) {
            for (int id = 0; id < categoryCount.length; id++) {
                if (categoryCount[id] > 0) {
                    ps.setInt(1, id);
                    ps.setLong(2, categoryCount[id]);
                    ps.setLong(3, categoryTotal[id]);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO summary_name(category, name_id, count, total_ns,"
                + " min_ns, max_ns) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Long, long[]> e : byName.entrySet()) {
                long key = e.getKey();
                long[] t = e.getValue();
                ps.setInt(1, (int) (key >>> 32));
                ps.setInt(2, (int) key);
                ps.setLong(3, t[0]);
                ps.setLong(4, t[1]);
                ps.setLong(5, t[2]);
                ps.setLong(6, t[3]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
