package dev.throughline.storage.importer.chrome;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.Category;
import dev.throughline.storage.importer.CorpusFiles;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.model.LossRow;
import dev.throughline.storage.model.NameTotal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports every Chrome / Kineto trace of the shared corpus and checks the capture against the ground
 * truth in {@code shared/corpus/MANIFEST.md} (computed there with python3's json module):
 * {@code n_events}, {@code events_by_ph}, {@code n_kernel_events} and {@code kernel_dur_sum_us},
 * {@code cat_*_X_count_and_dur_sum_us}, {@code n_ProfilerStep_slices} and {@code ProfilerStep_durs_us},
 * {@code time_span}. Microsecond values are written here as the manifest prints them and converted
 * exactly (µs × 1000 = ns).
 */
class ChromeTraceCorpusTest {

    /** One corpus file's expected numbers. */
    record Expect(String file, long events, Map<String, Long> byPhase, long kernels, String kernelUs,
                  String[] stepDursUs, String spanUs, long sliceSpanNs, Map<Category, String[]> countAndUs,
                  long xWithoutDur, long kernelsLinkedToLaunch, long flows) {
        @Override
        public String toString() {
            return file;
        }
    }

    private static Map<String, Long> ph(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        return m;
    }

    private static Map<Category, String[]> cats(Object... kv) {
        Map<Category, String[]> m = new EnumMap<>(Category.class);
        for (int i = 0; i < kv.length; i += 3) {
            m.put((Category) kv[i], new String[] {kv[i + 1].toString(), (String) kv[i + 2]});
        }
        return m;
    }

    private static String[] steps(String... durs) {
        return durs;
    }

    /*
     * sliceSpanNs (first slice start to last slice end, what CaptureReader.spanNs() reports) is not in the
     * manifest: its time_span also counts instants and flow events. It was computed from each file with
     * python3 (json, decimal) over 'X' events with a dur and 'B'/'E' events. xWithoutDur, the kernels whose
     * args.correlation matches a runtime/driver call, and the flow arrows ((cat, id) pairs plus unpaired
     * ends) come from the same script. CUDA_API = cuda_runtime + cuda_driver (+ legacy Runtime).
     */
    static List<Expect> expectations() {
        List<Expect> e = new ArrayList<>();
        e.add(new Expect("kineto/hta__amd_trace_mi250_minitoy_train_ROCm6_2_kineto.json.gz", 220,
                ph("X", 113, "M", 60, "f", 25, "s", 20, "i", 2), 14, "110.881",
                steps("9288.291", "49.073"), "10156.947", 9_761_878,
                cats(Category.CUDA_API, 21, "6804.576", Category.MEMCPY, 2, "38.161"), 0, 14, 25));
        e.add(new Expect("kineto/hta__cpu_only_rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz", 30,
                ph("X", 16, "M", 12, "i", 2), 0, "0",
                steps("210109.162"), "1306917.028", 1_289_526_102L, cats(), 0, 0, 0));
        e.add(new Expect("kineto/hta__critical_path_cuda_event_sync_event_sync_trace.json.gz", 92,
                ph("M", 36, "X", 33, "f", 14, "s", 7, "i", 2), 4, "49.0",
                steps("3154.0"), "3287.0", 3_154_000,
                cats(Category.CUDA_API, 12, "157.0", Category.MEMCPY, 1, "2.0"), 0, 4, 14));
        e.add(new Expect("kineto/hta__critical_path_simple_add_benchmark_result_493459_1694039959_trace.json.gz", 1348,
                ph("X", 838, "f", 315, "s", 155, "M", 38, "i", 2), 79, "10728.0",
                steps(), "41602740.0", 41_602_354_000L,
                cats(Category.CUDA_API, 331, "37937238.0", Category.MEMCPY, 16, "39080.0", Category.MEMSET, 3, "8.0"),
                0, 79, 331));
        e.add(new Expect("kineto/hta__cupti_profiler_benchmark_result_924719_1679055439_trace.json.gz", 4222,
                ph("X", 2324, "f", 1758, "s", 104, "M", 33, "i", 3), 0, "0",
                steps(), "11849544.0", 11_849_544_000L, cats(Category.CUDA_API, 1862, "8194022.0"), 0, 0, 1862));
        e.add(new Expect("kineto/hta__trace_diff_control_control.json.gz", 109123,
                ph("X", 74937, "f", 24692, "s", 9450, "M", 42, "i", 2), 8568, "446813.0",
                steps("75473.0", "76940.0", "76212.0", "76727.0", "78473.0", "81120.0"), "540795.0", 479_255_000L,
                cats(Category.CUDA_API, 24692, "144417.0", Category.MEMCPY, 228, "53498.0",
                        Category.MEMSET, 654, "1256.0"), 0, 8568, 24692));
        e.add(new Expect("kineto/hta__trace_diff_test_test.json.gz", 105167,
                ph("X", 68324, "f", 26815, "s", 9984, "M", 42, "i", 2), 9876, "801858.0",
                steps("100298.0", "122149.0", "166403.0", "81971.0", "107230.0", "166350.0"), "816360.0", 769_893_000L,
                cats(Category.CUDA_API, 21167, "433309.0", Category.MEMCPY, 4856, "159699.0",
                        Category.MEMSET, 900, "2205.0"), 0, 9330, 26815));
        // the 2021 schema: capitalised categories; n_kernel_events(cat case-insensitive "kernel") = 8868
        e.add(new Expect("kineto/kineto__resnet50_num_workers_4_worker0.1623212756351.pt.trace.json.gz", 71424,
                ph("X", 41906, "i", 10982, "f", 9258, "s", 9258, "M", 20), 8868, "594868.0",
                steps("181565.0", "123884.0", "126824.0", "126272.0", "163461.0", "116146.0"), "939328.0",
                846_954_000L,
                cats(Category.CUDA_API, 12085, "181340.0", Category.MEMCPY, 12, "18959.0", Category.MEMSET, 378, "586.0"),
                0, 8868, 9258));
        e.add(new Expect("kineto/tracelens__h100_Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", 18221,
                ph("X", 12080, "i", 2452, "f", 2428, "s", 1201, "M", 60), 1465, "45432.698",
                steps("47151.395"), "64085.015", 49_840_032,
                // cuda_runtime [1921, 21612.394] + cuda_driver [1, 6.98]
                cats(Category.CUDA_API, 1922, "21619.374", Category.MEMCPY, 1, "2.368", Category.MEMSET, 241, "212.234"),
                0, 1029, 2431));
        e.add(new Expect("kineto/tracelens__mi210_gpu_only_trace.json.gz", 2443,
                ph("X", 1194, "f", 631, "s", 562, "M", 54, "i", 2), 562, "5343.422",
                steps(), "6202.232", 6_117_905, cats(Category.CUDA_API, 631, "2260.159"), 0, 562, 631));
        e.add(new Expect("kineto/tracelens__torch_compile_triton_trace.json.gz", 246,
                ph("X", 115, "f", 58, "M", 58, "s", 13, "i", 2), 12, "12549.021",
                steps(), "13283.624", 13_123_186, cats(Category.CUDA_API, 59, "12053.548"), 0, 12, 59));
        e.add(new Expect("chrome_trace/clangbuildanalyzer__clang11-pid-45_test.json", 21,
                ph("X", 19, "M", 2), 0, "0", steps(), "7281.0", 7_281_000, cats(), 0, 0, 0));
        e.add(new Expect("chrome_trace/clangbuildanalyzer__self-win-clang-16.0_main.json", 800,
                ph("X", 798, "M", 2), 0, "0", steps(), "958473.0", 958_473_000L, cats(), 0, 0, 0));
        e.add(new Expect("chrome_trace/speedscope__Chrome69_simple.json", 1364,
                ph("X", 927, "B", 140, "E", 140, "I", 49, "M", 38, "P", 22, "R", 14, "S", 9, "D", 7, "N", 7, "F", 6,
                        "T", 3, "O", 2), 0, "0", steps(), "303246.0", 303_241_000L, cats(), 5, 0, 0));
        return e;
    }

    static long ns(String micros) throws TraceTime.BadNumberException {
        return TraceTime.microsToNanos(micros);
    }

    @Test
    void everyChromeAndKinetoFileOfTheCorpusHasExpectations() {
        Set<String> listed = new TreeSet<>();
        for (Expect x : expectations()) {
            listed.add(x.file());
        }
        Set<String> present = new TreeSet<>(CorpusFiles.list("kineto"));
        present.addAll(CorpusFiles.list("chrome_trace"));
        assertEquals(present, listed, "corpus files and the expectations in this test differ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void importMatchesTheManifest(Expect x) throws Exception {
        Path source = CorpusFiles.file(x.file());
        CorpusFiles.Imported imported = CorpusFiles.imported(x.file());
        Path capture = imported.capture();
        ImportResult result = imported.result();

        assertEquals(x.events(), result.events(), "n_events");
        try (CaptureReader reader = CaptureReader.open(capture)) {
            Map<Category, Long> counts = reader.categoryCounts();
            Map<Category, Long> totals = reader.categoryTotals();

            assertEquals(x.kernels(), counts.getOrDefault(Category.KERNEL, 0L), "kernel count");
            assertEquals(ns(x.kernelUs()), totals.getOrDefault(Category.KERNEL, 0L), "kernel_dur_sum_us × 1000");
            assertEquals(x.stepDursUs().length, counts.getOrDefault(Category.STEP, 0L), "host ProfilerStep slices");
            long stepNs = 0;
            for (String d : x.stepDursUs()) {
                stepNs += ns(d);
            }
            assertEquals(stepNs, totals.getOrDefault(Category.STEP, 0L), "sum of ProfilerStep_durs_us × 1000");
            for (Map.Entry<Category, String[]> c : x.countAndUs().entrySet()) {
                assertEquals(Long.parseLong(c.getValue()[0]), counts.getOrDefault(c.getKey(), 0L), c.getKey() + " count");
                assertEquals(ns(c.getValue()[1]), totals.getOrDefault(c.getKey(), 0L), c.getKey() + " total ns");
            }

            // time_span counts every timestamped event; the capture's span is its slices'
            assertEquals(ns(x.spanUs()), result.spanNs(), "time_span (all timestamped events)");
            assertEquals(Long.toString(result.firstTsNs()), reader.meta(ChromeTraceImporter.META_EVENTS_FIRST_TS));
            assertEquals(Long.toString(result.lastEndNs()), reader.meta(ChromeTraceImporter.META_EVENTS_LAST_END));
            assertEquals(ns(x.spanUs()), Long.parseLong(reader.meta(ChromeTraceImporter.META_EVENTS_LAST_END))
                    - Long.parseLong(reader.meta(ChromeTraceImporter.META_EVENTS_FIRST_TS)));
            assertEquals(x.sliceSpanNs(), reader.spanNs(), "slice span");

            // every event is accounted for: imported, consumed or counted as lost, by phase
            Map<String, Long> byPh = x.byPhase();
            long x_ = byPh.getOrDefault("X", 0L);
            long b = byPh.getOrDefault("B", 0L);
            assertEquals(x_ - x.xWithoutDur() + b, result.slices(), "slices = X (with dur) + B/E pairs");
            long slicesInCapture = 0;
            for (long n : counts.values()) {
                slicesInCapture += n;
            }
            assertEquals(result.slices(), slicesInCapture);
            assertEquals(byPh.getOrDefault("i", 0L) + byPh.getOrDefault("I", 0L), result.instants(), "instants");
            assertEquals(x.flows(), result.flows(), "flow arrows");

            Map<String, Long> expectedLoss = new TreeMap<>();
            for (Map.Entry<String, Long> p : byPh.entrySet()) {
                if (!Set.of("X", "B", "E", "i", "I", "M", "s", "t", "f", "C").contains(p.getKey())) {
                    expectedLoss.put("unsupported phase '" + p.getKey() + "'", p.getValue());
                }
            }
            if (x.xWithoutDur() > 0) {
                expectedLoss.put("malformed event: 'X' without 'dur'", x.xWithoutDur());
            }
            Map<String, Long> metadataLoss = new TreeMap<>();
            Map<String, Long> actualLoss = new TreeMap<>();
            for (LossRow row : reader.loss()) {
                assertEquals(ChromeTraceImporter.LOSS_SOURCE, row.source());
                assertTrue(row.example() != null && row.example().startsWith("event #"), row.toString());
                if (row.kind().startsWith("unsupported metadata")) {
                    metadataLoss.put(row.kind(), row.count());
                } else {
                    actualLoss.put(row.kind(), row.count());
                }
            }
            assertEquals(expectedLoss, actualLoss, "loss by kind (from events_by_ph)");
            assertEquals(new TreeMap<>(result.loss()), merge(actualLoss, metadataLoss));
            long metadataLost = metadataLoss.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(byPh.getOrDefault("M", 0L), result.metadataEvents() + metadataLost, "M events");

            // launch ⇄ kernel: the correlation id is a column, so one join links them
            Object linked = reader.query("SELECT count(*) FROM slice k WHERE k.category = " + Category.KERNEL.id
                    + " AND EXISTS (SELECT 1 FROM slice r WHERE r.correlation_id = k.correlation_id AND r.category = "
                    + Category.CUDA_API.id + ")", 1).rows().get(0).get(0);
            assertEquals(x.kernelsLinkedToLaunch(), ((Number) linked).longValue(), "kernels linked to their launch");

            assertEquals("chrome-trace", reader.meta("source_format"));
            assertEquals(source.toAbsolutePath().normalize().toString(), reader.meta("source"));
        }
    }

    private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> m = new TreeMap<>(a);
        m.putAll(b);
        return m;
    }

    @Test
    void chrome69MetadataThatIsNotANameIsCountedAsLoss() throws Exception {
        // events_by_cat "__metadata": 38 = 29 thread_name + 2 process_name + 2 process_sort_index
        // + 1 thread_sort_index (consumed) + 2 num_cpus + 2 process_uptime_seconds (not imported)
        CorpusFiles.Imported imported = CorpusFiles.imported("chrome_trace/speedscope__Chrome69_simple.json");
        Path capture = imported.capture();
        ImportResult r = imported.result();
        assertEquals(2L, r.loss().get("unsupported metadata 'num_cpus'"));
        assertEquals(2L, r.loss().get("unsupported metadata 'process_uptime_seconds'"));
        assertEquals(34, r.metadataEvents());
        try (CaptureReader reader = CaptureReader.open(capture)) {
            List<Object> names = reader.query("SELECT name FROM process ORDER BY name", 10).rows().stream()
                    .map(row -> row.get(0)).toList();
            assertEquals(List.of("Browser", "Renderer"), names);
        }
    }

    @Test
    void kinetoGpuActivityLandsOnStreamTracksAndKeepsItsArgs() throws Exception {
        Path capture = CorpusFiles.imported("kineto/hta__trace_diff_control_control.json.gz").capture();
        try (CaptureReader reader = CaptureReader.open(capture)) {
            // rank 3 of 8: its kernels run on device 3 (args.device), streams from args.stream
            List<List<Object>> rows = reader.query("SELECT DISTINCT t.kind, t.device FROM slice s JOIN track t"
                    + " ON t.id = s.track_id WHERE s.category = " + Category.KERNEL.id, 10).rows();
            assertEquals(List.of(List.of("gpu_stream", 3)), rows);
            // host process and thread names come from the M events
            Object name = reader.query("SELECT name FROM process WHERE pid = 3113936", 1).rows().get(0).get(0);
            assertEquals("python3.8", name);
            // the top-level keys other than traceEvents are kept
            assertEquals("1", reader.meta("trace.schemaVersion"));
            assertTrue(reader.meta("trace.distributedInfo").contains("\"nccl\""), reader.meta("trace.distributedInfo"));
            assertTrue(reader.meta("trace.deviceProperties").startsWith("[{"));
            // a kernel's args: correlation in its column, the rest (grid, block, External id) as args
            List<List<Object>> k = reader.query("SELECT s.correlation_id, s.args_id FROM slice s WHERE s.category = "
                    + Category.KERNEL.id + " ORDER BY s.id LIMIT 1", 1).rows();
            long argsId = ((Number) k.get(0).get(1)).longValue();
            Map<String, Object> args = reader.args(argsId);
            assertTrue(args.containsKey("External id") && args.containsKey("grid") && args.containsKey("stream"),
                    args.toString());
            assertTrue(!args.containsKey("correlation") && !args.containsKey("cat"), args.toString());
            assertTrue(((String) args.get("grid")).startsWith("["), args.toString());
        }
    }

    @Test
    void legacyKinetoCategoriesAreKeptForExportAndTopKernelsMatch() throws Exception {
        Path capture = CorpusFiles.imported(
                "kineto/kineto__resnet50_num_workers_4_worker0.1623212756351.pt.trace.json.gz").capture();
        try (CaptureReader reader = CaptureReader.open(capture)) {
            List<NameTotal> top = reader.topNames(Category.KERNEL, 100);
            assertEquals(62, top.size(), "kernel_distinct_names");
            // "Kernel" is not the canonical "kernel": kept as arg cat so the export writes it back
            Object cat = reader.query("SELECT json_extract(args_json(a.data), '$.cat') FROM slice s JOIN arg_set a"
                    + " ON a.id = s.args_id WHERE s.category = " + Category.KERNEL.id + " LIMIT 1", 1).rows().get(0).get(0);
            assertEquals("Kernel", cat);
            // ProfilerStep#N with cat Operator is a step, and keeps "Operator"
            List<List<Object>> stepCats = reader.query("SELECT DISTINCT json_extract(args_json(a.data), '$.cat')"
                    + " FROM slice s JOIN arg_set a ON a.id = s.args_id WHERE s.category = " + Category.STEP.id, 5).rows();
            assertEquals(List.of(List.of("Operator")), stepCats);
        }
    }

    @Test
    void gpuUserAnnotationIsNeverASecondStep() throws Exception {
        Path capture = CorpusFiles.imported("kineto/tracelens__h100_Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz").capture();
        try (CaptureReader reader = CaptureReader.open(capture)) {
            List<List<Object>> rows = reader.query("SELECT s.category, t.kind, t.device FROM slice s JOIN track t ON"
                    + " t.id = s.track_id JOIN string n ON n.id = s.name_id WHERE n.value = 'ProfilerStep#6'"
                    + " ORDER BY s.category", 5).rows();
            assertEquals(List.of(Arrays.asList(Category.STEP.id, "thread", null),
                    Arrays.asList(Category.USER.id, "gpu_annotation", 0)), rows);
        }
    }

    @Test
    void cudaProfilerRangeIsNeverAKernel() throws Exception {
        Path capture = CorpusFiles.imported(
                "kineto/hta__cupti_profiler_benchmark_result_924719_1679055439_trace.json.gz").capture();
        try (CaptureReader reader = CaptureReader.open(capture)) {
            Object n = reader.query("SELECT count(*) FROM slice s JOIN arg_set a ON a.id = s.args_id WHERE"
                    + " json_extract(args_json(a.data), '$.cat') = 'cuda_profiler_range' AND s.category = "
                    + Category.USER.id, 1).rows().get(0).get(0);
            assertEquals(77L, ((Number) n).longValue(), "events_by_cat cuda_profiler_range");
        }
    }
}
