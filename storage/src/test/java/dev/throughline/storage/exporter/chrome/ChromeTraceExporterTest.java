package dev.throughline.storage.exporter.chrome;

import dev.throughline.storage.ArgSet;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.CaptureWriter;
import dev.throughline.storage.Category;
import dev.throughline.storage.TrackKind;
import dev.throughline.storage.importer.ImportResult;
import dev.throughline.storage.importer.TraceImporters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export of a capture recorded by our own agents (not imported), and the file handling of an export. */
class ChromeTraceExporterTest {
    @TempDir
    Path dir;

    /** A capture as the collector would write it: host thread, a GPU stream without process, a counter. */
    private Path agentCapture() throws IOException {
        Path file = dir.resolve("agent.tlcap");
        try (CaptureWriter w = CaptureWriter.create(file, false)) {
            int proc = w.process(4242, "train.py");
            int thread = w.thread(proc, 4243, "MainThread");
            int host = w.track(TrackKind.THREAD, proc, thread, null, null, null);
            int gpu = w.track(TrackKind.GPU_STREAM, null, null, 1, 13L, "stream 13");
            int util = w.track(TrackKind.COUNTER, proc, null, null, null, "gpu1 utilization");
            ArgSet args = new ArgSet().put("batch", 32L).put("lr", 0.001).put("shape", "[32,3,224,224]")
                    .put("note", "[not json");
            long a = w.args(args);
            w.slice(host, 1_000_000_000_123L, 1_234_567L, w.string("step 3"), Category.STEP, 0, -1, -1, a);
            w.slice(host, 1_000_000_000_200L, 500L, w.string("DataLoader.__next__"), Category.DATA_WAIT, 1, -1, -1, 0);
            w.slice(host, 1_000_000_000_300L, 400L, w.string("fetch"), Category.DATA_FETCH, 1, -1, -1, 0);
            w.slice(host, 1_000_000_000_800L, 900L, w.string("GET /predict"), Category.REQUEST, 0, -1, -1, 0);
            w.slice(host, 1_000_000_001_000L, 10L, w.string("forward"), Category.PHASE, 0, -1, -1, 0);
            w.slice(host, 1_000_000_001_100L, 20L, w.string("G1 Young"), Category.GC, 0, -1, -1, 0);
            w.slice(host, 1_000_000_001_200L, 5L, w.string("cudaLaunchKernel"), Category.CUDA_API, 1, -1, 77, 0);
            w.slice(gpu, 1_000_000_001_300L, 3_001L, w.string("gemm"), Category.KERNEL, 0, -1, 77, 0);
            w.counter(util, 1_000_000_000_000L, 97.5);
            w.counter(util, 1_000_000_002_000L, 40);
            w.instant(host, 1_000_000_000_150L, w.string("oom warning"), 0);
            w.flow(77, w.string("launch"), w.string("ac2g"), host, 1_000_000_001_200L, gpu, 1_000_000_001_300L);
        }
        return file;
    }

    @Test
    void writesKinetoCategoriesExactMicrosecondsAndGpuPidTid() throws Exception {
        Path out = dir.resolve("agent.json");
        ExportResult r = new ChromeTraceExporter().export(agentCapture(), out, false);
        assertEquals(8, r.slices());
        assertEquals(1, r.instants());
        assertEquals(2, r.counterPoints());
        assertEquals(2, r.flowEvents());
        Map<String, Long> phases = TraceJson.validate(out);
        assertEquals(Map.of("X", 8L, "i", 1L, "C", 2L, "s", 1L, "f", 1L, "M", r.metadataEvents()), phases);

        String json = Files.readString(out, StandardCharsets.UTF_8);
        // 1_000_000_000_123 ns = 1000000000.123 µs, 1_234_567 ns = 1234.567 µs: exact decimal text
        assertTrue(json.contains("\"cat\":\"step\",\"name\":\"step 3\",\"pid\":4242,\"tid\":4243,"
                + "\"ts\":1000000000.123,\"dur\":1234.567"), json);
        // JSON text args go back as JSON, other strings stay strings
        assertTrue(json.contains("\"args\":{\"batch\":32,\"lr\":0.001,\"shape\":[32,3,224,224],\"note\":\"[not json\"}"),
                json);
        assertTrue(json.contains("\"cat\":\"kernel\",\"name\":\"gemm\",\"pid\":1,\"tid\":13,\"ts\":1000000001.3,"
                + "\"dur\":3.001,\"args\":{\"correlation\":77}"), json);
        assertTrue(json.contains("\"cat\":\"cuda_runtime\",\"name\":\"cudaLaunchKernel\""), json);
        assertTrue(json.contains("\"cat\":\"data_wait\""), json);
        assertTrue(json.contains("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"GPU 1\"}}"),
                json);
        assertTrue(json.contains("{\"ph\":\"C\",\"name\":\"gpu1 utilization\",\"pid\":4242,\"tid\":0,"
                + "\"ts\":1000000000,\"args\":{\"value\":97.5}}"), json);
        assertTrue(json.contains("{\"ph\":\"f\",\"id\":77,\"pid\":1,\"tid\":13,\"ts\":1000000001.3,\"cat\":\"ac2g\","
                + "\"name\":\"launch\",\"bp\":\"e\"}"), json);
        assertTrue(json.startsWith("{\"displayTimeUnit\":\"ms\",\n\"traceEvents\":[\n"), json);
    }

    @Test
    void ourOwnCategoriesSurviveARoundTrip() throws Exception {
        Path capture = agentCapture();
        Path out = dir.resolve("agent.json.gz");
        new ChromeTraceExporter().export(capture, out, false);
        try (InputStream in = Files.newInputStream(out)) {
            assertEquals(0x1f, in.read());
        }
        try (GZIPInputStream gz = new GZIPInputStream(Files.newInputStream(out))) {
            assertTrue(new String(gz.readAllBytes(), StandardCharsets.UTF_8).contains("\"traceEvents\""));
        }
        Path again = dir.resolve("again.tlcap");
        ImportResult r = TraceImporters.importToCapture(out, again, false, null);
        assertEquals(Map.of(), r.loss());
        try (CaptureReader a = CaptureReader.open(capture); CaptureReader b = CaptureReader.open(again)) {
            Map<Category, Long> expected = new EnumMap<>(Category.class);
            for (Category c : List.of(Category.STEP, Category.DATA_WAIT, Category.DATA_FETCH, Category.REQUEST,
                    Category.PHASE, Category.GC, Category.CUDA_API, Category.KERNEL)) {
                expected.put(c, 1L);
            }
            assertEquals(expected, a.categoryCounts());
            assertEquals(a.categoryCounts(), b.categoryCounts());
            assertEquals(a.categoryTotals(), b.categoryTotals());
            assertEquals(a.spanNs(), b.spanNs());
            assertEquals(List.of(List.of("gpu_stream", 1, 13)),
                    b.query("SELECT kind, device, stream FROM track WHERE kind = 'gpu_stream'", 5).rows());
            assertEquals(List.of(List.of(77, 77)), b.query("SELECT r.correlation_id, k.correlation_id FROM slice r"
                    + " JOIN slice k ON k.correlation_id = r.correlation_id AND k.id <> r.id WHERE r.category = "
                    + Category.CUDA_API.id, 5).rows());
            assertEquals(2, ((Number) b.query("SELECT count(*) FROM counter", 1).rows().get(0).get(0)).intValue());
            assertEquals(1, ((Number) b.query("SELECT count(*) FROM flow WHERE from_track_id IS NOT NULL AND"
                    + " to_track_id IS NOT NULL", 1).rows().get(0).get(0)).intValue());
        }
    }

    @Test
    void anExistingTargetIsKeptUnlessOverwriteAndNothingHalfWrittenIsLeft() throws Exception {
        Path capture = agentCapture();
        Path out = dir.resolve("x.json");
        Files.writeString(out, "keep me");
        IOException e = assertThrows(IOException.class, () -> new ChromeTraceExporter().export(capture, out, false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("keep me", Files.readString(out));
        new ChromeTraceExporter().export(capture, out, true);
        assertTrue(Files.readString(out).startsWith("{\"displayTimeUnit\""));
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".partial")));
        }
    }
}
