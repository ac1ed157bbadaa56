package dev.throughline.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report --json on real traces against the numbers the reference tools printed for them
 * (TensorBoard profiler plugin for resnet50; TraceLens for the Qwen H100 trace).
 */
class ReportCommandTest {
    @TempDir
    static Path dir;
    static Map<String, Object> resnet;
    static Map<String, Object> qwen;

    @BeforeAll
    static void importBoth() throws IOException {
        resnet = reportJson("kineto/kineto__resnet50_num_workers_4_worker0.1623212756351.pt.trace.json.gz", "resnet");
        qwen = reportJson("kineto/tracelens__h100_Qwen_Qwen1.5-0.5B-Chat__1016005.json.gz", "qwen");
    }

    private static Map<String, Object> reportJson(String corpusFile, String name) throws IOException {
        Path capture = dir.resolve(name + ".tlcap");
        Cli imp = Cli.run("import", Cli.corpus(corpusFile).toString(), "-o", capture.toString());
        assertEquals(0, imp.exitCode(), imp.err());
        Cli rep = Cli.run("report", capture.toString(), "--json");
        assertEquals(0, rep.exitCode(), rep.err());
        return flatten(rep.out());
    }

    /** JSON → flat map of dotted paths ("steps.breakdown_ns.kernel", "gpus.0.busy_ns") to values. */
    static Map<String, Object> flatten(String json) throws IOException {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            walk(p, p.nextToken(), "", out);
        }
        return out;
    }

    private static void walk(JsonParser p, JsonToken t, String path, Map<String, Object> out) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                walk(p, p.nextToken(), path.isEmpty() ? f : path + "." + f, out);
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                walk(p, e, path + "." + i++, out);
            }
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
            out.put(path, p.getLongValue());
        } else if (t == JsonToken.VALUE_NULL) {
            out.put(path, null);
        } else {
            out.put(path, p.getText());
        }
    }

    private static long num(Map<String, Object> m, String path) {
        Object v = m.get(path);
        assertTrue(v instanceof Long, path + " is " + v);
        return (Long) v;
    }

    /** The plugin prints whole microseconds: ours must round to the same figure (within 1 µs). */
    private static void assertMicros(long expectedUs, long actualNs, String what) {
        assertTrue(Math.abs(actualNs - expectedUs * 1000) <= 1000,
                what + ": expected " + expectedUs + " µs, was " + actualNs + " ns");
    }

    @Test
    void contractHeader() {
        assertEquals("throughline.report/1", resnet.get("schema"));
    }

    @Test
    void resnetCountsEqualTheManifest() {
        // MANIFEST.md: 8868 legacy "Kernel" events, kernel_dur_sum_us 594868.0, 6 host ProfilerSteps
        assertEquals(8868L, num(resnet, "kernels.count"));
        assertEquals(594_868_000L, num(resnet, "kernels.total_ns"));
        assertEquals(8868L, num(resnet, "events.kernel"));
        assertEquals(6L, num(resnet, "steps.count"));
        assertEquals(12L, num(resnet, "events.memcpy"));
        assertEquals(378L, num(resnet, "events.memset"));
        assertEquals(12085L, num(resnet, "events.cuda_api"));
        // top kernel: cudnn dgrad_engine, 86855 µs over 180 launches
        assertEquals(180L, num(resnet, "kernels.top.0.count"));
        assertEquals(86_855_000L, num(resnet, "kernels.top.0.total_ns"));
        // ProfilerStep_mean_dur_us 139692.0 (host side)
        assertEquals(139_692_000L, num(resnet, "steps.host_mean_ns"));
    }

    @Test
    void resnetStepBreakdownMatchesTheTensorBoardPlugin() {
        // torch_tb_profiler on this trace, steps 5-10: average step 141,068 µs; Kernel 99,145, Memcpy 3,160,
        // Memset 98, Runtime 10,564, DataLoader 1,186, CPU Exec 22,665, Other 4,251 µs
        assertMicros(141_068, num(resnet, "steps.mean_ns"), "mean step");
        assertMicros(99_145, num(resnet, "steps.breakdown_ns.kernel"), "kernel");
        assertMicros(3_160, num(resnet, "steps.breakdown_ns.memcpy"), "memcpy");
        assertMicros(98, num(resnet, "steps.breakdown_ns.memset"), "memset");
        assertMicros(10_564, num(resnet, "steps.breakdown_ns.runtime"), "runtime");
        assertMicros(1_186, num(resnet, "steps.breakdown_ns.dataloader"), "dataloader");
        assertMicros(22_665, num(resnet, "steps.breakdown_ns.cpu_exec"), "cpu exec");
        assertMicros(4_251, num(resnet, "steps.breakdown_ns.other"), "other");
        long sum = 0;
        for (String part : new String[] {"kernel", "memcpy", "memset", "communication", "runtime", "dataloader",
            "cpu_exec", "other"}) {
            sum += num(resnet, "steps.breakdown_ns." + part);
        }
        assertEquals(num(resnet, "steps.mean_ns"), sum, "the parts add up to the mean step exactly");
    }

    @Test
    void qwenGpuTimeMatchesTraceLens() {
        // TraceLens gpu_timeline on this trace: busy 31.905483 ms, idle 2.986936 ms, total 34.892419 ms,
        // computation 31.903115 ms, exposed memcpy 0.002368 ms
        assertEquals(0L, num(qwen, "gpus.0.device"));
        assertEquals(31_905_483L, num(qwen, "gpus.0.busy_ns"));
        assertEquals(2_986_936L, num(qwen, "gpus.0.idle_ns"));
        assertEquals(34_892_419L, num(qwen, "gpus.0.total_ns"));
        assertEquals(31_903_115L, num(qwen, "gpus.0.compute_ns"));
        assertEquals(2_368L, num(qwen, "gpus.0.exposed_memcpy_ns"));
        // MANIFEST.md: 1465 kernels, kernel_dur_sum_us 45432.698, 1 host ProfilerStep
        assertEquals(1465L, num(qwen, "kernels.count"));
        assertEquals(45_432_698L, num(qwen, "kernels.total_ns"));
        assertEquals(1L, num(qwen, "steps.count"));
    }

    @Test
    void anNsightSystemsExportIsReportedDirectly() throws IOException {
        // MANIFEST.md, pipit saxpy-mpi-cuda: 5 kernels, kernel_total_time_ns 88573480
        Cli rep = Cli.run("report", Cli.corpus("nsys/pipit__saxpy-mpi-cuda_nsys_perlmutter0.sqlite").toString(), "--json");
        assertEquals(0, rep.exitCode(), rep.err());
        Map<String, Object> json = flatten(rep.out());
        assertEquals(5L, num(json, "kernels.count"));
        assertEquals(88_573_480L, num(json, "kernels.total_ns"));
    }

    @Test
    void findingsCarryTheContractFields() {
        assertTrue(resnet.containsKey("findings.0.rule"), "the resnet trace has at least one finding");
        for (String f : new String[] {"rule", "severity", "score", "message", "recommendation", "evidence"}) {
            assertTrue(resnet.containsKey("findings.0." + f), "findings[0]." + f);
        }
        String severity = (String) resnet.get("findings.0.severity");
        long score = num(resnet, "findings.0.score");
        assertEquals(score >= 67 ? "HIGH" : score >= 34 ? "MODERATE" : "LOW", severity);
    }
}
