package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.CaptureFormatException;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.importer.DetectedFormat;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.TraceFormat;
import dev.throughline.storage.importer.TraceImporters;
import dev.throughline.storage.model.LossRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the corpus files (all 2022-era, export schema 2.9.1) do not show: the layout of newer exports
 * (ENUM_* tables, GPU_METRICS with TARGET_INFO_GPU_METRICS, NVTX marks, start/end ranges and textIds, OSRT
 * calls, a kernel table without demangledName), several CUDA processes in one report, rows that cannot
 * be mapped, tables the importer does not know, and files that are not exports at all. Each file is
 * written here with the columns the Nsight Systems exporter documents for those tables.
 */
class NsysSchemaVariationsTest {
    @TempDir
    Path dir;

    private static final long PID_A = 100;
    private static final long PID_B = 200;
    /** globalTid = pid << 24 | tid (the documented encoding; higher bits: hardware / VM ids). */
    private static final long VM = 1L << 56;

    private static long gtid(long pid, long tid) {
        return VM | pid << 24 | tid;
    }

    private Path newerExport() throws SQLException {
        Path f = dir.resolve("report-2024.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE StringIds (id INTEGER PRIMARY KEY, value TEXT NOT NULL)");
            String[] strings = {"", "gemm_kernel", "_Z11gemm_kernelPfS_", "cudaLaunchKernel_v7000", "cudaMemcpy_v3020",
                "train", "ProfilerStep#3", "read", "main", "libc.so.6", "my-domain", "optimizer", "cuStreamSynchronize"};
            for (int i = 1; i < strings.length; i++) {
                st.executeUpdate("INSERT INTO StringIds VALUES (" + i + ", '" + strings[i] + "')");
            }
            st.executeUpdate("CREATE TABLE ENUM_CUDA_MEMCPY_OPER (id INTEGER PRIMARY KEY, name TEXT, label TEXT)");
            st.executeUpdate("INSERT INTO ENUM_CUDA_MEMCPY_OPER VALUES (1, 'CUDA_MEMCPY_KIND_HTOD', 'Host-to-Device"
                    + " (label of the file)')");
            st.executeUpdate("CREATE TABLE ENUM_CUDA_MEM_KIND (id INTEGER PRIMARY KEY, name TEXT, label TEXT)");
            st.executeUpdate("INSERT INTO ENUM_CUDA_MEM_KIND VALUES (0, 'CUDA_MEMOPR_MEMORY_KIND_PAGEABLE', 'Pageable'),"
                    + " (2, 'CUDA_MEMOPR_MEMORY_KIND_DEVICE', 'Device')");
            st.executeUpdate("CREATE TABLE ENUM_NSYS_EVENT_CLASS (id INTEGER PRIMARY KEY, name TEXT, label TEXT)");
            st.executeUpdate("INSERT INTO ENUM_NSYS_EVENT_CLASS VALUES (0, 'TRACE_PROCESS_EVENT_CUDA_RUNTIME', 'CUDA"
                    + " runtime'), (1, 'TRACE_PROCESS_EVENT_CUDA_DRIVER', 'CUDA driver'),"
                    + " (67, 'TRACE_PROCESS_EVENT_CUDABACKTRACE', 'CUDA backtrace')");
            st.executeUpdate("CREATE TABLE ENUM_NSYS_EVENT_TYPE (id INTEGER PRIMARY KEY, name TEXT, label TEXT)");
            st.executeUpdate("INSERT INTO ENUM_NSYS_EVENT_TYPE VALUES (33, 'NvtxCategory', ''), (34, 'NvtxMark', ''),"
                    + " (39, 'NvtxThread', ''), (59, 'NvtxPushPopRange', ''), (60, 'NvtxStartEndRange', ''),"
                    + " (75, 'NvtxDomainCreate', ''), (76, 'NvtxDomainDestroy', '')");
            st.executeUpdate("CREATE TABLE TARGET_INFO_SESSION_START_TIME (utcEpochNs INTEGER, utcTime TEXT,"
                    + " localTime TEXT)");
            st.executeUpdate("INSERT INTO TARGET_INFO_SESSION_START_TIME VALUES (1700000000000000000,"
                    + " '2023-11-14T22:13:20', '2023-11-14T23:13:20')");
            st.executeUpdate("CREATE TABLE PROCESSES (globalPid INTEGER, pid INTEGER, name TEXT)");
            st.executeUpdate("INSERT INTO PROCESSES VALUES (" + gtid(PID_A, 0) + ", " + PID_A + ", 'python'), ("
                    + gtid(PID_B, 0) + ", " + PID_B + ", 'python')");
            st.executeUpdate("CREATE TABLE ThreadNames (nameId INTEGER, priority INTEGER, globalTid INTEGER)");
            // kernels: no demangledName column (name by shortName), two processes with the same correlation id
            st.executeUpdate("CREATE TABLE CUPTI_ACTIVITY_KIND_KERNEL (start INTEGER NOT NULL, end INTEGER NOT NULL,"
                    + " deviceId INTEGER NOT NULL, contextId INTEGER, streamId INTEGER NOT NULL, correlationId INTEGER,"
                    + " globalPid INTEGER, shortName INTEGER NOT NULL, mangledName INTEGER, gridX INTEGER, gridY INTEGER,"
                    + " gridZ INTEGER, blockX INTEGER, blockY INTEGER, blockZ INTEGER, registersPerThread INTEGER,"
                    + " staticSharedMemory INTEGER, dynamicSharedMemory INTEGER)");
            st.executeUpdate("INSERT INTO CUPTI_ACTIVITY_KIND_KERNEL VALUES"
                    + " (1000, 3000, 0, 1, 7, 1, " + gtid(PID_A, 0) + ", 1, 2, 64, 1, 1, 256, 1, 1, 32, 1024, 0),"
                    + " (1500, 2500, 1, 1, 13, 1, " + gtid(PID_B, 0) + ", 1, 2, 64, 1, 1, 256, 1, 1, 32, 1024, 512),"
                    + " (4000, 3900, 0, 1, 7, 9, " + gtid(PID_A, 0) + ", 1, 2, 1, 1, 1, 1, 1, 1, 1, 0, 0)");
            st.executeUpdate("CREATE TABLE CUPTI_ACTIVITY_KIND_MEMCPY (start INTEGER NOT NULL, end INTEGER NOT NULL,"
                    + " deviceId INTEGER NOT NULL, contextId INTEGER, streamId INTEGER NOT NULL, correlationId INTEGER,"
                    + " globalPid INTEGER, bytes INTEGER NOT NULL, copyKind INTEGER NOT NULL, srcKind INTEGER,"
                    + " dstKind INTEGER)");
            st.executeUpdate("INSERT INTO CUPTI_ACTIVITY_KIND_MEMCPY VALUES (500, 900, 0, 1, 7, 2, " + gtid(PID_A, 0)
                    + ", 4096, 1, 0, 2)");
            st.executeUpdate("CREATE TABLE CUPTI_ACTIVITY_KIND_RUNTIME (start INTEGER NOT NULL, end INTEGER NOT NULL,"
                    + " eventClass INTEGER NOT NULL, globalTid INTEGER, correlationId INTEGER, nameId INTEGER NOT NULL,"
                    + " returnValue INTEGER NOT NULL, callchainId INTEGER)");
            st.executeUpdate("INSERT INTO CUPTI_ACTIVITY_KIND_RUNTIME VALUES"
                    + " (400, 950, 0, " + gtid(PID_A, 1) + ", 2, 4, 0, NULL),"
                    + " (960, 990, 0, " + gtid(PID_A, 1) + ", 1, 3, 0, NULL),"
                    + " (965, 985, 1, " + gtid(PID_A, 1) + ", 3, 12, 700, NULL),"
                    + " (1400, 1450, 0, " + gtid(PID_B, 5) + ", 1, 3, 0, NULL),"
                    + " (5000, 4000, 0, " + gtid(PID_A, 1) + ", 4, 4, 0, NULL),"
                    + " (6000, 6100, 0, NULL, 5, 4, 0, NULL)");
            st.executeUpdate("CREATE TABLE NVTX_EVENTS (start INTEGER NOT NULL, end INTEGER, eventType INTEGER NOT NULL,"
                    + " rangeId INTEGER, category INTEGER, color INTEGER, text TEXT, globalTid INTEGER,"
                    + " endGlobalTid INTEGER, textId INTEGER, domainId INTEGER, uint64Value INTEGER, int64Value INTEGER,"
                    + " doubleValue REAL, uint32Value INTEGER, int32Value INTEGER, floatValue REAL, jsonTextId INTEGER,"
                    + " jsonText TEXT)");
            long t = gtid(PID_A, 1);
            st.executeUpdate("INSERT INTO NVTX_EVENTS (start, end, eventType, text, globalTid, domainId) VALUES"
                    + " (10, NULL, 75, 'my-domain', " + t + ", 1)");
            st.executeUpdate("INSERT INTO NVTX_EVENTS (start, end, eventType, text, globalTid, domainId, category)"
                    + " VALUES (11, NULL, 33, 'optimizer', " + t + ", 1, 4)");
            st.executeUpdate("INSERT INTO NVTX_EVENTS (start, end, eventType, text, globalTid) VALUES"
                    + " (12, NULL, 39, 'trainer thread', " + t + ")");
            st.executeUpdate("INSERT INTO NVTX_EVENTS (start, end, eventType, textId, globalTid, domainId, category,"
                    + " color, int64Value) VALUES (100, 5000, 59, 6, " + t + ", 0, NULL, NULL, NULL),"
                    + " (200, 4000, 59, 5, " + t + ", 1, 4, 4278255360, 42)");
            st.executeUpdate("INSERT INTO NVTX_EVENTS (start, end, eventType, text, globalTid) VALUES"
                    + " (300, NULL, 34, 'checkpoint', " + t + "),"
                    + " (400, 2000, 60, 'async-a', " + t + "),"
                    + " (500, 2500, 60, 'async-b', " + t + "),"
                    + " (2100, 2200, 60, 'async-c', " + t + "),"
                    + " (600, NULL, 60, 'never ended', " + t + ")");
            st.executeUpdate("CREATE TABLE OSRT_API (start INTEGER NOT NULL, end INTEGER NOT NULL, eventClass INTEGER,"
                    + " globalTid INTEGER, correlationId INTEGER, nameId INTEGER NOT NULL, returnValue INTEGER,"
                    + " nestingLevel INTEGER, callchainId INTEGER)");
            st.executeUpdate("INSERT INTO OSRT_API VALUES (150, 180, 27, " + t + ", 0, 7, 0, 0, 1)");
            st.executeUpdate("CREATE TABLE OSRT_CALLCHAINS (id INTEGER, symbol INTEGER, module INTEGER,"
                    + " kernelMode INTEGER, thumbCode INTEGER, unresolved INTEGER, specialEntry INTEGER,"
                    + " originalIP INTEGER, unwindMethod INTEGER, stackDepth INTEGER)");
            st.executeUpdate("INSERT INTO OSRT_CALLCHAINS VALUES (1, 7, 9, 0, 0, 0, 0, 1, 0, 0),"
                    + " (1, 8, 9, 0, 0, 0, 0, 2, 0, 1)");
            st.executeUpdate("CREATE TABLE TARGET_INFO_GPU_METRICS (typeId INTEGER, sourceId INTEGER, typeName TEXT,"
                    + " metricId INTEGER, metricName TEXT)");
            st.executeUpdate("INSERT INTO TARGET_INFO_GPU_METRICS VALUES (65536, 0, 'GH100', 1, 'SMs Active [Throughput %]'),"
                    + " (65536, 0, 'GH100', 2, 'DRAM Read Bandwidth [Throughput %]')");
            st.executeUpdate("CREATE TABLE GPU_METRICS (timestamp INTEGER NOT NULL, typeId INTEGER NOT NULL,"
                    + " metricId INTEGER NOT NULL, value INTEGER NOT NULL)");
            st.executeUpdate("INSERT INTO GPU_METRICS VALUES (1000, 65536, 1, 10), (2000, 65536, 1, 90),"
                    + " (3000, 65536, 1, 0), (1000, 65536, 2, 5), (2000, 65536, 2, 55), (3000, 65536, 2, 1)");
            st.executeUpdate("CREATE TABLE COMPOSITE_EVENTS (id INTEGER NOT NULL PRIMARY KEY, start INTEGER NOT NULL,"
                    + " cpu INTEGER, threadState INTEGER, globalTid INTEGER, cpuCycles INTEGER)");
            st.executeUpdate("INSERT INTO COMPOSITE_EVENTS VALUES (1, 700, 0, 1, " + t + ", 0), (2, 800, 0, 1, " + t
                    + ", 0), (3, 900, 0, 1, " + t + ", 0), (4, 1000, 0, 1, " + t + ", 0)");
            st.executeUpdate("CREATE TABLE SAMPLING_CALLCHAINS (id INTEGER NOT NULL, symbol INTEGER, module INTEGER,"
                    + " stackDepth INTEGER)");
            st.executeUpdate("INSERT INTO SAMPLING_CALLCHAINS VALUES (1, 7, 9, 0), (1, 8, 9, 1)");
            st.executeUpdate("CREATE TABLE MPI_P2P_EVENTS (start INTEGER, end INTEGER, globalTid INTEGER)");
            st.executeUpdate("INSERT INTO MPI_P2P_EVENTS VALUES (10, 20, " + t + "), (30, 40, " + t + ")");
            st.executeUpdate("CREATE TABLE SOME_AUXILIARY_TABLE (a INTEGER)");
            st.executeUpdate("INSERT INTO SOME_AUXILIARY_TABLE VALUES (1)");
        }
        return f;
    }

    @Test
    void newerLayoutsAndSeveralProcesses() throws Exception {
        Path f = newerExport();
        DetectedFormat d = TraceImporters.detect(f);
        assertEquals(TraceFormat.NSYS_SQLITE, d.format(), d.description());
        Path capture = dir.resolve("out.tlcap");
        ImportResult r = TraceImporters.importToCapture(f, capture, false, null);
        try (CaptureReader reader = CaptureReader.open(capture)) {
            Map<Category, Long> counts = reader.categoryCounts();
            assertEquals(2, counts.get(Category.KERNEL)); // the third ends before it starts: lost
            assertEquals(1, counts.get(Category.MEMCPY));
            assertEquals(4, counts.get(Category.CUDA_API)); // 6 rows: one ends before it starts, one has no thread
            assertEquals(1, counts.get(Category.STEP)); // the NVTX range ProfilerStep#3

            // kernel named by shortName when there is no demangledName column; Kineto-style args
            Map<String, Object> kernelArgs = argsOf(reader, "SELECT args_id FROM slice WHERE category = 9"
                    + " AND start_ns + " + reader.timeOriginNs() + " = 1500");
            assertEquals("gemm_kernel", names(reader, "SELECT DISTINCT n.value FROM slice s JOIN string n"
                    + " ON n.id = s.name_id WHERE s.category = 9").get(0));
            assertEquals("[64, 1, 1]", kernelArgs.get("grid"));
            assertEquals("[256, 1, 1]", kernelArgs.get("block"));
            assertEquals(32L, kernelArgs.get("registers per thread"));
            assertEquals(1536L, kernelArgs.get("shared memory"));
            assertEquals("_Z11gemm_kernelPfS_", kernelArgs.get("mangledName"));

            // two processes both used correlation id 1: the second one's ids are renumbered, links stay right
            assertEquals(List.of(1L, (1L << 32) | 1L), longs(reader,
                    "SELECT correlation_id FROM slice WHERE category = 9 ORDER BY correlation_id"));
            assertEquals(List.of(PID_A, PID_B), longs(reader, "SELECT p.pid FROM slice k JOIN slice c"
                    + " ON c.correlation_id = k.correlation_id AND c.category = 8 JOIN track t ON t.id = c.track_id"
                    + " JOIN process p ON p.id = t.process_id WHERE k.category = 9 ORDER BY k.correlation_id"));
            assertTrue(reader.meta("import.correlation_ids").contains("renumbered"));

            // memcpy: Kineto-style name, the file's ENUM label as copyKindName
            assertEquals(List.of("Memcpy HtoD (Pageable -> Device)"), names(reader, "SELECT n.value FROM slice s"
                    + " JOIN string n ON n.id = s.name_id WHERE s.category = 10"));
            Map<String, Object> copy = argsOf(reader, "SELECT args_id FROM slice WHERE category = 10");
            assertEquals("Host-to-Device (label of the file)", copy.get("copyKindName"));
            assertEquals(4096L, copy.get("bytes"));
            assertEquals(1L, copy.get("copyKind"));

            // CUDA API: version suffix dropped (original kept), driver call nested in the runtime call
            assertEquals(List.of("cudaMemcpy", "cudaLaunchKernel", "cuStreamSynchronize", "cudaLaunchKernel"),
                    names(reader, "SELECT n.value FROM slice s JOIN string n ON n.id = s.name_id WHERE s.category = 8"
                            + " ORDER BY s.start_ns"));
            assertEquals(List.of(0L, 0L, 1L, 0L), longs(reader, "SELECT depth FROM slice WHERE category = 8"
                    + " ORDER BY start_ns"));
            Map<String, Object> driver = argsOf(reader, "SELECT s.args_id FROM slice s JOIN string n"
                    + " ON n.id = s.name_id WHERE n.value = 'cuStreamSynchronize'");
            assertEquals("cuda_driver", driver.get("cat"));
            assertEquals(700L, driver.get("returnValue"));
            assertEquals("cudaMemcpy_v3020", argsOf(reader, "SELECT s.args_id FROM slice s JOIN string n"
                    + " ON n.id = s.name_id WHERE n.value = 'cudaMemcpy'").get("cuptiName"));

            // NVTX: nesting, textId names, domain / category / color / payload, marks, start/end lanes
            assertEquals(List.of("ProfilerStep#3", "train"), names(reader, "SELECT n.value FROM slice s"
                    + " JOIN string n ON n.id = s.name_id JOIN track t ON t.id = s.track_id JOIN string tn"
                    + " ON tn.id = t.name_id WHERE tn.value = 'NVTX' ORDER BY s.depth"));
            Map<String, Object> train = argsOf(reader, "SELECT s.args_id FROM slice s JOIN string n"
                    + " ON n.id = s.name_id WHERE n.value = 'train'");
            assertEquals("nvtx", train.get("cat"));
            assertEquals("my-domain", train.get("domain"));
            assertEquals("optimizer", train.get("category"));
            assertEquals("#00ff00", train.get("color"));
            assertEquals(42L, train.get("payload"));
            assertEquals(1, longs(reader, "SELECT count(*) FROM instant").get(0));
            assertEquals(List.of(0L, 1L, 0L), longs(reader, "SELECT s.depth FROM slice s JOIN track t"
                    + " ON t.id = s.track_id JOIN string tn ON tn.id = t.name_id"
                    + " WHERE tn.value = 'NVTX start/end ranges' ORDER BY s.start_ns"));
            assertEquals(List.of("trainer thread"), names(reader, "SELECT name FROM thread WHERE tid = 1"));

            // OS runtime call with its backtrace
            Map<String, Object> osrt = argsOf(reader, "SELECT s.args_id FROM slice s JOIN string n"
                    + " ON n.id = s.name_id WHERE n.value = 'read'");
            assertEquals("osrt", osrt.get("cat"));
            assertEquals("read (libc.so.6)\nmain (libc.so.6)", osrt.get("backtrace"));

            // GPU metrics: one counter track per metric, named from TARGET_INFO_GPU_METRICS
            assertEquals(List.of("DRAM Read Bandwidth [Throughput %]", "SMs Active [Throughput %]"), names(reader,
                    "SELECT n.value FROM track t JOIN string n ON n.id = t.name_id WHERE t.kind = 'counter'"
                            + " ORDER BY n.value"));
            assertEquals(List.of(10L, 90L, 0L), longs(reader, "SELECT CAST(c.value AS INTEGER) FROM counter c"
                    + " JOIN track t ON t.id = c.track_id JOIN string n ON n.id = t.name_id"
                    + " WHERE n.value LIKE 'SMs Active%' ORDER BY c.ts_ns"));

            // what could not be mapped: counted with an example, never dropped silently
            Map<String, Long> loss = new HashMap<>();
            Map<String, String> examples = new HashMap<>();
            for (LossRow l : reader.loss()) {
                loss.put(l.kind(), l.count());
                examples.put(l.kind(), l.example());
            }
            assertEquals(Map.of(
                    "kernel ending before it starts", 1L,
                    "CUDA API call without a valid start/end", 1L,
                    "CUDA API call without a thread (globalTid NULL)", 1L,
                    "NVTX range without a valid end", 1L,
                    NsysSqliteImporter.LOSS_CPU_SAMPLES, 4L,
                    "MPI_P2P_EVENTS rows (not imported)", 2L), loss);
            assertTrue(examples.get(NsysSqliteImporter.LOSS_CPU_SAMPLES).contains("read ← main"),
                    examples.get(NsysSqliteImporter.LOSS_CPU_SAMPLES));
            assertTrue(examples.get("kernel ending before it starts").contains("start=4000 end=3900"));
            assertEquals(r.events(), r.slices() + r.instants() + r.counterPoints() + r.metadataEvents() + r.lostEvents());
            assertEquals(3, r.metadataEvents()); // domain, category, thread name
            assertEquals("1700000000000000000", reader.meta(NsysSqliteImporter.META_SESSION_START));
            // times are the file's, on the session clock
            assertEquals(List.of(1000L, 1500L), longs(reader, "SELECT start_ns + " + reader.timeOriginNs()
                    + " FROM slice WHERE category = 9 ORDER BY start_ns"));
        }
    }

    // ---- bad input ---------------------------------------------------------------------------------

    @Test
    void aSqliteFileThatIsNeitherACaptureNorAnExport() throws Exception {
        Path f = dir.resolve("inventory.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE items (id INTEGER PRIMARY KEY, start INTEGER)");
            st.executeUpdate("INSERT INTO items VALUES (1, 2)");
        }
        DetectedFormat d = TraceImporters.detect(f);
        assertEquals(TraceFormat.UNKNOWN, d.format());
        Path out = Files.createDirectories(dir.resolve("out"));
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> TraceImporters.importToCapture(f, out.resolve("x.tlcap"), false, null));
        String m = e.getMessage();
        assertEquals(f + ": a SQLite database that is not a Throughline capture nor an Nsight Systems export (no"
                + " Throughline meta table; no StringIds with CUPTI_ACTIVITY_KIND_*, NVTX_EVENTS or TARGET_INFO_*"
                + " tables); expected a Throughline capture or an Nsight Systems SQLite export"
                + " ('nsys export --type sqlite')", m);
        assertEmpty(out);

        // straight to the importer, without detection
        CaptureWriter w = CaptureWriter.create(out.resolve("direct.tlcap"), false);
        CaptureFormatException direct = assertThrows(CaptureFormatException.class,
                () -> new NsysSqliteImporter().importInto(f, w, null));
        w.abort();
        assertTrue(direct.getMessage().startsWith(f + ": a SQLite database that is not an Nsight Systems export"),
                direct.getMessage());
        assertTrue(direct.getMessage().endsWith("expected an Nsight Systems SQLite export (written by 'nsys export"
                + " --type sqlite')"), direct.getMessage());
        assertFalse(direct.getMessage().contains("\n"));
        assertEmpty(out);
    }

    @Test
    void notSqliteAtAll() throws Exception {
        Path text = Files.writeString(dir.resolve("report.sqlite"), "this is a text file\n");
        Path empty = Files.write(dir.resolve("empty.sqlite"), new byte[0]);
        Path out = Files.createDirectories(dir.resolve("out"));
        for (Path f : List.of(text, empty)) {
            CaptureWriter w = CaptureWriter.create(out.resolve("x.tlcap"), true);
            CaptureFormatException e = assertThrows(CaptureFormatException.class,
                    () -> new NsysSqliteImporter().importInto(f, w, null));
            w.abort();
            String m = e.getMessage();
            assertTrue(m.startsWith(f + ": "), m);
            assertTrue(m.contains(f == text ? "not a SQLite database (byte 0 differs from the header 'SQLite format 3')"
                    : "empty file (0 bytes)"), m);
            assertTrue(m.endsWith("expected an Nsight Systems SQLite export (written by 'nsys export --type sqlite')"),
                    m);
            assertFalse(m.contains("\n"));
        }
        assertEmpty(out);
    }

    @Test
    void aCaptureHandedToTheImporter() throws Exception {
        Path capture = dir.resolve("done.tlcap");
        TraceImporters.importToCapture(newerExport(), capture, false, null);
        CaptureWriter w = CaptureWriter.create(dir.resolve("again.tlcap"), false);
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> new NsysSqliteImporter().importInto(capture, w, null));
        w.abort();
        assertTrue(e.getMessage().contains("a Throughline capture? open it directly"), e.getMessage());
        assertEquals(TraceFormat.THROUGHLINE_CAPTURE, TraceImporters.detect(capture).format());
    }

    private static void assertEmpty(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList());
        }
    }

    private static Map<String, Object> argsOf(CaptureReader reader, String sql) throws SQLException {
        List<Long> ids = longs(reader, sql);
        assertEquals(1, ids.size(), sql);
        return reader.args(ids.get(0));
    }

    private static List<Long> longs(CaptureReader reader, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement st = reader.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static List<String> names(CaptureReader reader, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = reader.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
