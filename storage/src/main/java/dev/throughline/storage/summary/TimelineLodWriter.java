package dev.throughline.storage.summary;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes summary_track and summary_lod ({@link TimelineLod}) from one ordered pass over slice by
 * (track_id, start_ns). Runs at capture close, after the indexes are built (the pass reads through the
 * slice_track_start index); memory does not grow with the capture. {@link #addTo} adds the tables to a
 * capture written before they existed.
 */
public final class TimelineLodWriter {
    private static final int BATCH = 8192;

    /** What was written, for logs and benchmarks. */
    public record Written(int tracks, long slices, long rows) {
    }

    private TimelineLodWriter() {
    }

    /** Fills summary_track and summary_lod (which must exist and be empty) in the caller's transaction. */
    public static Written write(Connection db) throws SQLException {
        Map<Integer, int[]> levels = new HashMap<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT track_id, COUNT(*), MIN(start_ns), MAX(start_ns) FROM slice GROUP BY track_id")) {
            while (rs.next()) {
                int[] l = TimelineLod.levels(rs.getLong(2), rs.getLong(4) - rs.getLong(3));
                if (l != null) {
                    levels.put(rs.getInt(1), l);
                }
            }
        }
        long[] rows = new long[1];
        int tracks = 0;
        long slices = 0;
        try (PreparedStatement lod = db.prepareStatement("INSERT INTO summary_lod(track_id, shift, depth, bucket, count,"
                + " busy_ns, slice_id, category, name_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement track = db.prepareStatement("INSERT INTO summary_track(track_id, slices, max_depth,"
                     + " max_dur_ns, lod_min_shift, lod_max_shift) VALUES (?, ?, ?, ?, ?, ?)");
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT track_id, id, start_ns, dur_ns, category, name_id FROM slice ORDER BY track_id, start_ns")) {
            TimelineLod.Sink sink = r -> {
                try {
                    lod.setInt(1, r.trackId());
                    lod.setInt(2, r.shift());
                    lod.setInt(3, r.depth());
                    lod.setLong(4, r.bucket());
                    lod.setLong(5, r.count());
                    lod.setLong(6, r.busyNs());
                    lod.setLong(7, r.sliceId());
                    lod.setInt(8, r.category());
                    lod.setInt(9, r.nameId());
                    lod.addBatch();
                    if (++rows[0] % BATCH == 0) {
                        lod.executeBatch();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
            TimelineLod current = null;
            int currentTrack = Integer.MIN_VALUE;
            while (rs.next()) {
                int t = rs.getInt(1);
                if (t != currentTrack) {
                    if (current != null) {
                        writeTrack(track, current.finish());
                        tracks++;
                    }
                    currentTrack = t;
                    current = new TimelineLod(t, levels.get(t), sink);
                }
                current.add(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getInt(5), rs.getInt(6));
                slices++;
            }
            if (current != null) {
                writeTrack(track, current.finish());
                tracks++;
            }
            lod.executeBatch();
            track.executeBatch();
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
        return new Written(tracks, slices, rows[0]);
    }

    private static void writeTrack(PreparedStatement ps, TimelineLod.TrackSummary s) throws SQLException {
        ps.setInt(1, s.trackId());
        ps.setLong(2, s.slices());
        ps.setInt(3, s.maxDepth());
        ps.setLong(4, s.maxDurNs());
        if (s.lodMinShift() < 0) {
            ps.setNull(5, java.sql.Types.INTEGER);
            ps.setNull(6, java.sql.Types.INTEGER);
        } else {
            ps.setInt(5, s.lodMinShift());
            ps.setInt(6, s.lodMaxShift());
        }
        ps.addBatch();
    }

    /**
     * Adds (or rebuilds) summary_track and summary_lod in an existing capture, e.g. one written before they
     * existed; the capture must have its slice_track_start index (every cleanly closed capture has).
     */
    public static Written addTo(Path capture) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + capture.toAbsolutePath())) {
            db.setAutoCommit(false);
            try (Statement st = db.createStatement()) {
                // the same two tables as schema-v1.sql (a capture that has them gets them rebuilt)
                st.execute("DROP TABLE IF EXISTS summary_track");
                st.execute("DROP TABLE IF EXISTS summary_lod");
                st.execute("CREATE TABLE summary_track (track_id INTEGER PRIMARY KEY, slices INTEGER NOT NULL,"
                        + " max_depth INTEGER NOT NULL, max_dur_ns INTEGER NOT NULL, lod_min_shift INTEGER,"
                        + " lod_max_shift INTEGER)");
                st.execute("CREATE TABLE summary_lod (track_id INTEGER NOT NULL, shift INTEGER NOT NULL,"
                        + " depth INTEGER NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL,"
                        + " busy_ns INTEGER NOT NULL, slice_id INTEGER NOT NULL, category INTEGER NOT NULL,"
                        + " name_id INTEGER NOT NULL, PRIMARY KEY (track_id, shift, depth, bucket)) WITHOUT ROWID");
            }
            Written w = write(db);
            db.commit();
            return w;
        }
    }
}
