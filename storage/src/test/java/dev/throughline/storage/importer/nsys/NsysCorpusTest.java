package dev.throughline.storage.importer.nsys;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.importer.CorpusFiles;
import dev.throughline.storage.importer.DetectedFormat;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.TraceFormat;
import dev.throughline.storage.importer.TraceImporters;
import dev.throughline.storage.model.GpuRow;
import dev.throughline.storage.model.LossRow;
import dev.throughline.storage.model.NameTotal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports every Nsight Systems SQLite export of the shared corpus and checks the capture against the ground
 * truth in {@code shared/corpus/MANIFEST.md} (computed there with python3's sqlite3 over the raw tables):
 * {@code kernel_count}, {@code kernel_total_time_ns} (SUM(end-start), no overlap merging),
 * {@code top5_kernels_by_total_ns(shortName)}, {@code kernel_time_range_ns}, {@code kernel_streams},
 * {@code memcpy_count_total_ns_total_bytes}, {@code memcpy_by_copyKind}, {@code memset_count_total_ns},
 * the SYNCHRONIZATION and NVTX_EVENTS row counts, {@code runtime_api_count_and_total_ns}, {@code gpus}.
 *
 * <p>Two numbers are not in the manifest and were computed here with the sqlite3 shell on the files:
 * the CUDA backtrace records in CUPTI_ACTIVITY_KIND_RUNTIME (eventClass 67,
 * {@code SELECT count(*), sum(end-start) ... WHERE eventClass = 67}), which the importer folds into their
 * calls instead of making them calls of their own, so {@code cuda_api} slices = runtime rows − backtrace
 * rows; and the NVTX rows that are ranges (eventType 59) rather than domain / thread-name metadata.
 */
class NsysCorpusTest {

    record Top(String shortName, long totalNs, long count) {
    }

    record Expect(String file, long kernels, long kernelNs, List<Top> top5, long firstKernelStart, long lastKernelEnd,
                  List<Long> streams, long memcpys, long memcpyNs, long memcpyBytes, Map<Long, long[]> memcpyByKind,
                  long memsets, long memsetNs, long runtimeRows, long runtimeNs, long backtraceRows, long backtraceNs,
                  long syncs, long nvtxRows, long nvtxRanges, List<String> gpus, String processName, long pid,
                  Map<String, Long> loss) {
        @Override
        public String toString() {
            return file;
        }
    }

    private static Map<Long, long[]> kinds(long... v) {
        Map<Long, long[]> m = new TreeMap<>();
        for (int i = 0; i < v.length; i += 4) {
            m.put(v[i], new long[] {v[i + 1], v[i + 2], v[i + 3]});
        }
        return m;
    }

    static List<Expect> expectations() {
        List<Expect> e = new ArrayList<>();
        e.add(new Expect("nsys/extrap__con_kernel.sqlite", 9, 271_711_594,
                List.of(new Top("test2", 250_891_246, 1), new Top("test4", 10_845_099, 2),
                        new Top("test3", 7_655_332, 1), new Top("test1", 1_357_238, 2), new Top("test0", 962_679, 3)),
                529_596_644, 785_605_098, List.of(14L, 15L, 16L, 17L, 18L),
                11, 8_066_276, 80_360_000, kinds(1, 5, 3_702_147, 40_160_000, 2, 6, 4_364_129, 40_200_000),
                1, 2_560, 71, 478_574_272, 0, 0, 6, 0, 0,
                List.of("GeForce GTX 1060 with Max-Q Design", "Intel(R) HD Graphics 630", "Microsoft Basic Render Driver"),
                "ParallelKernelsTest.exe", 32084, Map.of()));
        e.add(new Expect("nsys/extrap__concurrent.s1_profile1.sqlite", 12, 48_000_028,
                List.of(new Top("test2", 25_021_861, 1), new Top("test4", 9_166_320, 2),
                        new Top("test3", 6_011_020, 1), new Top("test", 3_384_067, 5), new Top("test1", 2_258_892, 1)),
                553_471_799, 621_326_374, List.of(14L, 15L, 16L, 17L, 18L, 24L, 25L, 26L, 27L, 28L),
                30, 12_096_248, 88_320_000, kinds(1, 15, 5_861_902, 44_160_000, 2, 15, 6_234_346, 44_160_000),
                17, 33_342, 184, 288_774_078, 0, 0, 16, 77, 76,
                List.of("GeForce GTX 1060 with Max-Q Design", "Intel(R) HD Graphics 630", "Microsoft Basic Render Driver"),
                "ParallelKernelsTest.exe", 5360, Map.of()));
        Map<String, Long> pipitLoss = new LinkedHashMap<>();
        pipitLoss.put(NsysSqliteImporter.LOSS_CPU_SAMPLES, 5_451L); // COMPOSITE_EVENTS rows
        pipitLoss.put("SCHED_EVENTS rows (not imported)", 3_238L);
        e.add(new Expect("nsys/pipit__saxpy-mpi-cuda_nsys_perlmutter0.sqlite", 5, 88_573_480,
                List.of(new Top("saxpy", 88_573_480, 5)),
                924_922_186, 1_965_496_577, List.of(7L),
                15, 284_699_600, 3_932_160_000L, kinds(1, 10, 186_001_123, 2_621_440_000L, 2, 5, 98_698_477, 1_310_720_000L),
                0, 0, 95, 1_087_784_268, 38, 384_680_149, 0, 24, 22,
                List.of("NVIDIA A100-SXM4-40GB"), "./saxpy-mpi-cuda", 1230493, pipitLoss));
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void matchesTheManifest(Expect x) throws Exception {
        DetectedFormat d = TraceImporters.detect(CorpusFiles.file(x.file()));
        assertEquals(TraceFormat.NSYS_SQLITE, d.format(), d.description());
        assertTrue(d.description().contains("an Nsight Systems SQLite export (NVIDIA Nsight Systems 2022."),
                d.description());

        CorpusFiles.Imported imported = CorpusFiles.imported(x.file());
        ImportResult r = imported.result();
        try (CaptureReader reader = CaptureReader.open(imported.capture())) {
            Map<Category, Long> counts = reader.categoryCounts();
            Map<Category, Long> totals = reader.categoryTotals();

            // kernels: count, SUM(end - start), first start and last end on the session clock as stored
            assertEquals(x.kernels(), counts.get(Category.KERNEL));
            assertEquals(x.kernelNs(), totals.get(Category.KERNEL));
            long[] range = longs(reader, "SELECT min(start_ns), max(start_ns + dur_ns) FROM slice WHERE category = 9");
            assertEquals(x.firstKernelStart(), range[0] + reader.timeOriginNs());
            assertEquals(x.lastKernelEnd(), range[1] + reader.timeOriginNs());

            // top kernels: the capture names kernels by demangledName ("test2(double *, unsigned long long, …)");
            // the MANIFEST ranks by shortName, which each slice keeps as arg "shortName": compare through it
            List<Top> top = new ArrayList<>();
            for (NameTotal n : reader.topNames(Category.KERNEL, 5)) {
                top.add(new Top(shortNameOf(reader, n.name()), n.totalNs(), n.count()));
                assertTrue(n.name().startsWith(shortNameOf(reader, n.name()) + "("), n.name());
            }
            assertEquals(x.top5(), top);

            // streams and device of the kernels' tracks
            assertEquals(new TreeSet<>(x.streams()), new TreeSet<>(column(reader, "SELECT DISTINCT t.stream FROM slice s"
                    + " JOIN track t ON t.id = s.track_id WHERE s.category = 9")));
            assertEquals(List.of(0L), column(reader, "SELECT DISTINCT t.device FROM slice s"
                    + " JOIN track t ON t.id = s.track_id WHERE s.category = 9"));

            // copies and sets
            assertEquals(x.memcpys(), counts.getOrDefault(Category.MEMCPY, 0L));
            assertEquals(x.memcpyNs(), totals.getOrDefault(Category.MEMCPY, 0L));
            assertEquals(x.memcpyBytes(), longs(reader, "SELECT sum(json_extract(args_json(a.data), '$.bytes'))"
                    + " FROM slice s JOIN arg_set a ON a.id = s.args_id WHERE s.category = 10")[0]);
            Map<Long, long[]> byKind = new TreeMap<>();
            try (Statement st = reader.connection().createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT json_extract(args_json(a.data), '$.copyKind') AS k, count(*), sum(s.dur_ns),"
                            + " sum(json_extract(args_json(a.data), '$.bytes')) FROM slice s JOIN arg_set a"
                            + " ON a.id = s.args_id WHERE s.category = 10 GROUP BY k")) {
                while (rs.next()) {
                    byKind.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
            assertEquals(x.memcpyByKind().keySet(), byKind.keySet());
            for (Long k : byKind.keySet()) {
                assertEquals(List.of(x.memcpyByKind().get(k)[0], x.memcpyByKind().get(k)[1], x.memcpyByKind().get(k)[2]),
                        List.of(byKind.get(k)[0], byKind.get(k)[1], byKind.get(k)[2]), "copyKind " + k);
            }
            assertEquals(x.memsets(), counts.getOrDefault(Category.MEMSET, 0L));
            assertEquals(x.memsetNs(), totals.getOrDefault(Category.MEMSET, 0L));

            // CUDA API: every runtime/driver row is a call; backtrace records are folded into their calls
            assertEquals(x.runtimeRows() - x.backtraceRows(), counts.getOrDefault(Category.CUDA_API, 0L));
            assertEquals(x.runtimeNs() - x.backtraceNs(), totals.getOrDefault(Category.CUDA_API, 0L));
            if (x.backtraceRows() > 0) {
                assertEquals(x.backtraceRows(), longs(reader, "SELECT count(*) FROM slice s JOIN arg_set a"
                        + " ON a.id = s.args_id WHERE s.category = 8"
                        + " AND json_extract(args_json(a.data), '$.backtrace') IS NOT NULL")[0]);
                // each call's backtrace is its own (a frame names the API function): the export numbers the
                // calls' callchainId from 0 and CUDA_CALLCHAINS.id from 1, which the importer detects
                assertEquals(x.backtraceRows(), longs(reader, "SELECT count(*) FROM slice s JOIN arg_set a"
                        + " ON a.id = s.args_id JOIN string n ON n.id = s.name_id WHERE s.category = 8 AND instr("
                        + "json_extract(args_json(a.data), '$.backtrace'), char(10) || n.value || ' (libcudart') > 0")[0]);
                assertEquals("+1 (the calls' callchainId + 1 is the table's id in this export)",
                        reader.meta("import.callchain_offset.CUDA_CALLCHAINS"));
            }
            assertEquals(x.syncs(), counts.getOrDefault(Category.SYNC, 0L));

            // NVTX: the ranges are user slices on "NVTX" rows; the other rows (domains, thread names) metadata
            long nvtxSlices = longs(reader, "SELECT count(*) FROM slice s JOIN track t ON t.id = s.track_id"
                    + " JOIN string n ON n.id = t.name_id WHERE n.value = 'NVTX' AND s.category = 14")[0];
            assertEquals(x.nvtxRanges(), nvtxSlices);

            // kernels keep the file's correlation ids, and link to the same launch calls as in the file (not all:
            // con_kernel holds two kernels, correlation 1124 and 1135, whose launch is not in the file)
            assertEquals(sourceColumn(x.file(), "SELECT count(*) FROM CUPTI_ACTIVITY_KIND_KERNEL k WHERE EXISTS"
                    + " (SELECT 1 FROM CUPTI_ACTIVITY_KIND_RUNTIME r WHERE r.correlationId = k.correlationId)").get(0),
                    longs(reader, "SELECT count(*) FROM slice k WHERE k.category = 9 AND EXISTS"
                    + " (SELECT 1 FROM slice c WHERE c.category = 8 AND c.correlation_id = k.correlation_id)")[0]);
            assertEquals(sourceColumn(x.file(), "SELECT correlationId FROM CUPTI_ACTIVITY_KIND_KERNEL ORDER BY 1"),
                    column(reader, "SELECT correlation_id FROM slice WHERE category = 9 ORDER BY 1"));

            // the summaries work: a GPU row per device, busy within the GPU activity
            List<GpuRow> gpus = reader.gpus("tracelens");
            assertEquals(1, gpus.size(), gpus.toString());
            GpuRow g = gpus.get(0);
            assertEquals(0, g.device());
            long activity = x.kernelNs() + x.memcpyNs() + x.memsetNs();
            assertTrue(g.busyNs() > 0 && g.busyNs() <= activity, g.toString());
            assertEquals(g.totalNs(), g.busyNs() + g.idleNs(), g.toString());

            // process, meta
            assertEquals(List.of(x.processName()), reader.query("SELECT DISTINCT p.name FROM slice s"
                    + " JOIN track t ON t.id = s.track_id JOIN process p ON p.id = t.process_id WHERE s.category = 9", 10)
                    .rows().stream().map(row -> (String) row.get(0)).toList());
            assertEquals(List.of(x.pid()), column(reader, "SELECT DISTINCT p.pid FROM slice s"
                    + " JOIN track t ON t.id = s.track_id JOIN process p ON p.id = t.process_id WHERE s.category = 8"));
            assertEquals(NsysSqliteImporter.SOURCE_FORMAT, reader.meta("source_format"));
            assertEquals(sourceColumn(x.file(), "SELECT utcEpochNs FROM TARGET_INFO_SESSION_START_TIME").get(0),
                    Long.valueOf(reader.meta(NsysSqliteImporter.META_SESSION_START)));
            for (int i = 0; i < x.gpus().size(); i++) {
                assertEquals(x.gpus().get(i), reader.meta("trace.gpu." + i));
            }

            // loss: exactly what the file holds that the capture cannot, and every row accounted for
            Map<String, Long> loss = new LinkedHashMap<>();
            for (LossRow l : reader.loss()) {
                assertEquals(NsysSqliteImporter.LOSS_SOURCE, l.source());
                assertNotNull(l.example(), l.kind());
                loss.put(l.kind(), l.count());
            }
            assertEquals(x.loss(), loss);
            assertEquals(x.loss(), r.loss());
            assertEquals(r.events(), r.slices() + r.instants() + r.counterPoints() + r.metadataEvents() + r.lostEvents(),
                    r.toString());
            assertEquals(r.slices(), longs(reader, "SELECT count(*) FROM slice")[0]);
            assertEquals(x.nvtxRows() - x.nvtxRanges() + x.backtraceRows(), r.metadataEvents(), r.toString());
            assertTrue(reader.warnings().isEmpty(), reader.warnings().toString());
        }
    }

    /** The "shortName" arg of the kernels named {@code name} (one value for all of them). */
    private static String shortNameOf(CaptureReader reader, String name) throws SQLException {
        try (PreparedStatement ps = reader.connection().prepareStatement("SELECT DISTINCT"
                + " json_extract(args_json(a.data), '$.shortName') FROM slice s JOIN string n ON n.id = s.name_id"
                + " JOIN arg_set a ON a.id = s.args_id WHERE s.category = 9 AND n.value = ?")) {
            ps.setString(1, name);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            assertEquals(1, out.size(), name + " → " + out);
            return out.get(0);
        }
    }

    private static long[] longs(CaptureReader reader, String sql) throws SQLException {
        try (Statement st = reader.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            long[] out = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rs.getLong(i + 1);
            }
            return out;
        }
    }

    private static List<Long> column(CaptureReader reader, String sql) throws SQLException {
        return column(reader.connection(), sql);
    }

    private static List<Long> column(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static List<Long> sourceColumn(String file, String sql) throws SQLException {
        Path f = CorpusFiles.file(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        try (Connection c = config.createConnection("jdbc:sqlite:" + f.toAbsolutePath())) {
            return column(c, sql);
        }
    }
}
