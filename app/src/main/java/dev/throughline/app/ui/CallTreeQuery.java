package dev.throughline.app.ui;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The flame graph's reads, on the capture's db thread: which threads have samples, the callsite and
 * frame tables (once), and the sample weight per callsite for a thread/process and a time range. The
 * per-callsite sum is one GROUP BY in SQLite, so a million samples cost one scan and the Java side only
 * sees one row per distinct stack.
 */
final class CallTreeQuery {
    /** Which samples: all, one process's, or one thread's; optionally only those in [fromNs, toNs) (relative ns). */
    record SampleFilter(Integer processId, Integer threadId, Long fromNs, Long toNs) {
        static final SampleFilter ALL = new SampleFilter(null, null, null, null);

        SampleFilter withRange(Long from, Long to) {
            return new SampleFilter(processId, threadId, from, to);
        }

        SampleFilter withSource(Integer process, Integer thread) {
            return new SampleFilter(process, thread, fromNs, toNs);
        }
    }

    /** An entry of the thread/process selector: a process ({@code threadId} null) or a thread, with its sample count. */
    record Source(Integer processId, Integer threadId, String label, long samples) {
        @Override
        public String toString() {
            return label;
        }
    }

    private CallTreeQuery() {
    }

    static long sampleCount(CaptureSession s) throws SQLException {
        try (Statement st = s.reader().connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sample")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** "All threads", then each process that has samples, each followed by its threads, busiest first. */
    static List<Source> sources(CaptureSession s) throws SQLException {
        List<Source> out = new ArrayList<>();
        long all = 0;
        List<Source> rows = new ArrayList<>();
        try (Statement st = s.reader().connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT t.process_id, s.thread_id, t.tid, t.name, p.pid, p.name, SUM(s.c)"
                     + " FROM (SELECT thread_id, COUNT(*) AS c FROM sample GROUP BY thread_id) s"
                     + " LEFT JOIN thread t ON t.id = s.thread_id LEFT JOIN process p ON p.id = t.process_id"
                     + " GROUP BY s.thread_id ORDER BY p.pid, SUM(s.c) DESC")) {
            Integer lastProcess = null;
            long processSamples = 0;
            int processIndex = -1;
            while (rs.next()) {
                Integer process = (Integer) rs.getObject(1);
                int thread = rs.getInt(2);
                long tid = rs.getLong(3);
                String threadName = rs.getString(4);
                long pid = rs.getLong(5);
                String processName = rs.getString(6);
                long count = rs.getLong(7);
                all += count;
                if (process != null && !process.equals(lastProcess)) {
                    if (processIndex >= 0) {
                        rows.set(processIndex, withSamples(rows.get(processIndex), processSamples));
                    }
                    processIndex = rows.size();
                    processSamples = 0;
                    rows.add(new Source(process, null, "process " + (processName == null ? "" : processName + " ") + pid, 0));
                    lastProcess = process;
                }
                processSamples += count;
                String name = threadName == null || threadName.isBlank() ? "thread" : threadName;
                rows.add(new Source(process, thread, "    " + name + " · tid " + tid + String.format(" (%,d)", count), count));
            }
            if (processIndex >= 0) {
                rows.set(processIndex, withSamples(rows.get(processIndex), processSamples));
            }
        }
        out.add(new Source(null, null, String.format("All threads (%,d samples)", all), all));
        out.addAll(rows);
        return out;
    }

    private static Source withSamples(Source p, long samples) {
        return new Source(p.processId(), null, p.label() + String.format(" — all threads (%,d)", samples), samples);
    }

    /** The callsite and frame tables as arrays (ids are dense: the writer numbers them from 1). */
    static CallTreeBuilder.Callsites callsites(CaptureSession s) throws SQLException {
        Connection c = s.reader().connection();
        List<String> strings = s.strings();
        int maxCallsite = maxId(c, "callsite");
        int maxFrame = maxId(c, "frame");
        int[] parent = new int[maxCallsite + 1];
        int[] frame = new int[maxCallsite + 1];
        int[] depth = new int[maxCallsite + 1];
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, parent_id, frame_id, depth FROM callsite")) {
            while (rs.next()) {
                int id = rs.getInt(1);
                parent[id] = rs.getInt(2); // NULL reads as 0: a root
                frame[id] = rs.getInt(3);
                depth[id] = rs.getInt(4);
            }
        }
        CallTreeBuilder.Frame[] frames = new CallTreeBuilder.Frame[maxFrame + 1];
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name_id, file_id, line FROM frame")) {
            while (rs.next()) {
                int file = rs.getInt(3);
                boolean noFile = rs.wasNull();
                frames[rs.getInt(1)] = new CallTreeBuilder.Frame(string(strings, rs.getInt(2)),
                        noFile ? null : string(strings, file), rs.getInt(4));
            }
        }
        return new CallTreeBuilder.Callsites(parent, frame, depth, frames);
    }

    private static int maxId(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM " + table)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String string(List<String> strings, int id) {
        return id >= 0 && id < strings.size() && strings.get(id) != null ? strings.get(id) : "?";
    }

    /** Summed sample weight per callsite (parallel arrays). */
    record Weights(int[] callsites, long[] weights) {
    }

    /** Sample weight per callsite for {@code filter}, folded into a tree. */
    static CallTree tree(CaptureSession s, CallTreeBuilder builder, SampleFilter filter) throws SQLException {
        Weights w = weights(s, filter);
        return builder.build(w.callsites(), w.weights());
    }

    /** One GROUP BY over {@code sample}: the weight per callsite of the samples that {@code filter} keeps. */
    static Weights weights(CaptureSession s, SampleFilter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT callsite_id, SUM(weight) FROM sample WHERE 1");
        List<Long> params = new ArrayList<>();
        if (filter.threadId() != null) {
            sql.append(" AND thread_id = ?");
            params.add((long) filter.threadId());
        } else if (filter.processId() != null) {
            sql.append(" AND thread_id IN (SELECT id FROM thread WHERE process_id = ?)");
            params.add((long) filter.processId());
        }
        if (filter.fromNs() != null) {
            sql.append(" AND ts_ns >= ? AND ts_ns < ?");
            params.add(filter.fromNs());
            params.add(filter.toNs());
        }
        sql.append(" GROUP BY callsite_id");
        int n = 0;
        int[] callsites = new int[1024];
        long[] weights = new long[1024];
        try (PreparedStatement ps = s.reader().connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setLong(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == callsites.length) {
                        callsites = java.util.Arrays.copyOf(callsites, n * 2);
                        weights = java.util.Arrays.copyOf(weights, n * 2);
                    }
                    callsites[n] = rs.getInt(1);
                    weights[n] = rs.getLong(2);
                    n++;
                }
            }
        }
        return new Weights(java.util.Arrays.copyOf(callsites, n), java.util.Arrays.copyOf(weights, n));
    }
}
