package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.ArgSet;
import dev.throughline.storage.Category;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Host-side call tables, each on its own row of the calling thread, nested by time:
 * <ul>
 * <li>{@code CUPTI_ACTIVITY_KIND_RUNTIME} → {@code cuda_api} slices on "CUDA API". The table holds
 * runtime calls (eventClass 0), driver calls (1, arg {@code cat=cuda_driver}) and, where backtraces were
 * collected, a backtrace record per call (eventClass 67, TRACE_PROCESS_EVENT_CUDABACKTRACE) that repeats
 * the call's thread and correlation id around a slightly wider interval. A backtrace record is not a call:
 * it is folded into its call as arg {@code backtrace} (the frames, innermost first) and counted as a
 * consumed metadata row; one without a call is kept as a call of its own. Runtime names lose CUPTI's
 * version suffix ({@code cudaMemcpy_v3020} → {@code cudaMemcpy}, the name Kineto and the backtrace
 * records use; arg {@code cuptiName} keeps the original).</li>
 * <li>{@code OSRT_API} → {@code user} slices on "OS runtime" (arg {@code cat=osrt}); {@code CUBLAS_EVENTS},
 * {@code CUDNN_EVENTS} likewise ({@code cat=cublas} / {@code cudnn}); {@code PROFILER_OVERHEAD} → "profiler
 * overhead" ({@code cat=nsys_overhead}), so the tool's own perturbation is visible.</li>
 * </ul>
 */
final class HostCallImport extends TableImport {
    static final String RUNTIME = "CUPTI_ACTIVITY_KIND_RUNTIME";
    private static final Pattern VERSION_SUFFIX = Pattern.compile("_v\\d{4,}$");
    private static final int MAX_FRAMES = 32;

    private final Nesting nesting = new Nesting();
    private final ArgSet args = new ArgSet();

    HostCallImport(Context c) {
        super(c);
    }

    void run() throws SQLException {
        cudaApi();
        ranges("OSRT_API", "OS runtime", "osrt", "OSRT_CALLCHAINS");
        ranges("CUBLAS_EVENTS", "cuBLAS", "cublas", null);
        ranges("CUDNN_EVENTS", "cuDNN", "cudnn", null);
        ranges("PROFILER_OVERHEAD", "profiler overhead", "nsys_overhead", null);
    }

    /**
     * The calls, in start order. Query columns: 1 start, 2 end, 3 eventClass, 4 globalTid, 5 correlationId,
     * 6 nameId, 7 name text, 8 returnValue, 9 frames.
     */
    private void cudaApi() throws SQLException {
        if (!db.has(RUNTIME)) {
            return;
        }
        boolean classes = db.has(RUNTIME, "eventClass");
        String frames = db.has(RUNTIME, "callchainId") ? framesJoin(RUNTIME, "CUDA_CALLCHAINS") : null;
        boolean chains = frames != null;
        String cols = cols("r", chains ? "COALESCE(r.callchainId, bt.cc)" : null);
        String sql;
        if (classes) {
            long bt = enums.cudaBacktrace;
            String main = "SELECT " + cols + " FROM " + RUNTIME + " r"
                    + (chains ? " LEFT JOIN (SELECT globalTid AS g, correlationId AS c, MIN(callchainId) AS cc FROM "
                    + RUNTIME + " WHERE eventClass = " + bt + " GROUP BY globalTid, correlationId) bt"
                    + " ON bt.g = r.globalTid AND bt.c = r.correlationId" : "")
                    + (chains ? frames.replace("$CC", "COALESCE(r.callchainId, bt.cc)") : "")
                    + " WHERE r.eventClass IS NOT " + bt;
            // backtrace records whose call is in the file: (globalTid, correlationId) of a non-backtrace row
            String calls = " LEFT JOIN (SELECT DISTINCT globalTid AS g, correlationId AS c FROM " + RUNTIME
                    + " WHERE eventClass IS NOT " + bt + ") x ON x.g = r.globalTid AND x.c = r.correlationId";
            String orphanWhere = " WHERE r.eventClass = " + bt + " AND x.g IS NULL";
            String orphans = "SELECT " + cols("r", chains ? "r.callchainId" : null) + " FROM " + RUNTIME + " r" + calls
                    + (chains ? frames.replace("$CC", "r.callchainId") : "") + orphanWhere;
            sql = main + " UNION ALL " + orphans + " ORDER BY 1, 2 DESC";
            long backtraces = scalar("SELECT count(*) FROM " + RUNTIME + " WHERE eventClass = " + bt);
            long orphanCount = scalar("SELECT count(*) FROM " + RUNTIME + " r" + calls + orphanWhere);
            // folded into their calls: read, and consumed as metadata rows
            tally.rows(backtraces - orphanCount);
            tally.metadata += backtraces - orphanCount;
        } else {
            sql = "SELECT " + cols + " FROM " + RUNTIME + " r"
                    + (chains ? frames.replace("$CC", "r.callchainId") : "") + " ORDER BY 1, 2 DESC";
        }
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tally.row();
                long start = rs.getLong(1);
                boolean noStart = rs.wasNull();
                long end = rs.getLong(2);
                boolean noEnd = rs.wasNull();
                long eventClass = rs.getLong(3);
                boolean noClass = rs.wasNull();
                long globalTid = rs.getLong(4);
                boolean noThread = rs.wasNull();
                long corr = rs.getLong(5);
                boolean noCorr = rs.wasNull();
                String raw = name(rs, 6, 7);
                if (raw == null) {
                    raw = "[unnamed CUDA API call]";
                }
                if (noStart || noEnd || end < start) {
                    tally.lose("CUDA API call without a valid start/end", RUNTIME + " row '" + raw + "' start="
                            + (noStart ? "NULL" : start) + " end=" + (noEnd ? "NULL" : end));
                    continue;
                }
                if (noThread) {
                    tally.lose("CUDA API call without a thread (globalTid NULL)", RUNTIME + " row '" + raw
                            + "' at " + start);
                    continue;
                }
                args.clear();
                String name = raw;
                if (!noClass && eventClass == enums.cudaDriver) {
                    args.put("cat", "cuda_driver");
                } else if (!noClass && eventClass == enums.cudaRuntime) {
                    String stripped = VERSION_SUFFIX.matcher(raw).replaceFirst("");
                    if (!stripped.equals(raw) && !stripped.isEmpty()) {
                        name = stripped;
                        args.put("cuptiName", raw);
                    }
                } else if (!noClass && eventClass != enums.cudaBacktrace) {
                    args.put("eventClass", eventClass);
                }
                long ret = rs.getLong(8);
                if (!rs.wasNull() && ret != 0) {
                    args.put("returnValue", ret);
                }
                String backtrace = frames(rs.getString(9));
                if (backtrace != null) {
                    args.put("backtrace", backtrace);
                }
                int track = entities.threadTrack(globalTid, "CUDA API");
                nesting.place(track, start);
                long id = w.slice(track, start, end - start, w.string(name), Category.CUDA_API, nesting.depth,
                        nesting.parent, noCorr ? -1 : entities.correlation(globalTid, corr), w.args(args));
                nesting.opened(end, id);
                tally.slices++;
                tally.span(start, end);
            }
        }
    }

    /** "start, end, eventClass, globalTid, correlationId, nameId, name, returnValue, frames" of alias {@code a}. */
    private String cols(String a, String callchain) {
        return db.column(RUNTIME, a, "start") + ", " + db.column(RUNTIME, a, "end") + ", "
                + db.column(RUNTIME, a, "eventClass") + ", " + db.column(RUNTIME, a, "globalTid") + ", "
                + db.column(RUNTIME, a, "correlationId") + ", " + db.column(RUNTIME, a, "nameId") + ", "
                + db.column(RUNTIME, a, "name") + ", " + db.column(RUNTIME, a, "returnValue") + ", "
                + (callchain == null ? "NULL" : "f.frames");
    }

    /**
     * Host ranges of one table (start, end, globalTid, nameId) on the thread's {@code label} row, as
     * {@code user} slices with arg {@code cat}.
     */
    private void ranges(String table, String label, String cat, String callchainTable) throws SQLException {
        if (!db.has(table)) {
            return;
        }
        String frames = callchainTable == null || !db.has(table, "callchainId") ? null
                : framesJoin(table, callchainTable);
        boolean chains = frames != null;
        String sql = "SELECT " + db.column(table, "r", "start") + ", " + db.column(table, "r", "end") + ", "
                + db.column(table, "r", "globalTid") + ", " + db.column(table, "r", "nameId") + ", "
                + db.column(table, "r", "name") + ", " + (chains ? "f.frames" : "NULL")
                + " FROM " + NsysDatabase.quote(table) + " r"
                + (chains ? frames.replace("$CC", "r.callchainId") : "") + " ORDER BY 1, 2 DESC";
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tally.row();
                long start = rs.getLong(1);
                boolean noStart = rs.wasNull();
                long end = rs.getLong(2);
                boolean noEnd = rs.wasNull();
                long globalTid = rs.getLong(3);
                boolean noThread = rs.wasNull();
                String name = name(rs, 4, 5);
                if (name == null) {
                    name = label;
                }
                if (noStart || noEnd || end < start) {
                    tally.lose(table + " row without a valid start/end", table + " row '" + name + "' start="
                            + (noStart ? "NULL" : start) + " end=" + (noEnd ? "NULL" : end));
                    continue;
                }
                if (noThread) {
                    tally.lose(table + " row without a thread (globalTid NULL)", table + " row '" + name + "' at "
                            + start);
                    continue;
                }
                args.clear();
                args.put("cat", cat);
                String backtrace = frames(rs.getString(6));
                if (backtrace != null) {
                    args.put("backtrace", backtrace);
                }
                int track = entities.threadTrack(globalTid, label);
                nesting.place(track, start);
                long id = w.slice(track, start, end - start, w.string(name), Category.USER, nesting.depth,
                        nesting.parent, -1, w.args(args));
                nesting.opened(end, id);
                tally.slices++;
                tally.span(start, end);
            }
        }
    }

    /** The name of a row: StringIds of the id column, else a text column; "[nsys string N]" for a dangling id. */
    private String name(ResultSet rs, int idColumn, int textColumn) throws SQLException {
        long id = rs.getLong(idColumn);
        if (!rs.wasNull()) {
            String s = db.string(id);
            if (s != null) {
                return s;
            }
            String text = rs.getString(textColumn);
            return text != null ? text : "[nsys string " + id + "]";
        }
        return rs.getString(textColumn);
    }

    /**
     * A LEFT JOIN (alias {@code f}, column {@code frames}) of a callchain table's frames, one line per
     * frame, innermost first, "symbol TAB module"; {@code $CC} stands for the callchain id expression of
     * a row of {@code callTable}. Null when the file has no such table.
     */
    private String framesJoin(String callTable, String table) throws SQLException {
        if (!db.has(table) || !db.has(table, "id") || !db.has(table, "symbol")) {
            return null;
        }
        long offset = callchainOffset(callTable, table);
        String depth = db.column(table, "c", "stackDepth");
        String module = db.has(table, "module") ? "COALESCE(m.value, '')" : "''";
        String ip = db.has(table, "originalIP") ? "printf('0x%x', c.originalIP)" : "'?'";
        return " LEFT JOIN (SELECT c.id AS id, group_concat(COALESCE(s.value, " + ip + ") || char(9) || " + module
                + ", char(10) ORDER BY " + depth + ") AS frames FROM " + NsysDatabase.quote(table) + " c"
                + " LEFT JOIN StringIds s ON s.id = c.symbol"
                + (db.has(table, "module") ? " LEFT JOIN StringIds m ON m.id = c.module" : "")
                + " GROUP BY c.id) f ON f.id = $CC" + (offset == 0 ? "" : " + " + offset);
    }

    /**
     * How a call's {@code callchainId} maps to the callchain table's {@code id}. The documented join is
     * equality, but some exports (the 2022.2 one of the corpus) number the calls' ids from 0 and the
     * table's from 1. Decided on the file: for up to 64 calls with a callchain, which of id and id + 1
     * names a chain holding a frame with the call's own name (the API function is a frame of its own
     * backtrace, "cudaMalloc" for a cudaMalloc call); equality unless +1 matches strictly more.
     */
    private long callchainOffset(String callTable, String table) throws SQLException {
        if (!db.has(callTable, "nameId")) {
            return 0;
        }
        Map<Long, String> calls = new HashMap<>();
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery("SELECT callchainId, nameId FROM "
                + NsysDatabase.quote(callTable) + " WHERE callchainId IS NOT NULL LIMIT 64")) {
            while (rs.next()) {
                String name = db.string(rs.getLong(2));
                if (name != null) {
                    calls.put(rs.getLong(1), VERSION_SUFFIX.matcher(name).replaceFirst(""));
                }
            }
        }
        if (calls.isEmpty()) {
            return 0;
        }
        Set<Long> ids = new HashSet<>();
        for (long id : calls.keySet()) {
            ids.add(id);
            ids.add(id + 1);
        }
        Map<Long, Set<String>> symbols = new HashMap<>();
        StringBuilder in = new StringBuilder();
        for (long id : ids) {
            in.append(in.length() == 0 ? "" : ",").append(id);
        }
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery("SELECT c.id, s.value FROM "
                + NsysDatabase.quote(table) + " c JOIN StringIds s ON s.id = c.symbol WHERE c.id IN (" + in + ")")) {
            while (rs.next()) {
                symbols.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        int same = 0;
        int next = 0;
        for (Map.Entry<Long, String> call : calls.entrySet()) {
            if (symbols.getOrDefault(call.getKey(), Set.of()).contains(call.getValue())) {
                same++;
            }
            if (symbols.getOrDefault(call.getKey() + 1, Set.of()).contains(call.getValue())) {
                next++;
            }
        }
        if (next > same) {
            callchainOffsets.put(table, 1L);
            return 1;
        }
        return 0;
    }

    /** Callchain tables whose ids are the calls' callchainId + 1 (see {@link #callchainOffset}). */
    final Map<String, Long> callchainOffsets = new HashMap<>();

    /** "symbol (module file name)" per line, at most {@value #MAX_FRAMES} frames; null for none. */
    static String frames(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (String line : raw.split("\n")) {
            if (n == MAX_FRAMES) {
                sb.append("\n…");
                break;
            }
            int tab = line.indexOf('\t');
            String symbol = tab < 0 ? line : line.substring(0, tab);
            String module = tab < 0 ? "" : line.substring(tab + 1);
            int slash = Math.max(module.lastIndexOf('/'), module.lastIndexOf('\\'));
            if (slash >= 0) {
                module = module.substring(slash + 1); // the file, not the path (paths name users and machines)
            }
            if (n > 0) {
                sb.append('\n');
            }
            sb.append(symbol);
            if (!module.isEmpty()) {
                sb.append(" (").append(module).append(')');
            }
            n++;
        }
        return sb.toString();
    }

    private long scalar(String sql) throws SQLException {
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
