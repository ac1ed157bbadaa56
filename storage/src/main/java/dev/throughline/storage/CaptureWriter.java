package dev.throughline.storage;

import dev.throughline.storage.summary.SummaryBuilder;
import dev.throughline.storage.summary.TimelineLodWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one capture file. Rows are bulk-loaded with batched prepared inserts into a temporary
 * sibling file (WAL, no indexes); {@link #close()} writes the summaries, builds the indexes and the
 * timeline's level-of-detail tables, runs
 * the integrity check, marks the capture clean, folds the WAL and moves the file into place.
 * {@link #abort()} deletes everything, so a failed import never leaves a half-written capture.
 * Not thread-safe: one producer (an importer or the collector) owns it.
 */
public final class CaptureWriter implements AutoCloseable {
    private static final int BATCH = 8192;
    private static final int COMMIT_EVERY = 1 << 20;

    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private final Connection db;
    private final BatchedInsert insertString;
    private final BatchedInsert insertSlice;
    private final BatchedInsert insertArg;
    private final BatchedInsert insertCounter;
    private final BatchedInsert insertInstant;
    private final BatchedInsert insertFlow;
    private final BatchedInsert insertFrame;
    private final BatchedInsert insertCallsite;
    private final BatchedInsert insertSample;
    private long rowsSinceCommit;

    private final Map<String, Integer> strings = new HashMap<>();
    private final ArgSetCache argSets = new ArgSetCache(); // bounded: unique sets must not grow the heap
    private final ArgCodec argCodec = new ArgCodec();
    private long nextArgSet = 1;
    private long nextSlice = 1;

    private final List<ProcessRow> processes = new ArrayList<>();
    private final List<ThreadRow> threads = new ArrayList<>();
    private final List<TrackRow> tracks = new ArrayList<>();
    private final Map<String, Long> lossCounts = new LinkedHashMap<>();
    private final Map<String, String> lossExamples = new HashMap<>();
    private final Map<String, String> meta = new LinkedHashMap<>();
    private final SliceStats stats = new SliceStats();
    private final SummaryBuilder summaries;
    private boolean closed;

    private CaptureWriter(Path target, boolean overwrite) throws IOException, SQLException {
        this.target = target.toAbsolutePath();
        this.overwrite = overwrite;
        if (!overwrite && Files.exists(this.target)) {
            throw new IOException(target + " already exists (use --force to overwrite)");
        }
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        this.temp = Files.createTempFile(dir, "." + this.target.getFileName() + ".", ".partial");
        this.db = DriverManager.getConnection("jdbc:sqlite:" + temp);
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=OFF");
            st.execute("PRAGMA cache_size=-65536");
            st.execute("PRAGMA temp_store=MEMORY");
        }
        db.setAutoCommit(false);
        CaptureSchema.createTables(db);
        insertString = new BatchedInsert(db, "INSERT INTO string(id, value) VALUES (?, ?)");
        insertSlice = new BatchedInsert(db, "INSERT INTO slice(id, track_id, start_ns, dur_ns, name_id, category, depth,"
                + " parent_id, correlation_id, args_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertArg = new BatchedInsert(db, "INSERT INTO arg_set(id, data) VALUES (?, ?)");
        insertCounter = new BatchedInsert(db, "INSERT INTO counter(track_id, ts_ns, value) VALUES (?, ?, ?)");
        insertInstant = new BatchedInsert(db, "INSERT INTO instant(track_id, ts_ns, name_id, args_id) VALUES (?, ?, ?, ?)");
        insertFlow = new BatchedInsert(db, "INSERT INTO flow(flow_id, name_id, category_id, from_track_id, from_ts_ns,"
                + " to_track_id, to_ts_ns) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insertFrame = new BatchedInsert(db, "INSERT INTO frame(id, name_id, module_id, file_id, line) VALUES (?, ?, NULL, ?, ?)");
        insertCallsite = new BatchedInsert(db, "INSERT INTO callsite(id, parent_id, frame_id, depth) VALUES (?, ?, ?, ?)");
        insertSample = new BatchedInsert(db, "INSERT INTO sample(ts_ns, thread_id, callsite_id, weight) VALUES (?, ?, ?, ?)");
        summaries = new SummaryBuilder(this::trackDevice, id -> tracks.get(id - 1).kind, this::nameOf);
        meta.put(CaptureSchema.META_SCHEMA_VERSION, Integer.toString(CaptureSchema.CURRENT_VERSION));
        meta.put(CaptureSchema.META_TOOL_VERSION, CaptureSchema.TOOL_VERSION);
        meta.put(CaptureSchema.META_CREATED, Instant.now().toString());
        meta.put(CaptureSchema.META_REDACTION, "none");
    }

    /**
     * Starts a capture that will be {@code target} once closed.
     * @param overwrite replace an existing file at close; otherwise an existing target is an error now
     */
    public static CaptureWriter create(Path target, boolean overwrite) throws IOException {
        try {
            return new CaptureWriter(target, overwrite);
        } catch (SQLException e) {
            throw new IOException("cannot create capture " + target + ": " + e.getMessage(), e);
        }
    }

    public Path target() {
        return target;
    }

    // ---- names ---------------------------------------------------------------------------

    /** The id of {@code value} in the string table, adding it on first use. */
    public int string(String value) {
        Integer id = strings.get(value);
        if (id != null) {
            return id;
        }
        int next = strings.size() + 1;
        strings.put(value, next);
        names.add(value);
        try {
            insertString.ps.setInt(1, next);
            insertString.ps.setString(2, value);
            insertString.add();
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
        return next;
    }

    private final List<String> names = new ArrayList<>();

    private String nameOf(int id) {
        return names.get(id - 1);
    }

    // ---- processes, threads, tracks (few; kept in memory, written at close) -------------------

    public int process(long pid, String name) {
        processes.add(new ProcessRow(pid, name));
        return processes.size();
    }

    public void processName(int processId, String name) {
        processes.get(processId - 1).name = name;
    }

    public void processDetails(int processId, String host, String kind, String cmdline, Integer rank) {
        ProcessRow p = processes.get(processId - 1);
        p.host = host;
        p.kind = kind;
        p.cmdline = cmdline;
        p.rank = rank;
    }

    public int thread(int processId, long tid, String name) {
        threads.add(new ThreadRow(processId, tid, name));
        return threads.size();
    }

    public void threadName(int threadId, String name) {
        threads.get(threadId - 1).name = name;
    }

    /** A timeline row. {@code device}/{@code stream} are null for host tracks. */
    public int track(TrackKind kind, Integer processId, Integer threadId, Integer device, Long stream, String name) {
        tracks.add(new TrackRow(kind, processId, threadId, device, stream, name == null ? 0 : string(name)));
        return tracks.size();
    }

    public void trackName(int trackId, String name) {
        tracks.get(trackId - 1).nameId = string(name);
    }

    private int trackDevice(int trackId) {
        Integer d = tracks.get(trackId - 1).device;
        return d == null ? -1 : d;
    }

    // ---- events --------------------------------------------------------------------------

    /** Stores an argument set once per distinct content; returns its id, or 0 for none. */
    public long args(ArgSet set) {
        if (set == null || set.isEmpty()) {
            return 0;
        }
        int n = argCodec.encode(set, this::string);
        long hash = ArgSetCache.hash(argCodec.buffer(), n);
        long existing = argSets.find(argCodec.buffer(), n, hash);
        if (existing != 0) {
            return existing;
        }
        long id = nextArgSet++;
        byte[] blob = argCodec.bytes();
        argSets.put(blob, hash, id);
        try {
            insertArg.ps.setLong(1, id);
            insertArg.ps.setBytes(2, blob);
            insertArg.add();
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
        return id;
    }

    /**
     * Adds a slice and returns its id.
     * @param correlationId launch ⇄ GPU activity link, or -1
     * @param argsId from {@link #args}, or 0
     */
    public long slice(int trackId, long startNs, long durNs, int nameId, Category category, int depth,
                      long parentId, long correlationId, long argsId) {
        long id = nextSlice++;
        try {
            PreparedStatement ps = insertSlice.ps;
            ps.setLong(1, id);
            ps.setInt(2, trackId);
            ps.setLong(3, relative(startNs));
            ps.setLong(4, durNs);
            ps.setInt(5, nameId);
            ps.setInt(6, category.id);
            ps.setInt(7, depth);
            setNullable(ps, 8, parentId > 0 ? parentId : -1);
            setNullable(ps, 9, correlationId);
            setNullable(ps, 10, argsId > 0 ? argsId : -1);
            if (insertSlice.add()) {
                maybeCommit(BATCH);
            }
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
        stats.add(category, nameId, startNs, durNs);
        summaries.accept(trackId, startNs, durNs, nameId, category, correlationId);
        return id;
    }

    private static void setNullable(PreparedStatement ps, int index, long value) throws SQLException {
        if (value < 0) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    public void counter(int trackId, long tsNs, double value) {
        try {
            PreparedStatement ps = insertCounter.ps;
            ps.setInt(1, trackId);
            ps.setLong(2, relative(tsNs));
            ps.setDouble(3, value);
            if (insertCounter.add()) {
                maybeCommit(BATCH);
            }
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
    }

    public void instant(int trackId, long tsNs, int nameId, long argsId) {
        try {
            PreparedStatement ps = insertInstant.ps;
            ps.setInt(1, trackId);
            ps.setLong(2, relative(tsNs));
            ps.setInt(3, nameId);
            setNullable(ps, 4, argsId > 0 ? argsId : -1);
            if (insertInstant.add()) {
                maybeCommit(BATCH);
            }
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
    }

    /** One flow arrow; either end may be unknown (track id 0), e.g. a start with no finish in the file. */
    public void flow(long flowId, int nameId, int categoryNameId, int fromTrack, long fromTs, int toTrack, long toTs) {
        try {
            PreparedStatement ps = insertFlow.ps;
            ps.setLong(1, flowId);
            ps.setInt(2, nameId);
            ps.setInt(3, categoryNameId);
            setNullable(ps, 4, fromTrack > 0 ? fromTrack : -1);
            if (fromTrack > 0) {
                ps.setLong(5, relative(fromTs));
            } else {
                ps.setNull(5, Types.INTEGER);
            }
            setNullable(ps, 6, toTrack > 0 ? toTrack : -1);
            if (toTrack > 0) {
                ps.setLong(7, relative(toTs));
            } else {
                ps.setNull(7, Types.INTEGER);
            }
            if (insertFlow.add()) {
                maybeCommit(BATCH);
            }
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
    }

    /** A stack frame (function, file, line), stored once; returns its id. */
    public int frame(String function, String file, int line) {
        String key = function + '\u0000' + (file == null ? "" : file) + '\u0000' + line;
        Integer id = frames.get(key);
        if (id != null) {
            return id;
        }
        int next = frames.size() + 1;
        frames.put(key, next);
        try {
            PreparedStatement ps = insertFrame.ps;
            ps.setInt(1, next);
            ps.setInt(2, string(function));
            if (file == null) {
                ps.setNull(3, Types.INTEGER);
            } else {
                ps.setInt(3, string(file));
            }
            ps.setInt(4, line);
            insertFrame.add();
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
        return next;
    }

    /** The call-tree node for {@code frameId} called from {@code parentCallsite} (0 = a root), stored once. */
    public int callsite(int parentCallsite, int frameId, int depth) {
        long key = ((long) parentCallsite << 32) | frameId;
        Integer id = callsites.get(key);
        if (id != null) {
            return id;
        }
        int next = callsites.size() + 1;
        callsites.put(key, next);
        try {
            PreparedStatement ps = insertCallsite.ps;
            ps.setInt(1, next);
            if (parentCallsite == 0) {
                ps.setNull(2, Types.INTEGER);
            } else {
                ps.setInt(2, parentCallsite);
            }
            ps.setInt(3, frameId);
            ps.setInt(4, depth);
            insertCallsite.add();
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
        return next;
    }

    /** One CPU/wall sample of a thread (a {@link #thread} id) at the leaf {@code callsiteId}. */
    public void sample(int threadId, long tsNs, int callsiteId, long weight) {
        try {
            PreparedStatement ps = insertSample.ps;
            ps.setLong(1, relative(tsNs));
            ps.setInt(2, threadId);
            ps.setInt(3, callsiteId);
            ps.setLong(4, weight);
            if (insertSample.add()) {
                maybeCommit(BATCH);
            }
        } catch (SQLException e) {
            throw new CaptureWriteException(e);
        }
    }

    private final Map<String, Integer> frames = new HashMap<>();
    private final Map<Long, Integer> callsites = new HashMap<>();

    /** Counts events that a source dropped; {@code example} (first one kept) says what it was. */
    public void loss(String source, String kind, long count, String example) {
        String key = source + '\u0000' + kind;
        lossCounts.merge(key, count, Long::sum);
        if (example != null) {
            lossExamples.putIfAbsent(key, example.length() > 300 ? example.substring(0, 300) + "…" : example);
        }
    }

    public void meta(String key, String value) {
        meta.put(key, value);
    }

    /**
     * Stored times are relative to the first timestamp written (meta {@code time_origin_ns}): epoch-ns
     * values take 8 bytes in SQLite, offsets within a capture 4–6, in the rows and in the indexes.
     */
    private long relative(long absoluteNs) {
        if (!originSet) {
            origin = absoluteNs;
            originSet = true;
        }
        return absoluteNs - origin;
    }

    private long origin;
    private boolean originSet;

    public long sliceCount() {
        return nextSlice - 1;
    }

    private void maybeCommit(int rows) throws SQLException {
        rowsSinceCommit += rows;
        if (rowsSinceCommit >= COMMIT_EVERY) {
            db.commit();
            rowsSinceCommit = 0;
        }
    }

    // ---- finishing -----------------------------------------------------------------------

    /** Writes summaries and indexes, checks integrity, and moves the finished capture into place. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushBatches();
            writeEntities();
            writeLoss();
            meta.put(CaptureSchema.META_TIME_ORIGIN, Long.toString(origin));
            stats.write(db);
            summaries.write(db, origin);
            if (stats.hasSpan()) {
                meta.put(CaptureSchema.META_SPAN_START, Long.toString(stats.firstStart()));
                meta.put(CaptureSchema.META_SPAN_END, Long.toString(stats.lastEnd()));
            }
            writeMeta();
            db.commit();
            CaptureSchema.createIndexes(db);
            db.commit();
            // the timeline's level-of-detail buckets: one ordered pass through the (track, start) index just built
            TimelineLodWriter.write(db);
            db.commit();
            String integrity = integrityCheck();
            if (!"ok".equals(integrity)) {
                throw new IOException("integrity check of " + target + " failed: " + integrity);
            }
            upsertMeta(CaptureSchema.META_INTEGRITY, "ok");
            upsertMeta(CaptureSchema.META_CLEAN_CLOSE, "1");
            db.commit();
            db.setAutoCommit(true);
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA journal_mode=DELETE"); // folds the WAL: one self-contained file
            }
            db.close();
            try {
                // the temp file was created owner-only; a finished capture is an ordinary shareable file
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep its defaults
            }
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            abortQuietly();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot finish capture " + target + ": " + e.getMessage(), e);
        }
    }

    /** Discards the capture: nothing is left behind. */
    public void abort() {
        closed = true;
        abortQuietly();
    }

    private void abortQuietly() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // already failing; the files are removed below
        }
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(Path.of(temp + suffix));
            } catch (IOException ignored) {
                // best effort: a temp file in the target's folder, named .NAME.*.partial
            }
        }
    }

    private void flushBatches() throws SQLException {
        for (BatchedInsert b : List.of(insertString, insertSlice, insertArg, insertCounter, insertInstant, insertFlow,
                insertFrame, insertCallsite, insertSample)) {
            b.flush();
        }
    }

    private void writeEntities() throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO process(id, host, pid, name, kind, cmdline, rank) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < processes.size(); i++) {
                ProcessRow p = processes.get(i);
                ps.setInt(1, i + 1);
                ps.setString(2, p.host);
                ps.setLong(3, p.pid);
                ps.setString(4, p.name);
                ps.setString(5, p.kind);
                ps.setString(6, p.cmdline);
                if (p.rank == null) {
                    ps.setNull(7, Types.INTEGER);
                } else {
                    ps.setInt(7, p.rank);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO thread(id, process_id, tid, name) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < threads.size(); i++) {
                ThreadRow t = threads.get(i);
                ps.setInt(1, i + 1);
                ps.setInt(2, t.processId);
                ps.setLong(3, t.tid);
                ps.setString(4, t.name);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO track(id, kind, process_id, thread_id, device, stream, name_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < tracks.size(); i++) {
                TrackRow t = tracks.get(i);
                ps.setInt(1, i + 1);
                ps.setString(2, t.kind.label);
                setInteger(ps, 3, t.processId);
                setInteger(ps, 4, t.threadId);
                setInteger(ps, 5, t.device);
                if (t.stream == null) {
                    ps.setNull(6, Types.INTEGER);
                } else {
                    ps.setLong(6, t.stream);
                }
                if (t.nameId == 0) {
                    ps.setNull(7, Types.INTEGER);
                } else {
                    ps.setInt(7, t.nameId);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        insertString.flush(); // track names interned above
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private void writeLoss() throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO loss(source, kind, count, example) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, Long> e : lossCounts.entrySet()) {
                int cut = e.getKey().indexOf('\u0000');
                ps.setString(1, e.getKey().substring(0, cut));
                ps.setString(2, e.getKey().substring(cut + 1));
                ps.setLong(3, e.getValue());
                ps.setString(4, lossExamples.get(e.getKey()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeMeta() throws SQLException {
        for (Map.Entry<String, String> e : meta.entrySet()) {
            upsertMeta(e.getKey(), e.getValue());
        }
    }

    private void upsertMeta(String key, String value) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    private String integrityCheck() throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                if (out.length() > 0) {
                    out.append("; ");
                }
                out.append(rs.getString(1));
            }
            return out.toString();
        }
    }

    private static final class ProcessRow {
        final long pid;
        String name;
        String host;
        String kind;
        String cmdline;
        Integer rank;

        ProcessRow(long pid, String name) {
            this.pid = pid;
            this.name = name;
        }
    }

    private static final class ThreadRow {
        final int processId;
        final long tid;
        String name;

        ThreadRow(int processId, long tid, String name) {
            this.processId = processId;
            this.tid = tid;
            this.name = name;
        }
    }

    private static final class TrackRow {
        final TrackKind kind;
        final Integer processId;
        final Integer threadId;
        final Integer device;
        final Long stream;
        int nameId;

        TrackRow(TrackKind kind, Integer processId, Integer threadId, Integer device, Long stream, int nameId) {
            this.kind = kind;
            this.processId = processId;
            this.threadId = threadId;
            this.device = device;
            this.stream = stream;
            this.nameId = nameId;
        }
    }

    /** A prepared insert whose rows are sent to SQLite in batches of {@link #BATCH}. */
    private static final class BatchedInsert {
        final PreparedStatement ps;
        private int pending;

        BatchedInsert(Connection db, String sql) throws SQLException {
            ps = db.prepareStatement(sql);
        }

        /** Adds the row bound on {@link #ps}; true when that filled a batch and it was executed. */
        boolean add() throws SQLException {
            ps.addBatch();
            if (++pending < BATCH) {
                return false;
            }
            flush();
            return true;
        }

        void flush() throws SQLException {
            ps.executeBatch();
            pending = 0;
        }
    }
}
