package dev.throughline.storage.importer.chrome;

import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.TraceImporters;
import dev.throughline.storage.model.LossRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The importer's rules, each on a small trace written here. */
class ChromeTraceImporterTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, json, StandardCharsets.UTF_8);
        return f;
    }

    private ImportResult importFile(Path source, Path capture) throws Exception {
        return TraceImporters.importToCapture(source, capture, false, null);
    }

    private static Map<String, Long> lossMap(CaptureReader r) throws Exception {
        Map<String, Long> m = new java.util.TreeMap<>();
        for (LossRow row : r.loss()) {
            m.put(row.kind(), row.count());
        }
        return m;
    }

    @Test
    void bareArrayWithBeginEndInstantCounterAndMetadata() throws Exception {
        Path src = write("t.json", "[\n"
                + "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":7,\"tid\":0,\"args\":{\"name\":\"trainer\"}},\n"
                + "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":7,\"tid\":8,\"args\":{\"name\":\"main\"}},\n"
                + "{\"ph\":\"B\",\"name\":\"outer\",\"pid\":7,\"tid\":8,\"ts\":10,\"args\":{\"a\":1}},\n"
                + "{\"ph\":\"B\",\"name\":\"inner\",\"pid\":7,\"tid\":8,\"ts\":11.5},\n"
                + "{\"ph\":\"E\",\"pid\":7,\"tid\":8,\"ts\":12.25},\n"
                + "{\"ph\":\"E\",\"pid\":7,\"tid\":8,\"ts\":20,\"args\":{\"b\":\"x\"}},\n"
                + "{\"ph\":\"E\",\"pid\":7,\"tid\":8,\"ts\":21},\n"
                + "{\"ph\":\"B\",\"name\":\"never-ends\",\"pid\":7,\"tid\":9,\"ts\":30},\n"
                + "{\"ph\":\"i\",\"name\":\"mark\",\"pid\":7,\"tid\":8,\"ts\":15,\"s\":\"t\",\"cat\":\"c\"},\n"
                + "{\"ph\":\"C\",\"name\":\"mem\",\"pid\":7,\"ts\":16,\"args\":{\"used\":10,\"free\":2.5,\"bad\":\"x\"}},\n"
                + "{\"ph\":\"C\",\"name\":\"mem\",\"pid\":7,\"ts\":17,\"args\":{\"used\":11,\"free\":3}}\n"
                + "]\n");
        Path capture = dir.resolve("t.tlcap");
        ImportResult r = importFile(src, capture);
        assertEquals(11, r.events());
        assertEquals(2, r.slices());
        assertEquals(1, r.instants());
        assertEquals(4, r.counterPoints());
        assertEquals(2, r.metadataEvents());
        assertEquals(Map.of("unmatched 'E' (no open 'B' on its thread)", 1L,
                "unmatched 'B' (no 'E' before the end of the trace)", 1L,
                "counter series with a non-numeric value", 1L), r.loss());
        try (CaptureReader reader = CaptureReader.open(capture)) {
            long o = reader.timeOriginNs(); // stored times are relative to it
            List<List<Object>> slices = reader.query("SELECT n.value, s.start_ns + " + o + ", s.dur_ns, s.depth,"
                    + " s.args_id FROM slice s JOIN string n ON n.id = s.name_id ORDER BY s.start_ns", 10).rows();
            assertEquals("outer", slices.get(0).get(0));
            assertEquals(10_000L, ((Number) slices.get(0).get(1)).longValue());
            assertEquals(10_000L, ((Number) slices.get(0).get(2)).longValue());
            assertEquals(0, ((Number) slices.get(0).get(3)).intValue());
            assertEquals("inner", slices.get(1).get(0));
            assertEquals(11_500L, ((Number) slices.get(1).get(1)).longValue());
            assertEquals(750L, ((Number) slices.get(1).get(2)).longValue());
            assertEquals(1, ((Number) slices.get(1).get(3)).intValue());
            // the begin's and the end's args together
            assertEquals(Map.of("a", 1L, "b", "x"), reader.args(((Number) slices.get(0).get(4)).longValue()));
            assertEquals(Map.of(Category.USER, 2L), reader.categoryCounts());
            assertEquals(List.of(List.of("trainer")), reader.query("SELECT name FROM process", 5).rows());
            assertEquals(List.of(Arrays.asList(8L, "main")),
                    reader.query("SELECT tid, name FROM thread WHERE name IS NOT NULL", 5).rows().stream()
                            .map(row -> Arrays.asList(((Number) row.get(0)).longValue(), row.get(1))).toList());
            List<List<Object>> counters = reader.query("SELECT n.value, c.ts_ns + " + o + ", c.value FROM counter c"
                    + " JOIN track t ON t.id = c.track_id JOIN string n ON n.id = t.name_id ORDER BY n.value, c.ts_ns", 10)
                    .rows().stream().map(row -> List.of(row.get(0), ((Number) row.get(1)).longValue(), row.get(2))).toList();
            assertEquals(List.of(List.of("mem free", 16_000L, 2.5), List.of("mem free", 17_000L, 3.0),
                    List.of("mem used", 16_000L, 10.0), List.of("mem used", 17_000L, 11.0)), counters);
            List<List<Object>> instants = reader.query("SELECT n.value, i.ts_ns + " + o + ", i.args_id FROM instant i"
                    + " JOIN string n ON n.id = i.name_id", 10).rows();
            assertEquals(15_000L, ((Number) instants.get(0).get(1)).longValue());
            assertEquals("mark", instants.get(0).get(0));
            assertEquals(Map.of("@s", "t", "cat", "c"), reader.args(((Number) instants.get(0).get(2)).longValue()));
            String example = reader.loss().stream().filter(l -> l.kind().startsWith("unmatched 'B'")).findFirst()
                    .orElseThrow().example();
            assertTrue(example.startsWith("event #7 at byte "), example);
        }
    }

    @Test
    void flowsPairByIdAndCatInEitherOrderAndKeepUnpairedEnds() throws Exception {
        Path src = write("f.json", "{\"traceEvents\":[\n"
                + "{\"ph\":\"X\",\"cat\":\"cuda_runtime\",\"name\":\"cudaLaunchKernel\",\"pid\":1,\"tid\":1,\"ts\":100,"
                + "\"dur\":5,\"args\":{\"correlation\":42}},\n"
                + "{\"ph\":\"s\",\"id\":42,\"cat\":\"ac2g\",\"name\":\"ac2g\",\"pid\":1,\"tid\":1,\"ts\":100},\n"
                + "{\"ph\":\"X\",\"cat\":\"kernel\",\"name\":\"k\",\"pid\":0,\"tid\":7,\"ts\":110,\"dur\":3,"
                + "\"args\":{\"device\":0,\"stream\":7,\"correlation\":42}},\n"
                + "{\"ph\":\"f\",\"id\":42,\"cat\":\"ac2g\",\"name\":\"ac2g\",\"pid\":0,\"tid\":7,\"ts\":110,\"bp\":\"e\"},\n"
                + "{\"ph\":\"f\",\"id\":43,\"cat\":\"ac2g\",\"name\":\"ac2g\",\"pid\":0,\"tid\":7,\"ts\":120,\"bp\":\"e\"},\n"
                + "{\"ph\":\"s\",\"id\":43,\"cat\":\"ac2g\",\"name\":\"ac2g\",\"pid\":1,\"tid\":1,\"ts\":115},\n"
                + "{\"ph\":\"s\",\"id\":43,\"cat\":\"other\",\"name\":\"o\",\"pid\":1,\"tid\":1,\"ts\":116},\n"
                + "{\"ph\":\"f\",\"id\":\"0x2c\",\"cat\":\"ac2g\",\"name\":\"ac2g\",\"pid\":1,\"tid\":1,\"ts\":130}\n"
                + "]}");
        Path capture = dir.resolve("f.tlcap");
        ImportResult r = importFile(src, capture);
        assertEquals(4, r.flows());
        try (CaptureReader reader = CaptureReader.open(capture)) {
            int gpu = trackOf(reader, "gpu_stream");
            int host = trackOf(reader, "thread");
            long o = reader.timeOriginNs();
            List<List<Object>> flows = reader.query("SELECT flow_id, from_track_id, from_ts_ns + " + o + ", to_track_id,"
                    + " to_ts_ns + " + o + " FROM flow ORDER BY flow_id, from_ts_ns", 10).rows().stream()
                    .map(row -> row.stream().map(v -> v == null ? null : (Object) ((Number) v).longValue()).toList()).toList();
            List<List<Object>> expected = new ArrayList<>();
            expected.add(Arrays.asList(42L, (long) host, 100_000L, (long) gpu, 110_000L)); // f lands on the kernel's track
            expected.add(Arrays.asList(43L, (long) host, 115_000L, (long) gpu, 120_000L)); // finish before start in the file
            expected.add(Arrays.asList(43L, (long) host, 116_000L, null, null));   // other cat: not the same flow
            expected.add(Arrays.asList(44L, null, null, (long) host, 130_000L));   // 0x2c: a finish without start
            assertEquals(expected, flows);
            // launch ⇄ kernel through the correlation column
            assertEquals(List.of(List.of(42, 42)), reader.query("SELECT r.correlation_id, k.correlation_id FROM slice r"
                    + " JOIN slice k ON k.correlation_id = r.correlation_id AND k.id <> r.id WHERE r.category = "
                    + Category.CUDA_API.id, 5).rows());
        }
    }

    private static int trackOf(CaptureReader reader, String kind) throws Exception {
        return ((Number) reader.query("SELECT id FROM track WHERE kind = '" + kind + "'", 1).rows().get(0).get(0)).intValue();
    }

    @Test
    void unknownFieldsArgsTypesAndStringIdentitiesAreKept() throws Exception {
        Path src = write("k.json", "{\"otherData\":{\"v\":[1,2]},\"traceEvents\":[\n"
                + "{\"ph\":\"X\",\"name\":\"n\",\"cat\":\"toplevel\",\"pid\":\"Spans\",\"tid\":\"PyTorch Profiler\","
                + "\"ts\":1.5,\"dur\":2,\"tts\":9,\"cname\":\"good\",\"id\":\"0x1\","
                + "\"args\":{\"i\":1,\"d\":0.5,\"s\":\"str\",\"b\":true,\"n\":null,\"o\":{\"k\":[1,\"x\\\"y\"]},"
                + "\"big\":18446744073709551615}}\n"
                + "],\"displayTimeUnit\":\"ns\",\"schemaVersion\":1}");
        Path capture = dir.resolve("k.tlcap");
        importFile(src, capture);
        try (CaptureReader reader = CaptureReader.open(capture)) {
            long argsId = ((Number) reader.query("SELECT args_id FROM slice", 1).rows().get(0).get(0)).longValue();
            Map<String, Object> args = reader.args(argsId);
            assertEquals(1L, ((Number) args.get("i")).longValue());
            assertEquals(0.5, args.get("d"));
            assertEquals("str", args.get("s"));
            assertEquals("true", args.get("b"));
            assertEquals("null", args.get("n"));
            assertEquals("{\"k\":[1,\"x\\\"y\"]}", args.get("o"));
            assertEquals("18446744073709551615", args.get("big"));
            assertEquals(9L, ((Number) args.get("@tts")).longValue());
            assertEquals("good", args.get("@cname"));
            assertEquals("0x1", args.get("@id"));
            assertEquals("toplevel", args.get("cat")); // not a canonical cat: kept for export
            List<Object> process = reader.query("SELECT pid, name FROM process", 1).rows().get(0);
            assertEquals(ChromeTraceImporter.SYNTHETIC_ID_BASE, ((Number) process.get(0)).longValue());
            assertEquals("Spans", process.get(1));
            assertEquals("PyTorch Profiler", reader.query("SELECT name FROM thread", 1).rows().get(0).get(0));
            assertEquals("{\"v\":[1,2]}", reader.meta("trace.otherData"));
            assertEquals("ns", reader.meta("trace.displayTimeUnit"));
            assertEquals("1", reader.meta("trace.schemaVersion"));
            assertNull(reader.meta("trace.traceEvents"));
            assertEquals(1_500L, reader.timeOriginNs() + ((Number) reader.query("SELECT min(start_ns) FROM slice", 1)
                    .rows().get(0).get(0)).longValue());
        }
    }

    @Test
    void gzipIsDetectedByItsMagicNotItsName() throws Exception {
        byte[] json = "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1}]".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(json);
        }
        Path src = dir.resolve("looks-plain.json");
        Files.write(src, bytes.toByteArray());
        Path capture = dir.resolve("g.tlcap");
        List<long[]> calls = new ArrayList<>();
        ImportResult r = TraceImporters.importToCapture(src, capture, false,
                (read, total, events) -> calls.add(new long[] {read, total, events}));
        assertEquals(1, r.slices());
        assertEquals(json.length, r.jsonBytes());
        long[] last = calls.get(calls.size() - 1);
        assertEquals(Files.size(src), last[1]);
        assertEquals(last[1], last[0]);
        assertEquals(1, last[2]);
    }

    @Test
    void bareArrayWithoutItsClosingBracketIsAccepted() throws Exception {
        // the JSON Array Format lets a trace written while running end without ']'
        Path src = write("open.json", "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1},\n"
                + "{\"ph\":\"X\",\"name\":\"b\",\"pid\":1,\"tid\":1,\"ts\":3,\"dur\":1},\n");
        ImportResult r = importFile(src, dir.resolve("o.tlcap"));
        assertEquals(2, r.slices());
    }

    @Test
    void malformedEventsAreCountedWithTheirIndex() throws Exception {
        Path src = write("m.json", "[\n"
                + "{\"ph\":\"X\",\"name\":\"ok\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":1},\n"
                + "{\"ph\":\"X\",\"name\":\"no-ts\",\"pid\":1,\"tid\":1,\"dur\":1},\n"
                + "{\"ph\":\"X\",\"name\":\"no-dur\",\"pid\":1,\"tid\":1,\"ts\":1},\n"
                + "42,\n"
                + "[1,2],\n"
                + "{\"name\":\"no-ph\",\"pid\":1,\"tid\":1,\"ts\":1},\n"
                + "{\"ph\":\"b\",\"name\":\"async\",\"cat\":\"c\",\"id\":1,\"pid\":1,\"tid\":1,\"ts\":1},\n"
                + "{\"ph\":\"s\",\"name\":\"flow\",\"cat\":\"c\",\"pid\":1,\"tid\":1,\"ts\":1}\n"
                + "]");
        Path capture = dir.resolve("m.tlcap");
        ImportResult r = importFile(src, capture);
        assertEquals(8, r.events());
        assertEquals(1, r.slices());
        try (CaptureReader reader = CaptureReader.open(capture)) {
            assertEquals(Map.of("malformed event: no 'ts'", 1L, "malformed event: 'X' without 'dur'", 1L,
                    "malformed event: not a JSON object", 2L, "malformed event: no 'ph'", 1L,
                    "unsupported phase 'b'", 1L, "malformed event: flow without 'id'", 1L), lossMap(reader));
            for (LossRow row : reader.loss()) {
                assertTrue(row.example().matches("event #\\d+ at byte \\d+.*"), row.toString());
            }
            String notObject = reader.loss().stream().filter(l -> l.kind().contains("not a JSON object")).findFirst()
                    .orElseThrow().example();
            assertTrue(notObject.startsWith("event #3 at byte "), notObject);
            assertTrue(notObject.endsWith("is a number"), notObject);
        }
    }

    @Test
    void categoriesMapToOursAndKeepTheRawCatOnlyWhenNotCanonical() throws Exception {
        String[][] cases = {
                {"kernel", "k", "KERNEL", null}, {"Kernel", "k", "KERNEL", "Kernel"},
                {"gpu_memcpy", "m", "MEMCPY", null}, {"Memcpy", "m", "MEMCPY", "Memcpy"},
                {"gpu_memset", "m", "MEMSET", null}, {"Memset", "m", "MEMSET", "Memset"},
                {"cuda_runtime", "r", "CUDA_API", null}, {"cuda_driver", "r", "CUDA_API", "cuda_driver"},
                {"Runtime", "r", "CUDA_API", "Runtime"}, {"cpu_op", "o", "CPU_OP", null},
                {"Operator", "o", "CPU_OP", "Operator"}, {"python_function", "p", "PYTHON", null},
                {"user_annotation", "u", "USER", null}, {"cuda_sync", "s", "SYNC", null},
                {"user_annotation", "ProfilerStep#3", "STEP", null}, {"Operator", "ProfilerStep#4", "STEP", "Operator"},
                {"cuda_profiler_range", "k", "USER", "cuda_profiler_range"}, {"Trace", "t", "USER", "Trace"},
                {null, "x", "USER", null}, {"weird,cat", "x", "USER", "weird,cat"},
                {"data_wait", "w", "DATA_WAIT", null}, {"request", "q", "REQUEST", null},
        };
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < cases.length; i++) {
            json.append(i == 0 ? "" : ",\n").append("{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":").append(i)
                    .append(",\"dur\":1,\"name\":\"").append(cases[i][1]).append('"');
            if (cases[i][0] != null) {
                json.append(",\"cat\":\"").append(cases[i][0]).append('"');
            }
            json.append(",\"args\":{\"device\":0,\"stream\":1}}");
        }
        Path src = write("c.json", json.append("]").toString());
        Path capture = dir.resolve("c.tlcap");
        importFile(src, capture);
        try (CaptureReader reader = CaptureReader.open(capture)) {
            List<List<Object>> rows = reader.query("SELECT s.category, s.args_id FROM slice s ORDER BY s.start_ns", 100)
                    .rows();
            for (int i = 0; i < cases.length; i++) {
                Category c = Category.byId(((Number) rows.get(i).get(0)).intValue());
                assertEquals(Category.valueOf(cases[i][2]), c, Arrays.toString(cases[i]));
                Object raw = reader.args(((Number) rows.get(i).get(1)).longValue()).get("cat");
                assertEquals(cases[i][3], raw, Arrays.toString(cases[i]));
            }
        }
    }

    @Test
    void aWriterTheCallerAbortsLeavesNothing() throws Exception {
        Path src = write("bad.json", "{\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":\"abc\"}]}");
        Path out = Files.createDirectory(dir.resolve("out"));
        CaptureWriter writer = CaptureWriter.create(out.resolve("x.tlcap"), false);
        try {
            new ChromeTraceImporter().importInto(src, writer, null);
            writer.close();
        } catch (Exception e) {
            writer.abort();
        }
        try (var s = Files.list(out)) {
            assertEquals(List.of(), s.toList());
        }
    }
}
