package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.CaptureSchema;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.importer.ImportProgress;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.chrome.ChromeTraceImporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Imports a file written by {@code nsys export --type sqlite} (Nsight Systems 2021 and later; the schema
 * varies by version, so every table and column is looked up before it is read: a table the file lacks is
 * simply absent, one we do not know is counted as not imported) into a capture, through its own
 * read-only connection.
 *
 * <p>What becomes what:
 * <ul>
 * <li>{@code CUPTI_ACTIVITY_KIND_KERNEL / MEMCPY / MEMSET / SYNCHRONIZATION} → {@code kernel}, {@code memcpy},
 * {@code memset}, {@code sync} slices on GPU stream tracks ({@link GpuActivityImport});</li>
 * <li>{@code CUPTI_ACTIVITY_KIND_RUNTIME} → {@code cuda_api} slices on the calling thread, linked to the GPU
 * work by correlation id; {@code OSRT_API}, {@code CUBLAS_EVENTS}, {@code CUDNN_EVENTS},
 * {@code PROFILER_OVERHEAD} → {@code user} slices with arg {@code cat} ({@link HostCallImport});</li>
 * <li>{@code NVTX_EVENTS} → {@code user} slices and instants ({@link NvtxImport});</li>
 * <li>{@code GPU_METRICS}, CUDA memory usage and WDDM memory events → counters ({@link CounterImport});</li>
 * <li>CPU samples ({@code COMPOSITE_EVENTS} + {@code SAMPLING_CALLCHAINS}): the capture writer has no
 * sample API yet, so they are counted in the loss table ("cpu samples (not imported yet)");</li>
 * <li>process and thread names from {@code PROCESSES} / {@code ThreadNames}; the globalTid / globalPid
 * decoding is in {@link GlobalIds}.</li>
 * </ul>
 * Times stay on the nsys session clock, in ns, as the file has them; meta {@code trace.session_start_ns}
 * (UTC epoch ns of session time 0, from {@code TARGET_INFO_SESSION_START_TIME}) places them in wall time.
 * Every row of an event table is either imported or counted in the loss table (source
 * {@value #LOSS_SOURCE}) with an example.
 */
public final class NsysSqliteImporter {
    /** The loss table's source for this importer. */
    public static final String LOSS_SOURCE = "nsys-import";
    /** meta {@code source_format}. */
    public static final String SOURCE_FORMAT = "nsys-sqlite";
    /** meta: UTC epoch nanoseconds of the session clock's 0, where the export records it. */
    public static final String META_SESSION_START = "trace.session_start_ns";
    /** The loss kind of CPU samples, until the writer can store samples. */
    public static final String LOSS_CPU_SAMPLES = "cpu samples (not imported yet)";

    private static final String EXPECTED = "an Nsight Systems SQLite export (written by 'nsys export --type sqlite')";

    /** Tables this importer reads (all others with timed rows are counted as not imported). */
    private static final Set<String> READ = caseless(GpuActivityImport.KERNEL, GpuActivityImport.MEMCPY,
            GpuActivityImport.MEMSET, GpuActivityImport.SYNC, HostCallImport.RUNTIME, NvtxImport.TABLE, "OSRT_API",
            "CUBLAS_EVENTS", "CUDNN_EVENTS", "PROFILER_OVERHEAD", "GPU_METRICS", "CUDA_GPU_MEMORY_USAGE_EVENTS",
            "GPU_MEMORY_USAGE_EVENTS", "GPU_MEMORY_BUDGET_EVENTS", "TOTAL_BYTES_RESIDENT_IN_SEGMENT_EVENTS",
            "COMPOSITE_EVENTS");

    /**
     * What {@code file} is when it is an Nsight Systems SQLite export, for a user ("an Nsight Systems SQLite
     * export (NVIDIA Nsight Systems 2022.2.1.31, export schema 2.9.1)"); empty when it is not one (not
     * SQLite, or SQLite without the export's tables).
     */
    public static Optional<String> describe(Path file) {
        try (NsysDatabase db = NsysDatabase.open(file, EXPECTED)) {
            if (!isExport(db)) {
                return Optional.empty();
            }
            Map<String, String> export = exportMeta(db);
            StringBuilder sb = new StringBuilder("an Nsight Systems SQLite export");
            String product = export.get("EXPORT_PRODUCT_VERSION");
            String schema = export.get("EXPORT_SCHEMA_VERSION");
            if (product != null || schema != null) {
                sb.append(" (");
                if (product != null) {
                    sb.append(export.getOrDefault("EXPORT_PRODUCT_NAME", "Nsight Systems")).append(' ').append(product);
                }
                if (schema != null) {
                    sb.append(product != null ? ", " : "").append("export schema ").append(schema);
                }
                sb.append(')');
            }
            return Optional.of(sb.toString());
        } catch (CaptureFormatException | SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * Imports {@code source} into {@code writer} (which the caller closes, or aborts when this throws).
     * @param progress told every ~64k rows and at the end, on the calling thread; may be null
     * @throws CaptureFormatException the file is not an Nsight Systems SQLite export, or cannot be read
     */
    public ImportResult importInto(Path source, CaptureWriter writer, ImportProgress progress)
            throws CaptureFormatException, IOException {
        ImportProgress report = progress == null ? ImportProgress.NONE : progress;
        try (NsysDatabase db = NsysDatabase.open(source, EXPECTED)) {
            if (!isExport(db)) {
                if (db.has("meta")) {
                    throw new CaptureFormatException(source, "a SQLite database with a meta table (a Throughline"
                            + " capture? open it directly), not " + EXPECTED);
                }
                throw new CaptureFormatException(source, "a SQLite database that is not an Nsight Systems export (no"
                        + " StringIds table with CUPTI_ACTIVITY_KIND_*, NVTX_EVENTS, OSRT_API or TARGET_INFO_* tables);"
                        + " expected " + EXPECTED);
            }
            try {
                return run(source, db, writer, report);
            } catch (SQLException e) {
                throw new CaptureFormatException(source, "cannot read the Nsight Systems export: "
                        + NsysDatabase.oneLine(e.getMessage()), e);
            }
        }
    }

    private ImportResult run(Path source, NsysDatabase db, CaptureWriter w, ImportProgress report)
            throws SQLException, IOException {
        long expected = 0;
        for (String table : db.tableNames()) {
            if (READ.contains(table)) {
                expected += db.count(table);
            }
        }
        Tally tally = new Tally(report, Files.size(source), expected);
        NsysEnums enums = new NsysEnums(db);
        Entities entities = new Entities(w, db);

        TableImport.Context parts = new TableImport.Context(db, enums, entities, w, tally);
        NvtxImport nvtx = new NvtxImport(parts);
        nvtx.metadata();
        new GpuActivityImport(parts).run();
        HostCallImport calls = new HostCallImport(parts);
        calls.run();
        nvtx.ranges();
        new CounterImport(parts).run();
        cpuSamples(db, tally);
        notImported(db, tally);

        Map<String, Long> loss = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : tally.loss.entrySet()) {
            w.loss(LOSS_SOURCE, e.getKey(), e.getValue()[0], tally.lossExamples.get(e.getKey()));
            loss.put(e.getKey(), e.getValue()[0]);
        }
        meta(source, db, w, entities, tally);
        for (Map.Entry<String, Long> e : calls.callchainOffsets.entrySet()) {
            w.meta("import.callchain_offset." + e.getKey(), "+" + e.getValue() + " (the calls' callchainId + "
                    + e.getValue() + " is the table's id in this export)");
        }
        tally.report();
        boolean any = tally.firstTs != Long.MAX_VALUE;
        return new ImportResult(tally.events, tally.slices, tally.instants, tally.counterPoints, 0, tally.metadata,
                loss, 0, any ? tally.firstTs : 0, any ? tally.lastEnd : 0);
    }

    /** CPU samples: counted (with the first sample's stack as the example) until the writer stores samples. */
    private static void cpuSamples(NsysDatabase db, Tally tally) throws SQLException {
        String table = "COMPOSITE_EVENTS";
        long n = db.count(table);
        if (n == 0) {
            return;
        }
        tally.rows(n);
        StringBuilder example = new StringBuilder(table + ": " + n + " samples");
        if (db.has(table, "id") && db.has(table, "start")) {
            try (Statement st = db.statement(); ResultSet rs = st.executeQuery(db.select(table, null,
                    List.of("id", "start", "globalTid"), "ORDER BY start LIMIT 1"))) {
                if (rs.next()) {
                    long id = rs.getLong(1);
                    example.append("; the first at ").append(rs.getLong(2)).append(" ns");
                    long g = rs.getLong(3);
                    if (!rs.wasNull()) {
                        example.append(" on pid ").append(GlobalIds.pid(g)).append(" tid ").append(GlobalIds.tid(g));
                    }
                    String stack = sampleStack(db, id);
                    if (stack != null) {
                        example.append(": ").append(stack);
                    }
                }
            }
        }
        tally.lose(LOSS_CPU_SAMPLES, n, example.toString());
    }

    private static String sampleStack(NsysDatabase db, long id) throws SQLException {
        String table = "SAMPLING_CALLCHAINS";
        if (!db.has(table, "id") || !db.has(table, "symbol")) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        try (Statement st = db.statement(); ResultSet rs = st.executeQuery(db.select(table, null,
                List.of("symbol"), "WHERE id = " + id + (db.has(table, "stackDepth") ? " ORDER BY stackDepth" : "")
                        + " LIMIT 8"))) {
            while (rs.next()) {
                String symbol = db.string(rs.getLong(1));
                if (sb.length() > 0) {
                    sb.append(" ← ");
                }
                sb.append(symbol == null ? "?" : symbol);
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** Event tables (rows with a time) that nothing above reads: counted, per table, never silently dropped. */
    private static void notImported(NsysDatabase db, Tally tally) throws SQLException {
        for (String table : db.tableNames()) {
            if (READ.contains(table) || (!db.has(table, "start") && !db.has(table, "timestamp"))) {
                continue;
            }
            long n = db.count(table);
            if (n > 0) {
                tally.rows(n);
                tally.lose(table + " rows (not imported)", n, table + ": " + n + " rows; this importer does not map"
                        + " this table yet");
            }
        }
    }

    private static void meta(Path source, NsysDatabase db, CaptureWriter w, Entities entities, Tally tally)
            throws SQLException {
        w.meta(CaptureSchema.META_SOURCE, source.toAbsolutePath().normalize().toString());
        w.meta(CaptureSchema.META_SOURCE_FORMAT, SOURCE_FORMAT);
        if (tally.firstTs != Long.MAX_VALUE) {
            w.meta(ChromeTraceImporter.META_EVENTS_FIRST_TS, Long.toString(tally.firstTs));
            w.meta(ChromeTraceImporter.META_EVENTS_LAST_END, Long.toString(tally.lastEnd));
        }
        w.meta("trace.clock", "nsys session clock (ns since the session's time 0; see " + META_SESSION_START + ")");
        Map<String, String> export = exportMeta(db);
        putIf(w, "trace.nsys_version", export.get("EXPORT_PRODUCT_VERSION"));
        putIf(w, "trace.nsys_export_schema", export.get("EXPORT_SCHEMA_VERSION"));
        putIf(w, "trace.nsys_export_time_utc", export.get("EXPORT_TIME_UTC"));
        String start = "TARGET_INFO_SESSION_START_TIME";
        if (db.has(start)) {
            try (Statement st = db.statement(); ResultSet rs = st.executeQuery(db.select(start, null,
                    List.of("utcEpochNs", "utcTime"), "LIMIT 1"))) {
                if (rs.next()) {
                    long ns = rs.getLong(1);
                    if (!rs.wasNull()) {
                        w.meta(META_SESSION_START, Long.toString(ns));
                    }
                    putIf(w, "trace.session_start_utc", rs.getString(2));
                }
            }
        }
        String analysis = "ANALYSIS_DETAILS";
        if (db.has(analysis, "startTime") && db.has(analysis, "stopTime")) {
            try (Statement st = db.statement();
                 ResultSet rs = st.executeQuery("SELECT startTime, stopTime FROM ANALYSIS_DETAILS LIMIT 1")) {
                if (rs.next()) {
                    w.meta("trace.analysis_start_ns", Long.toString(rs.getLong(1)));
                    w.meta("trace.analysis_stop_ns", Long.toString(rs.getLong(2)));
                }
            }
        }
        String gpus = "TARGET_INFO_GPU";
        if (db.has(gpus, "id") && db.has(gpus, "name")) {
            try (Statement st = db.statement();
                 ResultSet rs = st.executeQuery("SELECT id, name FROM TARGET_INFO_GPU")) {
                while (rs.next()) {
                    putIf(w, "trace.gpu." + rs.getLong(1), rs.getString(2));
                }
            }
        }
        if (db.missingStrings() > 0) {
            w.meta("import.missing_string_ids", db.missingStrings()
                    + " references to StringIds ids the file lacks (named '[nsys string N]')");
        }
        if (entities.correlationsRenumbered()) {
            w.meta("import.correlation_ids", "several CUDA processes: correlation ids renumbered as"
                    + " (process ordinal << 32) | correlationId, the first process keeping its own");
        }
    }

    private static void putIf(CaptureWriter w, String key, String value) {
        if (value != null && !value.isBlank()) {
            w.meta(key, value);
        }
    }

    private static Map<String, String> exportMeta(NsysDatabase db) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!db.has("EXPORT_META_DATA", "name") || !db.has("EXPORT_META_DATA", "value")) {
            return out;
        }
        try (Statement st = db.statement();
             ResultSet rs = st.executeQuery("SELECT name, value FROM EXPORT_META_DATA")) {
            while (rs.next()) {
                if (rs.getString(1) != null && rs.getString(2) != null) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** StringIds plus a table only nsys writes; or an export meta table naming Nsight Systems. */
    private static boolean isExport(NsysDatabase db) {
        boolean marker = false;
        for (String t : db.tableNames()) {
            String u = t.toUpperCase(Locale.ROOT);
            if (u.startsWith("CUPTI_ACTIVITY_KIND_") || u.startsWith("TARGET_INFO_") || u.equals("NVTX_EVENTS")
                    || u.equals("OSRT_API") || u.equals("COMPOSITE_EVENTS")) {
                marker = true;
                break;
            }
        }
        if (db.has("StringIds") && marker) {
            return true;
        }
        try {
            return exportMeta(db).getOrDefault("EXPORT_PRODUCT_NAME", "").contains("Nsight Systems");
        } catch (SQLException e) {
            return false;
        }
    }

    private static Set<String> caseless(String... names) {
        Set<String> s = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        s.addAll(List.of(names));
        return s;
    }
}
