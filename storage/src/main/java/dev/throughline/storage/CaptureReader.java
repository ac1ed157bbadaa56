package dev.throughline.storage;

import dev.throughline.storage.model.DurationBucket;
import dev.throughline.storage.model.GpuIdleRow;
import dev.throughline.storage.model.FrameSamples;
import dev.throughline.storage.model.GpuRow;
import dev.throughline.storage.model.LatencyRow;
import dev.throughline.storage.model.LossRow;
import dev.throughline.storage.model.NameTotal;
import dev.throughline.storage.model.ProcessInfo;
import dev.throughline.storage.model.QueryResult;
import dev.throughline.storage.model.SliceRecord;
import dev.throughline.storage.model.StepRow;
import dev.throughline.storage.model.TrackInfo;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a closed (or unclean) capture through a read-only connection. Opening checks only the
 * SQLite header, {@code schema_version} and the clean-close flag, so it is instant at any size;
 * reports read the summary tables, never the raw ones.
 */
public final class CaptureReader implements AutoCloseable {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final Connection db;
    private final Map<String, String> meta;
    private final List<String> warnings = new ArrayList<>();

    private CaptureReader(Path file, Connection db, Map<String, String> meta) {
        this.file = file;
        this.db = db;
        this.meta = meta;
    }

    /** Opens a capture, or says exactly why {@code file} is not one this build can read. */
    public static CaptureReader open(Path file) throws CaptureFormatException {
        checkHeader(file);
        Connection db;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setOpenMode(SQLiteOpenMode.READONLY);
            db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new CaptureFormatException(file, "cannot open as SQLite: " + e.getMessage(), e);
        }
        try {
            Map<String, String> meta = readMeta(file, db);
            String versionText = meta.get(CaptureSchema.META_SCHEMA_VERSION);
            if (versionText == null) {
                throw new CaptureFormatException(file, "not a Throughline capture: meta has no schema_version");
            }
            int version;
            try {
                version = Integer.parseInt(versionText.trim());
            } catch (NumberFormatException e) {
                throw new CaptureFormatException(file, "not a Throughline capture: schema_version '" + versionText
                        + "' is not a number");
            }
            if (version > CaptureSchema.CURRENT_VERSION) {
                throw new CaptureFormatException(file, "capture schema version " + version
                        + " is newer than this Throughline reads (version " + CaptureSchema.CURRENT_VERSION
                        + "); open it with a newer Throughline");
            }
            if (version < 1) {
                throw new CaptureFormatException(file, "capture schema version " + version + " is not valid");
            }
            // Version 1 is the first schema: older versions to migrate do not exist yet.
            CaptureReader reader = new CaptureReader(file, db, meta);
            try {
                reader.registerFunctions();
            } catch (SQLException e) {
                throw new CaptureFormatException(file, "cannot register SQL functions: " + e.getMessage(), e);
            }
            if (!"1".equals(meta.get(CaptureSchema.META_CLEAN_CLOSE))) {
                reader.warnings.add(file + ": capture was not closed cleanly (the recording was interrupted);"
                        + " opened read-only, summaries may be missing");
            }
            return reader;
        } catch (CaptureFormatException e) {
            closeQuietly(db);
            throw e;
        }
    }

    private static void checkHeader(Path file) throws CaptureFormatException {
        if (!Files.exists(file)) {
            throw new CaptureFormatException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new CaptureFormatException(file, "not a regular file");
        }
        byte[] head = new byte[SQLITE_MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new CaptureFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new CaptureFormatException(file, "empty file; expected a Throughline capture (SQLite)");
        }
        for (int i = 0; i < SQLITE_MAGIC.length; i++) {
            if (i >= n || head[i] != SQLITE_MAGIC[i]) {
                throw new CaptureFormatException(file, "not a Throughline capture: byte " + i
                        + " differs from the SQLite header 'SQLite format 3'");
            }
        }
    }

    private static Map<String, String> readMeta(Path file, Connection db) throws CaptureFormatException {
        Map<String, String> meta = new LinkedHashMap<>();
        try (Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) {
                if (!rs.next()) {
                    throw new CaptureFormatException(file, "not a Throughline capture: SQLite file without a meta table");
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT key, value FROM meta")) {
                while (rs.next()) {
                    meta.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new CaptureFormatException(file, "cannot read meta: " + e.getMessage(), e);
        }
        return meta;
    }

    public Path file() {
        return file;
    }

    /** Things the user should know about this file (e.g. an unclean close). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public Map<String, String> meta() {
        return Map.copyOf(meta);
    }

    public String meta(String key) {
        return meta.get(key);
    }

    public boolean cleanlyClosed() {
        return "1".equals(meta.get(CaptureSchema.META_CLEAN_CLOSE));
    }

    /** First slice start to last slice end, or 0 when the capture has no slices. */
    public long spanNs() {
        String start = meta.get(CaptureSchema.META_SPAN_START);
        String end = meta.get(CaptureSchema.META_SPAN_END);
        return start == null || end == null ? 0 : Long.parseLong(end) - Long.parseLong(start);
    }

    /** Add to a stored (relative) time to get the capture's absolute clock. */
    public long timeOriginNs() {
        String origin = meta.get(CaptureSchema.META_TIME_ORIGIN);
        return origin == null ? 0 : Long.parseLong(origin);
    }

    public long spanStartNs() {
        String start = meta.get(CaptureSchema.META_SPAN_START);
        return start == null ? 0 : Long.parseLong(start);
    }

    /** Slice count per category (only categories present). */
    public Map<Category, Long> categoryCounts() throws SQLException {
        Map<Category, Long> out = new EnumMap<>(Category.class);
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT category, count FROM summary_category ORDER BY category")) {
            while (rs.next()) {
                out.put(Category.byId(rs.getInt(1)), rs.getLong(2));
            }
        }
        return out;
    }

    /** Total slice time per category. */
    public Map<Category, Long> categoryTotals() throws SQLException {
        Map<Category, Long> out = new EnumMap<>(Category.class);
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT category, total_ns FROM summary_category ORDER BY category")) {
            while (rs.next()) {
                out.put(Category.byId(rs.getInt(1)), rs.getLong(2));
            }
        }
        return out;
    }

    /** The {@code limit} names of a category with the largest total time; ties by name. */
    public List<NameTotal> topNames(Category category, int limit) throws SQLException {
        List<NameTotal> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT s.value, n.count, n.total_ns, n.min_ns, n.max_ns"
                + " FROM summary_name n JOIN string s ON s.id = n.name_id WHERE n.category = ?"
                + " ORDER BY n.total_ns DESC, s.value ASC LIMIT ?")) {
            ps.setInt(1, category.id);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new NameTotal(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    public List<StepRow> steps() throws SQLException {
        List<StepRow> out = new ArrayList<>();
        long o = timeOriginNs();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT t.step, s.value, t.host_start_ns, t.host_dur_ns, t.start_ns, t.end_ns, t.kernel_ns, t.memcpy_ns,"
                        + " t.memset_ns, t.communication_ns, t.runtime_ns, t.dataloader_ns, t.cpu_exec_ns, t.other_ns"
                        + " FROM summary_step t JOIN string s ON s.id = t.name_id ORDER BY t.start_ns, t.step")) {
            while (rs.next()) {
                out.add(new StepRow(rs.getLong(1), rs.getString(2), rs.getLong(3) + o, rs.getLong(4), rs.getLong(5) + o,
                        rs.getLong(6) + o, rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                        rs.getLong(12), rs.getLong(13), rs.getLong(14)));
            }
        }
        return out;
    }

    public List<GpuRow> gpus(String method) throws SQLException {
        List<GpuRow> out = new ArrayList<>();
        long o = timeOriginNs();
        try (PreparedStatement ps = db.prepareStatement("SELECT device, method, window_start_ns, window_end_ns,"
                + " busy_ns, idle_ns, compute_ns, non_compute_ns, exposed_comm_ns, exposed_memcpy_ns"
                + " FROM summary_gpu WHERE method = ? ORDER BY device")) {
            ps.setString(1, method);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new GpuRow(rs.getInt(1), rs.getString(2), rs.getLong(3) + o, rs.getLong(4) + o, rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)));
                }
            }
        }
        return out;
    }

    /**
     * HTA's idle time breakdown per GPU stream, by device then stream. Captures written before the table existed
     * have none: an empty list.
     */
    public List<GpuIdleRow> gpuIdle() throws SQLException {
        List<GpuIdleRow> out = new ArrayList<>();
        if (!hasTable("summary_gpu_idle")) {
            return out;
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT t.device, t.stream,"
                + " SUM(CASE WHEN i.cause = 'host_wait' THEN i.idle_ns END), SUM(CASE WHEN i.cause = 'kernel_wait' THEN i.idle_ns END),"
                + " SUM(CASE WHEN i.cause = 'other' THEN i.idle_ns END), SUM(CASE WHEN i.cause = 'host_wait' THEN i.intervals END),"
                + " SUM(CASE WHEN i.cause = 'kernel_wait' THEN i.intervals END), SUM(CASE WHEN i.cause = 'other' THEN i.intervals END)"
                + " FROM summary_gpu_idle i JOIN track t ON t.id = i.track_id"
                + " GROUP BY i.track_id ORDER BY t.device, t.stream");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new GpuIdleRow(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getInt(6), rs.getInt(7), rs.getInt(8)));
            }
        }
        return out;
    }

    private boolean hasTable(String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Durations of one GPU category in log2 buckets, shortest first (summary_duration). */
    public List<DurationBucket> durationHistogram(Category category) throws SQLException {
        List<DurationBucket> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT upper_ns, count, total_ns FROM summary_duration WHERE category = ? ORDER BY upper_ns")) {
            ps.setInt(1, category.id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DurationBucket(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    public List<LossRow> loss() throws SQLException {
        List<LossRow> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT source, kind, count, example FROM loss ORDER BY source, kind")) {
            while (rs.next()) {
                out.add(new LossRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
            }
        }
        return out;
    }

    public List<LatencyRow> latencies() throws SQLException {
        List<LatencyRow> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT s.value, l.count, l.p50_ns, l.p90_ns, l.p99_ns, l.p999_ns, l.max_ns"
                        + " FROM summary_latency l JOIN string s ON s.id = l.name_id ORDER BY l.count DESC, s.value")) {
            while (rs.next()) {
                out.add(new LatencyRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7)));
            }
        }
        return out;
    }

    public List<ProcessInfo> processes() throws SQLException {
        List<ProcessInfo> out = new ArrayList<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, pid, name, kind, host FROM process ORDER BY id")) {
            while (rs.next()) {
                out.add(new ProcessInfo(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return out;
    }

    public List<TrackInfo> tracks() throws SQLException {
        List<TrackInfo> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT t.id, t.kind, p.pid, p.name, th.tid, th.name, t.device, t.stream, s.value FROM track t"
                        + " LEFT JOIN process p ON p.id = t.process_id LEFT JOIN thread th ON th.id = t.thread_id"
                        + " LEFT JOIN string s ON s.id = t.name_id ORDER BY t.id")) {
            while (rs.next()) {
                Long pid = nullableLong(rs, 3);
                Long tid = nullableLong(rs, 5);
                Long device = nullableLong(rs, 7);
                out.add(new TrackInfo(rs.getInt(1), rs.getString(2), pid, rs.getString(4), tid, rs.getString(6),
                        device == null ? null : device.intValue(), nullableLong(rs, 8), rs.getString(9)));
            }
        }
        return out;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** Streams every slice in id order (the order it was written). */
    public void forEachSlice(Consumer<SliceRecord> sink) throws SQLException {
        List<String> names = cachedStrings();
        long o = timeOriginNs();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT id, track_id, start_ns, dur_ns, name_id, category, correlation_id, args_id FROM slice ORDER BY id")) {
            while (rs.next()) {
                long corr = rs.getLong(7);
                if (rs.wasNull()) {
                    corr = -1;
                }
                sink.accept(new SliceRecord(rs.getLong(1), rs.getInt(2), rs.getLong(3) + o, rs.getLong(4),
                        names.get(rs.getInt(5)), Category.byId(rs.getInt(6)), corr, rs.getLong(8)));
            }
        }
    }

    /** One row of {@link #forEachRequestSlice}. */
    @FunctionalInterface
    public interface RequestSliceVisitor {
        /**
         * @param requestId the slice's {@code request_id} argument, or -1 (GC slices, or none recorded)
         * @param processId the process of the slice's track, or -1
         * @param threadId  the {@code thread} row of the slice's track, or -1
         */
        void accept(Category category, String name, long startNs, long durNs, long requestId, int processId,
                    int threadId);
    }

    /**
     * Every REQUEST, PHASE and GC slice, in one scan of the slice table (there is no index by category), with
     * its {@code request_id} argument decoded in place. Absolute times. For the request-tail analysis; the
     * caller should skip it on captures without requests, as it costs one pass over all slices.
     */
    public void forEachRequestSlice(RequestSliceVisitor visitor) throws SQLException {
        List<String> names = cachedStrings();
        int requestIdKey = names.indexOf("request_id"); // -1 when no slice has one: ids then stay -1
        Map<Integer, int[]> trackOwner = new HashMap<>(); // track → {process, thread}: few, read once
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, process_id, thread_id FROM track")) {
            while (rs.next()) {
                int process = rs.getInt(2);
                process = rs.wasNull() ? -1 : process;
                int thread = rs.getInt(3);
                thread = rs.wasNull() ? -1 : thread;
                trackOwner.put(rs.getInt(1), new int[] {process, thread});
            }
        }
        int[] unknown = {-1, -1};
        long o = timeOriginNs();
        // category, track and name packed into one integer: each column read is a JNI call, and this loop
        // runs once per request and phase (track ids < 2^24, name ids < 2^32: far beyond any capture)
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (s.category << 56) | (s.track_id << 32) | s.name_id, s.start_ns, s.dur_ns, a.data FROM slice s"
                        + " LEFT JOIN arg_set a ON a.id = s.args_id WHERE s.category IN (" + Category.REQUEST.id + ", "
                        + Category.PHASE.id + ", " + Category.GC.id + ")")) {
            while (rs.next()) {
                long packed = rs.getLong(1);
                byte[] args = rs.getBytes(4);
                long requestId = args == null || requestIdKey < 0 ? -1 : ArgCodec.findLong(args, requestIdKey, -1);
                int[] owner = trackOwner.getOrDefault((int) ((packed >>> 32) & 0xFFFFFF), unknown);
                visitor.accept(Category.byId((int) (packed >>> 56)), names.get((int) (packed & 0xFFFFFFFFL)),
                        rs.getLong(2) + o, rs.getLong(3), requestId, owner[0], owner[1]);
            }
        }
    }

    /**
     * CPU samples per leaf frame (self time), most first, ties by name; only the samples of {@code threadIds}
     * ({@code thread} rows), or of every thread when it is empty.
     */
    public List<FrameSamples> selfSamples(Collection<Integer> threadIds) throws SQLException {
        StringBuilder where = new StringBuilder();
        if (!threadIds.isEmpty()) {
            where.append(" WHERE s.thread_id IN (");
            int i = 0;
            for (int id : threadIds) {
                where.append(i++ == 0 ? "" : ",").append(id); // integers from our own rows: no injection
            }
            where.append(')');
        }
        List<FrameSamples> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT n.value, SUM(s.weight) AS w FROM sample s JOIN callsite c ON c.id = s.callsite_id"
                        + " JOIN frame f ON f.id = c.frame_id JOIN string n ON n.id = f.name_id" + where
                        + " GROUP BY n.value ORDER BY w DESC, n.value")) {
            while (rs.next()) {
                out.add(new FrameSamples(rs.getString(1), rs.getLong(2)));
            }
        }
        return out;
    }

    /** All interned strings, indexed by id (index 0 unused). */
    public List<String> strings() throws SQLException {
        List<String> out = new ArrayList<>();
        out.add(null);
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT id, value FROM string ORDER BY id")) {
            while (rs.next()) {
                while (out.size() < rs.getInt(1)) {
                    out.add(null);
                }
                out.add(rs.getString(2));
            }
        }
        return out;
    }

    /** The arguments of one set, in stored order, as a key → value map (Long, Double or String). */
    public Map<String, Object> args(long setId) throws SQLException {
        if (setId <= 0) {
            return new LinkedHashMap<>();
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT data FROM arg_set WHERE id = ?")) {
            ps.setLong(1, setId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? decodeArgs(rs.getBytes(1)) : new LinkedHashMap<>();
            }
        }
    }

    /** Decodes an {@code arg_set.data} blob read by a caller's own query. */
    public Map<String, Object> decodeArgs(byte[] data) throws SQLException {
        List<String> names = cachedStrings();
        return ArgCodec.decode(data, names::get);
    }

    private List<String> stringCache;

    private List<String> cachedStrings() throws SQLException {
        if (stringCache == null) {
            stringCache = strings();
        }
        return stringCache;
    }

    /** SQL function args_json(arg_set.data) → the arguments as a JSON object text. */
    private void registerFunctions() throws SQLException {
        org.sqlite.Function.create(db, "args_json", new org.sqlite.Function() {
            @Override
            protected void xFunc() throws SQLException {
                byte[] data = value_blob(0);
                if (data == null) {
                    result();
                    return;
                }
                result(ArgsJson.toJson(decodeArgs(data)));
            }
        }, 1, org.sqlite.Function.FLAG_DETERMINISTIC);
    }

    /** Runs a user's SQL on the read-only connection; a write fails with SQLite's read-only error. */
    public QueryResult query(String sql, int maxRows) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next() && rows.size() < maxRows) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return new QueryResult(columns, rows);
        }
    }

    /** The connection, read-only, for typed queries that live next to their users (exporters). */
    public Connection connection() {
        return db;
    }

    @Override
    public void close() {
        closeQuietly(db);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to do: read-only
        }
    }
}
