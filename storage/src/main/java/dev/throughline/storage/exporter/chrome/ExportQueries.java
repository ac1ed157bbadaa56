package dev.throughline.storage.exporter.chrome;

import dev.throughline.storage.ArgCodec;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The typed queries the Chrome exporter needs, on a capture's read-only connection. Slices and
 * instants are streamed in id order together with their argument set ({@code arg_set.data}, decoded
 * with {@link ArgCodec}), so an export makes one pass over each table.
 */
final class ExportQueries {
    private final Connection db;

    ExportQueries(Connection db) {
        this.db = db;
    }

    record ProcessRow(int id, long pid, String name) {
    }

    record ThreadRow(int id, int processId, long tid, String name) {
    }

    /** A track; absent columns are null. */
    record TrackRow(int id, String kind, Integer processId, Integer threadId, Integer device, Long stream,
                    int nameId) {
    }

    /** Reusable argument list of one event: keys and values (Long, Double or String) in stored order. */
    static final class Args {
        final List<String> keys = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        void clear() {
            keys.clear();
            values.clear();
        }

        int size() {
            return keys.size();
        }

        void fill(Map<String, Object> decoded) {
            for (Map.Entry<String, Object> e : decoded.entrySet()) {
                keys.add(e.getKey());
                values.add(e.getValue());
            }
        }
    }

    interface SliceSink {
        void slice(int trackId, long startNs, long durNs, int nameId, int category, long correlationId, Args args)
                throws java.io.IOException;
    }

    interface InstantSink {
        void instant(int trackId, long tsNs, int nameId, Args args) throws java.io.IOException;
    }

    interface CounterSink {
        void counter(int trackId, long tsNs, double value) throws java.io.IOException;
    }

    interface FlowSink {
        void flow(long flowId, int nameId, int categoryId, int fromTrack, long fromTs, int toTrack, long toTs)
                throws java.io.IOException;
    }

    List<ProcessRow> processes() throws SQLException {
        List<ProcessRow> out = new ArrayList<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, pid, name FROM process ORDER BY id")) {
            while (rs.next()) {
                out.add(new ProcessRow(rs.getInt(1), rs.getLong(2), rs.getString(3)));
            }
        }
        return out;
    }

    List<ThreadRow> threads() throws SQLException {
        List<ThreadRow> out = new ArrayList<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, process_id, tid, name FROM thread ORDER BY id")) {
            while (rs.next()) {
                out.add(new ThreadRow(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getString(4)));
            }
        }
        return out;
    }

    List<TrackRow> tracks() throws SQLException {
        List<TrackRow> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT id, kind, process_id, thread_id, device, stream, name_id FROM track ORDER BY id")) {
            while (rs.next()) {
                out.add(new TrackRow(rs.getInt(1), rs.getString(2), intOrNull(rs, 3), intOrNull(rs, 4),
                        intOrNull(rs, 5), longOrNull(rs, 6), rs.getInt(7)));
            }
        }
        return out;
    }

    /** Interned strings by id (index 0 unused). */
    List<String> strings() throws SQLException {
        List<String> out = new ArrayList<>();
        out.add(null);
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, value FROM string ORDER BY id")) {
            while (rs.next()) {
                int id = rs.getInt(1);
                while (out.size() < id) {
                    out.add(null);
                }
                out.add(rs.getString(2));
            }
        }
        return out;
    }

    void forEachSlice(List<String> strings, SliceSink sink) throws SQLException, java.io.IOException {
        Args args = new Args();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT s.track_id, s.start_ns, s.dur_ns, s.name_id, s.category, s.correlation_id, a.data"
                        + " FROM slice s LEFT JOIN arg_set a ON a.id = s.args_id ORDER BY s.id")) {
            while (rs.next()) {
                long correlation = rs.getLong(6);
                if (rs.wasNull()) {
                    correlation = -1;
                }
                decode(rs.getBytes(7), strings, args);
                sink.slice(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getInt(5), correlation, args);
            }
        }
    }

    void forEachInstant(List<String> strings, InstantSink sink) throws SQLException, java.io.IOException {
        Args args = new Args();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT i.track_id, i.ts_ns, i.name_id, a.data FROM instant i LEFT JOIN arg_set a ON a.id = i.args_id"
                        + " ORDER BY i.rowid")) {
            while (rs.next()) {
                decode(rs.getBytes(4), strings, args);
                sink.instant(rs.getInt(1), rs.getLong(2), rs.getInt(3), args);
            }
        }
    }

    private static void decode(byte[] data, List<String> strings, Args args) {
        args.clear();
        if (data != null && data.length > 0) {
            args.fill(ArgCodec.decode(data, strings::get));
        }
    }

    void forEachCounter(CounterSink sink) throws SQLException, java.io.IOException {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT track_id, ts_ns, value FROM counter ORDER BY rowid")) {
            while (rs.next()) {
                sink.counter(rs.getInt(1), rs.getLong(2), rs.getDouble(3));
            }
        }
    }

    void forEachFlow(FlowSink sink) throws SQLException, java.io.IOException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT flow_id, name_id, category_id,"
                + " from_track_id, from_ts_ns, to_track_id, to_ts_ns FROM flow ORDER BY rowid")) {
            while (rs.next()) {
                sink.flow(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getLong(5), rs.getInt(6),
                        rs.getLong(7)); // NULL reads as 0: "no such end"
            }
        }
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
