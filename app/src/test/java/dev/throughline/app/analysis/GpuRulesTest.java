package dev.throughline.app.analysis;

import dev.throughline.app.report.Report;
import dev.throughline.storage.CaptureReader;
import dev.throughline.storage.importer.ImportProgress;
import dev.throughline.storage.model.GpuIdleRow;
import dev.throughline.storage.importer.TraceImporters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU rules on real corpus traces, each test saying which trace must trigger a rule and why, and
 * which must not.
 */
class GpuRulesTest {
    @TempDir
    static Path dir;
    static final Map<String, List<Finding>> FINDINGS = new HashMap<>();

    @BeforeAll
    static void importCorpus() throws Exception {
        String corpus = System.getProperty("throughline.corpus");
        if (corpus == null || !Files.isDirectory(Path.of(corpus))) {
            throw new IllegalStateException("the corpus (../shared/corpus, system property throughline.corpus) is missing");
        }
        Map<String, String> traces = Map.of(
                "resnet", "kineto/kineto__resnet50_num_workers_4_worker0.1623212756351.pt.trace.json.gz",
                "qwen", "kineto/tracelens__h100_Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz",
                "control", "kineto/hta__trace_diff_control_control.json.gz",
                "cpu_only", "kineto/hta__cpu_only_rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz");
        for (Map.Entry<String, String> t : traces.entrySet()) {
            Path capture = dir.resolve(t.getKey() + ".tlcap");
            TraceImporters.importToCapture(Path.of(corpus, t.getValue()), capture, false, ImportProgress.NONE);
            try (CaptureReader reader = CaptureReader.open(capture)) {
                FINDINGS.put(t.getKey(), Report.of(reader).findings());
            }
        }
    }

    private static Optional<Finding> finding(String trace, String rule) {
        return FINDINGS.get(trace).stream().filter(f -> f.rule().equals(rule)).findFirst();
    }

    @Test
    void launchBound() {
        // ResNet-50, batch on a V100: 5,506 of 8,868 kernels (62 %) run ≤ 8.192 µs and the GPU idles 23 %
        // of its window — the CPU cannot launch fast enough
        Finding resnet = finding("resnet", "launch_bound").orElseThrow();
        assertEquals(Severity.MODERATE, resnet.severity(), resnet.message());
        assertTrue(resnet.message().contains("62 %"), resnet.message());
        assertTrue(resnet.whatIf().predictedNs() < resnet.whatIf().currentNs());
        // Qwen on an H100: only 152 of 1,465 kernels (10 %) are that short: big GEMMs, not launch-bound
        assertTrue(finding("qwen", "launch_bound").isEmpty());
        // HTA control rank: 47 % short kernels, under the 50 % bar
        assertTrue(finding("control", "launch_bound").isEmpty());
    }

    @Test
    void pageableCopy() {
        // ResNet-50: its 12 input copies are "Memcpy HtoD (Pageable -> Device)", 18.96 ms over
        // 846 ms of steps (2.2 %): pinned memory would halve them
        Finding resnet = finding("resnet", "pageable_copy").orElseThrow();
        assertEquals(Severity.MODERATE, resnet.severity(), resnet.message());
        assertEquals(18_959_000 / 2, resnet.whatIf().currentNs() - resnet.whatIf().predictedNs());
        // HTA control rank: its 150 input copies are pinned ("Pinned -> Device"); 60 tiny pageable
        // DtoH copies (0.1 ms over 6 steps) stay far below 2 %
        assertTrue(finding("control", "pageable_copy").isEmpty());
    }

    @Test
    void syncInStep() {
        // Qwen inference step: two cudaDeviceSynchronize calls block the host 16.3 ms of a ~48 ms step
        Finding qwen = finding("qwen", "sync_in_step").orElseThrow();
        assertEquals(Severity.HIGH, qwen.severity(), qwen.message());
        // ResNet-50: one cudaDeviceSynchronize (7.95 ms) and 12 stream syncs over 846 ms of steps: 1 %
        assertTrue(finding("resnet", "sync_in_step").isEmpty());
    }

    @Test
    void inputBoundOnAnImportedTrace() {
        // ResNet-50 with num_workers=4: the plugin's DataLoader share is 1.186 of 141.068 ms (0.84 %), under 5 %
        assertTrue(finding("resnet", "input_bound").isEmpty());
    }

    @Test
    void gpuIdleSaysWhyTheGpuWaits() throws Exception {
        // ResNet-50 on a V100 idles 23 % of its window; HTA's breakdown of the gaps on its one stream puts
        // 175.0 ms (1,811 gaps) on host wait against 10.6 ms of kernel-to-kernel gaps: the host is the bottleneck
        Finding resnet = finding("resnet", "gpu_idle").orElseThrow();
        assertEquals(Severity.MODERATE, resnet.severity(), resnet.message());
        assertTrue(resnet.message().contains("mostly waiting for the host to launch work (94 % of the gaps)"),
                resnet.message());
        assertTrue(resnet.evidence().contains("host wait 175.0 ms (1811 gaps)"), resnet.evidence());
        assertTrue(resnet.recommendation().startsWith("The CPU does not enqueue work fast enough"));
        // Qwen on an H100 idles 8.6 % (TraceLens): under the 10 % bar, no finding; its gaps are mostly
        // kernel-to-kernel (2.50 ms over 1,681 gaps, host wait 1.50 ms)
        assertTrue(finding("qwen", "gpu_idle").isEmpty());
        try (CaptureReader qwen = CaptureReader.open(dir.resolve("qwen.tlcap"))) {
            GpuIdleRow row = qwen.gpuIdle().get(0);
            assertEquals(2_504_929, row.kernelWaitNs());
            assertEquals(1_681, row.kernelWaitGaps());
            assertEquals(1_500_603, row.hostWaitNs());
        }
        // every stream's gaps add up to its span (first start to the end of the last event by start) minus
        // its events' durations, computed here independently from the slice table
        for (String trace : new String[] {"resnet", "qwen", "control"}) {
            try (CaptureReader reader = CaptureReader.open(dir.resolve(trace + ".tlcap"))) {
                List<GpuIdleRow> rows = reader.gpuIdle();
                assertTrue(!rows.isEmpty(), trace);
                for (GpuIdleRow r : rows) {
                    long expected = ((Number) reader.query("SELECT (SELECT s.start_ns + s.dur_ns FROM slice s WHERE s.track_id = t.id"
                            + " AND s.category IN (9, 10, 11) ORDER BY s.start_ns DESC, s.id DESC LIMIT 1)"
                            + " - MIN(s.start_ns) - SUM(s.dur_ns) FROM track t JOIN slice s ON s.track_id = t.id"
                            + " WHERE t.device = " + r.device() + " AND t.stream = " + r.stream()
                            + " AND s.category IN (9, 10, 11)", 1).rows().get(0).get(0)).longValue();
                    assertEquals(expected, r.idleNs(), trace + " stream " + r.stream());
                }
            }
        }
    }

    @Test
    void aCpuOnlyTraceHasNoGpuFindings() {
        // HTA's CPU-only rank (gloo): no kernels, no copies, no CUDA calls
        for (String rule : new String[] {"launch_bound", "pageable_copy", "sync_in_step", "gpu_idle"}) {
            assertTrue(finding("cpu_only", rule).isEmpty(), rule);
        }
    }
}
