package dev.throughline.storage.exporter.chrome;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.importer.CorpusFiles;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.TraceImporters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For every Chrome / Kineto file of the corpus: import → capture → export → import again. The second
 * capture has the same slices per category with the same total time (exact ns: ts/dur survive as
 * decimal µs text), the same kernels, instants, flows and trace metadata, and nothing lost.
 */
class ChromeTraceRoundTripTest {

    static List<String> corpus() {
        List<String> files = new ArrayList<>(CorpusFiles.list("kineto"));
        files.addAll(CorpusFiles.list("chrome_trace"));
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void exportThenImportKeepsEverySlice(String file, @TempDir Path dir) throws Exception {
        CorpusFiles.Imported imported = CorpusFiles.imported(file);
        Path first = imported.capture();
        Path json = dir.resolve("export.json");
        Path second = dir.resolve("second.tlcap");
        ImportResult a = imported.result();
        ExportResult exported = new ChromeTraceExporter().export(first, json, false);
        Map<String, Long> phases = TraceJson.validate(json);
        ImportResult b = TraceImporters.importToCapture(json, second, false, null);

        assertEquals(a.slices(), exported.slices());
        assertEquals(a.slices(), phases.getOrDefault("X", 0L));
        assertEquals(a.instants(), phases.getOrDefault("i", 0L));
        assertEquals(Map.of(), b.loss(), "nothing of an export is lost on import");
        assertEquals(a.slices(), b.slices());
        assertEquals(a.instants(), b.instants());
        assertEquals(a.counterPoints(), b.counterPoints());
        assertEquals(a.flows(), b.flows());
        try (CaptureReader r1 = CaptureReader.open(first); CaptureReader r2 = CaptureReader.open(second)) {
            assertEquals(r1.categoryCounts(), r2.categoryCounts(), "slices per category");
            assertEquals(r1.categoryTotals(), r2.categoryTotals(), "ns per category");
            assertEquals(r1.categoryCounts().get(Category.KERNEL), r2.categoryCounts().get(Category.KERNEL));
            assertEquals(r1.topNames(Category.KERNEL, 1000), r2.topNames(Category.KERNEL, 1000), "kernels by name");
            assertEquals(firstSliceStart(r1), firstSliceStart(r2), "absolute time of the first slice");
            assertEquals(r1.spanNs(), r2.spanNs());
            assertEquals(traceMeta(r1), traceMeta(r2), "the source's top-level keys");
            assertEquals(count(r1, "SELECT count(*) FROM slice WHERE correlation_id IS NOT NULL"),
                    count(r2, "SELECT count(*) FROM slice WHERE correlation_id IS NOT NULL"), "correlation ids");
            assertEquals(count(r1, "SELECT count(*) FROM track WHERE kind = 'gpu_stream'"),
                    count(r2, "SELECT count(*) FROM track WHERE kind = 'gpu_stream'"), "GPU stream tracks");
            assertEquals(count(r1, "SELECT count(*) FROM arg_set"), count(r2, "SELECT count(*) FROM arg_set"),
                    "argument sets");
            List<String> before = slices(r1);
            List<String> after = slices(r2);
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++) {
                assertEquals(before.get(i), after.get(i), "slice #" + (i + 1) + ": name, times, category,"
                        + " correlation and args");
            }
        }
    }

    /** Every slice in id order as one comparable line; args order-insensitive. */
    private static List<String> slices(CaptureReader r) throws Exception {
        List<String> names = r.strings();
        List<String> out = new ArrayList<>();
        try (Statement st = r.connection().createStatement(); ResultSet rs = st.executeQuery("SELECT s.name_id,"
                + " s.start_ns, s.dur_ns, s.category, s.correlation_id, a.data FROM slice s LEFT JOIN arg_set a"
                + " ON a.id = s.args_id ORDER BY s.id")) {
            while (rs.next()) {
                byte[] data = rs.getBytes(6);
                Map<String, Object> args = data == null ? Map.of() : new TreeMap<>(r.decodeArgs(data));
                out.add(names.get(rs.getInt(1)) + " | " + (r.timeOriginNs() + rs.getLong(2)) + " | " + rs.getLong(3) + " | "
                        + Category.byId(rs.getInt(4)) + " | " + rs.getObject(5) + " | " + args);
            }
        }
        return out;
    }

    private static long firstSliceStart(CaptureReader r) throws Exception {
        return r.timeOriginNs() + count(r, "SELECT coalesce(min(start_ns), 0) FROM slice");
    }

    private static long count(CaptureReader r, String sql) throws Exception {
        return ((Number) r.query(sql, 1).rows().get(0).get(0)).longValue();
    }

    private static Map<String, String> traceMeta(CaptureReader r) {
        Map<String, String> m = new TreeMap<>();
        r.meta().forEach((k, v) -> {
            if (k.startsWith("trace.") && !k.equals("trace.displayTimeUnit")) {
                m.put(k, v);
            }
        });
        return m;
    }
}
